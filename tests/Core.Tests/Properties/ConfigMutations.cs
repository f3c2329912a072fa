using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Text;

namespace InitCfg.Core.Tests.Properties;

/// <summary>
/// Breaks a valid config in one slot (a wrong type, a missing or unknown key, another spelling of a key, nesting
/// too deep, a very long list), builds mostly-valid model configs, and prints trees for failure messages.
/// </summary>
internal static class ConfigMutations
{
    /// <summary>Applies <paramref name="count"/> random mutations; returns the (possibly new) root.</summary>
    public static object? Mutate(object? root, Choices c, int count, bool exotic)
    {
        for (int i = 0; i < count; i++) root = MutateOnce(root, c, exotic);
        return root;
    }

    private static object? MutateOnce(object? root, Choices c, bool exotic)
    {
        var slots = new List<(object Container, object Key)>();
        Collect(root, slots);
        if (slots.Count == 0 || c.Chance(4)) return ConfigGenerators.Tree(c, 2, exotic);
        var (container, key) = c.Pick(slots);
        object? current = container is OrderedDictionary d0 ? d0[key] : ((List<object?>)container)[(int)key];
        switch (c.Next(9))
        {
            case 0: Set(container, key, ConfigGenerators.Scalar(c, exotic)); break;
            case 1: Set(container, key, ConfigGenerators.Tree(c, 2, exotic)); break;
            case 2:
                if (container is OrderedDictionary d2) d2.Remove(key); else ((List<object?>)container).RemoveAt((int)key);
                break;
            case 3:
                if (container is OrderedDictionary d3) d3[ConfigGenerators.Text(c)] = ConfigGenerators.Scalar(c, exotic);
                else ((List<object?>)container).Insert((int)key, ConfigGenerators.Tree(c, 1, exotic));
                break;
            case 4:
                if (container is OrderedDictionary d4 && key is string k) Respell(d4, k, c);
                else Set(container, key, ConfigGenerators.Scalar(c, exotic));
                break;
            case 5:
                Set(container, key, ConfigGenerators.Deep(c, current, c.Next(2) == 0 ? 1 + c.Next(8) : 95 + c.Next(15)));
                break;
            case 6:
                Set(container, key, Enumerable.Range(0, 200 + c.Next(2800)).Select(_ => (object?)c.Pick(ConfigGenerators.Words)).ToList());
                break;
            case 7:
                if (container is OrderedDictionary d7 && d7.Contains("name")) d7["name"] = ConfigGenerators.Text(c);
                else Set(container, key, ConfigGenerators.Text(c));
                break;
            default:
                // The same key under a second spelling: a duplicate the reader must refuse.
                if (container is OrderedDictionary d8 && key is string k8 && Variant(k8, c) is { } v && !d8.Contains(v)) d8[v] = current;
                else Set(container, key, null);
                break;
        }
        return root;
    }

    private static void Collect(object? node, List<(object, object)> slots)
    {
        switch (node)
        {
            case OrderedDictionary d:
                foreach (var k in d.Keys.Cast<object>().ToArray()) { slots.Add((d, k)); Collect(d[k], slots); }
                break;
            case List<object?> l:
                for (int i = 0; i < l.Count; i++) { slots.Add((l, i)); Collect(l[i], slots); }
                break;
        }
    }

    private static void Set(object container, object key, object? value)
    {
        if (container is OrderedDictionary d) d[key] = value;
        else ((List<object?>)container)[(int)key] = value;
    }

    private static void Respell(OrderedDictionary d, string key, Choices c)
    {
        if (Variant(key, c) is not { } v || d.Contains(v)) return;
        int index = d.Keys.Cast<object>().ToList().IndexOf(key);
        var value = d[key];
        d.Remove(key);
        d.Insert(index, v, value);
    }

