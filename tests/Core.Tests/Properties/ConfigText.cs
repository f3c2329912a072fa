using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Text;
using System.Text.Json;
using InitCfg.Core.Configs;

namespace InitCfg.Core.Tests.Properties;

/// <summary>
/// The forms a config tree reaches the engine in: other .NET containers (Hashtable, Dictionary, arrays), and
/// JSON or YAML text, optionally damaged (cut short, a stray token, a bad UTF-8 byte, a repeated line).
/// </summary>
internal static class ConfigText
{
    /// <summary>The same tree with some dictionaries and lists swapped for other .NET container types.</summary>
    public static object? Reshape(object? v, Choices c)
    {
        switch (v)
        {
            case OrderedDictionary d:
                var entries = d.Cast<DictionaryEntry>().Select(e => (e.Key, Value: Reshape(e.Value, c))).ToList();
                switch (c.Next(4))
                {
                    case 1 when entries.All(e => e.Key is string):
                        var dict = new Dictionary<string, object?>();
                        foreach (var (k, val) in entries) dict[(string)k] = val;
                        return dict;
                    case 2:
                        var table = new Hashtable();
                        foreach (var (k, val) in entries) table[k] = val;
                        return table;
                    default:
                        var od = new OrderedDictionary();
                        foreach (var (k, val) in entries) od[k] = val;
                        return od;
                }
            case List<object?> l:
                var items = l.Select(x => Reshape(x, c)).ToList();
                return c.Next(2) == 0 ? items : items.ToArray();
            default:
                return v;
        }
    }

    /// <summary>JSON text (NaN and infinities written as Python's json module writes them, which is not JSON).</summary>
    public static string ToJson(object? v)
    {
        var sb = new StringBuilder();
        Json(sb, v);
        return sb.ToString();
    }

    private static void Json(StringBuilder sb, object? v)
    {
        switch (v)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case string s: sb.Append(JsonSerializer.Serialize(s)); break;
            case double d: sb.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : PyRepr.Float(d)); break;
            case IDictionary d:
                sb.Append('{');
                bool first = true;
                foreach (DictionaryEntry e in d)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(JsonSerializer.Serialize(Convert.ToString(e.Key, CultureInfo.InvariantCulture)));
                    sb.Append(": ");
                    Json(sb, e.Value);
                }
                sb.Append('}');
                break;
            case IEnumerable e:
                sb.Append('[');
                bool f = true;
                foreach (var x in e) { if (!f) sb.Append(", "); f = false; Json(sb, x); }
                sb.Append(']');
                break;
            default: sb.Append(Convert.ToString(v, CultureInfo.InvariantCulture)); break;
        }
    }

    /// <summary>YAML text: block style for mappings, flow style inside lists.</summary>
    public static string ToYaml(object? v, bool flow)
    {
        var sb = new StringBuilder();
        if (flow || v is not IDictionary) { Flow(sb, v); sb.Append('\n'); }
        else Block(sb, (IDictionary)v, 0);
        return sb.ToString();
    }

    private static void Block(StringBuilder sb, IDictionary d, int indent)
    {
        if (d.Count == 0) { sb.Append(' ', indent).Append("{}\n"); return; }
        foreach (DictionaryEntry e in d)
        {
            sb.Append(' ', indent).Append(Key(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "")).Append(':');
            if (e.Value is IDictionary { Count: > 0 } child) { sb.Append('\n'); Block(sb, child, indent + 2); }
            else { sb.Append(' '); Flow(sb, e.Value); sb.Append('\n'); }
        }
    }

    private static string Key(string k) =>
        k.Length > 0 && k.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_') && !char.IsAsciiDigit(k[0]) ? k : JsonSerializer.Serialize(k);

    private static void Flow(StringBuilder sb, object? v)
    {
        switch (v)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case string s: sb.Append(JsonSerializer.Serialize(s)); break;
            case double d: sb.Append(double.IsNaN(d) ? ".nan" : double.IsInfinity(d) ? (d > 0 ? ".inf" : "-.inf") : PyRepr.Float(d)); break;
            case IDictionary d:
                sb.Append('{');
                bool first = true;
                foreach (DictionaryEntry e in d)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(JsonSerializer.Serialize(Convert.ToString(e.Key, CultureInfo.InvariantCulture))).Append(": ");
                    Flow(sb, e.Value);
                }
                sb.Append('}');
                break;
            case IEnumerable e:
                sb.Append('[');
                bool f = true;
                foreach (var x in e) { if (!f) sb.Append(", "); f = false; Flow(sb, x); }
                sb.Append(']');
                break;
            default: sb.Append(Convert.ToString(v, CultureInfo.InvariantCulture)); break;
        }
    }

    // Tokens that break or bend a file. No alias (*x): an alias used as a key before its anchor crashes YamlDotNet
    // (HostileConfigTests.FromFile_YamlForwardAliasAsKey_IsRefusedWithoutCrashing), which would end this whole test run.
    private static readonly string[] Tokens =
    {
        "{", "}", "[", "]", ":", ",", "- ", "\n", "\t", "\"", "'", "#", "&x ", "!!binary ", "!!python/object/apply:os.system ['id'] ",
        "%YAML 1.1\n", "---\n", "...\n", "\0", "\uFEFF", "? ", "|\n", ">\n", "<<: ", "!!str ", "!!int ", "\r", "\\u", "1e999", "-",
    };

    /// <summary>The UTF-8 bytes of <paramref name="text"/>, damaged in one of several ways (or not at all).</summary>
    public static byte[] Damage(string text, Choices c)
    {
        switch (c.Weighted(6, 1, 1, 1, 1, 1))
        {
            case 1: return Encoding.UTF8.GetBytes(text[..c.Next(text.Length + 1)]);
            case 2:
                int at = c.Next(text.Length + 1);
                return Encoding.UTF8.GetBytes(text[..at] + c.Pick(Tokens) + text[at..]);
            case 3:
                var bytes = Encoding.UTF8.GetBytes(text);
                if (bytes.Length > 0) bytes[c.Next(bytes.Length)] = c.Pick(new byte[] { 0xff, 0xc3, 0x80, 0xed, 0xf4 });
                return bytes;
            case 4:
                var lines = text.Split('\n').ToList();
                int line = c.Next(lines.Count);
                lines.Insert(line, lines[line]);
                return Encoding.UTF8.GetBytes(string.Join('\n', lines));
            case 5: return new byte[] { 0xef, 0xbb, 0xbf }.Concat(Encoding.UTF8.GetBytes(text)).ToArray();
            default: return Encoding.UTF8.GetBytes(text);
        }
    }
}
