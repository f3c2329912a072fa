#nullable enable
using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs;

/// <summary>Dotted keys into a config tree (<c>model.bbox_head.init_cfg</c>, <c>model.roi_head.bbox_head[0]</c>).</summary>
public static class ConfigKeyPath
{
    /// <summary>The value at <paramref name="key"/>; a missing key is an error naming the nearest existing one.</summary>
    public static object? Select(object? tree, string key, string source)
    {
        object? current = tree;
        var path = ConfigPath.Empty;
        foreach (var part in Split(key))
        {
            if (part.Index is { } index)
            {
                if (current is not IReadOnlyList<object?> list || index < -list.Count || index >= list.Count)
                    throw new InitCfgException(ErrorIds.ConfigKeyNotFound, path.Index(index).ToString(),
                        $"{source}: '{key}' names no value: {path} is {(current is IReadOnlyList<object?> l ? $"a list of {l.Count}" : PyRepr.TypeAndValue(current))}.");
                current = list[index < 0 ? index + list.Count : index];
                path = path.Index(index);
                continue;
            }
            if (current is not ConfigMap map || !map.TryGet(part.Name!, out var next))
            {
                var known = current is ConfigMap m ? m.Keys.ToList() : new List<string>();
                throw new InitCfgException(ErrorIds.ConfigKeyNotFound, path.Key(part.Name!).ToString(),
                    $"{source}: '{key}' names no value: {(current is ConfigMap ? $"{path} has no key '{part.Name}'.{Nearest.Hint(part.Name!, known)} Keys: {string.Join(", ", known.Take(40))}" : $"{path} is {PyRepr.TypeAndValue(current)}, not a dict.")}");
            }
            current = next;
            path = path.Key(part.Name!);
        }
        return current;
    }

    /// <summary>Every dotted key of the dicts in a tree, breadth first, up to <paramref name="max"/> keys.</summary>
    public static IEnumerable<string> List(object? tree, int max = 5000)
    {
        var queue = new Queue<(string Prefix, object? Value, int Depth)>();
        queue.Enqueue(("", tree, 0));
        int count = 0;
        while (queue.Count > 0 && count < max)
        {
            var (prefix, value, depth) = queue.Dequeue();
            if (value is not ConfigMap map || depth > 12) continue;
            foreach (var (k, v) in map)
            {
                var key = prefix.Length == 0 ? k : prefix + "." + k;
                if (++count > max) yield break;
                yield return key;
                queue.Enqueue((key, v, depth + 1));
            }
        }
    }

    private static IEnumerable<(string? Name, int? Index)> Split(string key)
    {
        foreach (var segment in key.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var s = segment;
            int bracket = s.IndexOf('[');
            if (bracket != 0) yield return (bracket < 0 ? s : s[..bracket], null);
            while (bracket >= 0)
            {
                int end = s.IndexOf(']', bracket);
                if (end < 0 || !int.TryParse(s.AsSpan(bracket + 1, end - bracket - 1), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var index))
                    throw new InitCfgException(ErrorIds.ConfigKeyNotFound, key, $"'{key}' is not a dotted key (use a.b[0].c).");
                yield return (null, index);
                bracket = s.IndexOf('[', end);
            }
        }
    }
}