    private static string? Variant(string key, Choices c)
    {
        if (key.Length == 0) return null;
        return c.Next(5) switch
        {
            0 => key.ToUpperInvariant(),
            1 => string.Concat(key.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..])),
            2 => key.Length > 1 ? key[..1] + "_" + key[1..] : "_" + key,
            3 => key + "_",
            _ => key.Replace("_", ""),
        };
    }

    // ---- model configs ----

    private static readonly string[] Leaves =
        { "Conv2d", "Conv1d", "Linear", "BatchNorm2d", "BatchNorm1d", "GroupNorm", "LayerNorm", "Embedding", "ReLU", "Identity", "Dropout", "MaxPool2d", "Flatten", "AdaptiveAvgPool2d" };

    /// <summary>A valid MMDetection-style model node with small layers, containers and init_cfg entries.</summary>
    public static OrderedDictionary ModelNode(Choices c, int depth)
    {
        long Small() => 1 + c.Next(3);
        OrderedDictionary node;
        if (depth > 0 && c.Chance(45))
        {
            var type = c.Pick(new[] { "Sequential", "ModuleList", "ModuleDict", "Module" });
            node = new OrderedDictionary { ["type"] = type };
            int n = 1 + c.Next(3);
            if (type is "Sequential" or "ModuleList")
                node["modules"] = Enumerable.Range(0, n).Select(_ => (object?)ModelNode(c, depth - 1)).ToList();
            else
            {
                var children = new OrderedDictionary();
                foreach (var name in new[] { "conv", "bn", "head" }.Take(n)) children[name] = ModelNode(c, depth - 1);
                node["modules"] = children;
                if (type == "Module" && c.Chance(40)) node["class_name"] = c.Pick(new[] { "Net", "Body", "Head" });
            }
        }
        else
        {
            var type = c.Pick(Leaves);
            node = new OrderedDictionary { ["type"] = type };
            switch (type)
            {
                case "Conv2d" or "Conv1d":
                    node["in_channels"] = Small(); node["out_channels"] = Small(); node["kernel_size"] = Small();
                    if (c.Chance(30)) node["stride"] = Small();
                    if (c.Chance(30)) node["bias"] = c.Next(2) == 0;
                    break;
                case "Linear":
                    node["in_features"] = Small(); node["out_features"] = Small();
                    if (c.Chance(30)) node["bias"] = c.Next(2) == 0;
                    break;
                case "BatchNorm2d" or "BatchNorm1d":
                    node["num_features"] = Small();
                    if (c.Chance(20)) node["eps"] = 1e-3;
                    if (c.Chance(20)) node["affine"] = c.Next(2) == 0;
                    break;
                case "GroupNorm": node["num_groups"] = 1L; node["num_channels"] = Small(); break;
                case "LayerNorm": node["normalized_shape"] = new List<object?> { Small() }; break;
                case "Embedding": node["num_embeddings"] = Small(); node["embedding_dim"] = Small(); break;
                case "Dropout": if (c.Chance(50)) node["p"] = 0.25; break;
                case "MaxPool2d": node["kernel_size"] = 2L; break;
                case "AdaptiveAvgPool2d": node["output_size"] = 1L; break;
            }
        }
        if (c.Chance(30))
        {
            var t = c.Pick(new[] { "Constant", "Normal", "Uniform", "Kaiming", "Xavier" });
            var cfg = new OrderedDictionary { ["type"] = t };
            if (t == "Constant") cfg["val"] = 1L;
            cfg["layer"] = t is "Kaiming" or "Xavier" ? c.Pick(new[] { "Conv2d", "Linear", "_ConvNd" }) : c.Pick(new[] { "Conv2d", "Linear", "_BatchNorm", "GroupNorm", "Embedding" });
            node["init_cfg"] = cfg;
        }
        return node;
    }

    // ---- printing ----

    /// <summary>The tree with .NET types visible (<c>1L</c>, <c>1.0d</c>, <c>'s'</c>), for failure messages.</summary>
    public static string Show(object? v)
    {
        var sb = new StringBuilder();
        Show(sb, v, 0);
        return sb.ToString();
    }

    private static void Show(StringBuilder sb, object? v, int depth)
    {
        if (sb.Length > 6000) { sb.Append('…'); return; }
        switch (v)
        {
            case null: sb.Append("null"); break;
            case string s: sb.Append('"').Append(s.Length > 60 ? s[..60] + $"…({s.Length} chars)" : s).Append('"'); break;
            case long l: sb.Append(l).Append('L'); break;
            case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)).Append('d'); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case IDictionary d:
                sb.Append(d is OrderedDictionary ? "{" : d.GetType().Name + "{");
                bool first = true;
                foreach (DictionaryEntry e in d)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    Show(sb, e.Key, depth + 1);
                    sb.Append(": ");
                    Show(sb, e.Value, depth + 1);
                }
                sb.Append('}');
                break;
            case IEnumerable e:
                var items = e.Cast<object?>().ToList();
                if (items.Count > 20) { sb.Append($"[{items.Count} items: "); Show(sb, items[0], depth + 1); sb.Append(", …]"); break; }
                sb.Append(v is List<object?> ? "[" : v.GetType().Name + "[");
                for (int i = 0; i < items.Count; i++) { if (i > 0) sb.Append(", "); Show(sb, items[i], depth + 1); }
                sb.Append(']');
                break;
            default: sb.Append(v.GetType().Name).Append('(').Append(Convert.ToString(v, CultureInfo.InvariantCulture)).Append(')'); break;
        }
    }
}
