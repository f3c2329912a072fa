#nullable enable
using System.Text;

namespace InitCfg.Core.Configs;

/// <summary>
/// A config as Python text, laid out as MMEngine's <c>Config.pretty_text</c> builds it before yapf reflows it:
/// top-level <c>name=value</c> lines, keys sorted, <c>dict(...)</c> for dicts (a <c>{'k': v}</c> display when a key is
/// not an identifier), lists one item per line. Reading the text back gives the same config.
/// </summary>
public static class ConfigPrettyText
{
    private const int Indent = 4;

    /// <summary>The text of a whole config (a dict of top-level names).</summary>
    public static string Format(ConfigMap config) => FormatDict(config, outest: true) + "\n";

    /// <summary>
    /// The pretty text of a dictionary as PowerShell holds it (for the console view of Import-InitConfig's output);
    /// a value that is not a config shows as a message instead of failing the display.
    /// </summary>
    public static string Show(object? value)
    {
        try
        {
            return ConfigReader.FromObject(value, ConfigPath.Empty) is ConfigMap map ? Format(map).TrimEnd('\n') : PyRepr.Short(value);
        }
        catch (Errors.InitCfgException e) { return $"<{e.Message}>"; }
    }

    private static string IndentLines(string s, int spaces)
    {
        var lines = s.Split('\n');
        if (lines.Length == 1) return s;
        var pad = new string(' ', spaces);
        return lines[0] + "\n" + string.Join("\n", lines.Skip(1).Select(l => pad + l));
    }

    private static string Str(object? v) => v is string s ? PyRepr.Repr(s) : PyRepr.Repr(v);

    private static string Key(string k, bool mapping) => mapping ? PyRepr.Repr(k) + ": " : k + "=";

    private static string Basic(string k, object? v, bool mapping) => IndentLines(Key(k, mapping) + Str(v), Indent);

    private static string List(string? k, IReadOnlyList<object?> v, bool mapping)
    {
        var sb = new StringBuilder("[\n");
        foreach (var item in v)
        {
            switch (item)
            {
                case ConfigMap m: sb.Append("dict(").Append(IndentLines(FormatDict(m, false), Indent)).Append("),\n"); break;
                case IReadOnlyList<object?> l: sb.Append(IndentLines(List(null, l, false), Indent)).Append(",\n"); break;
                case string s: sb.Append(IndentLines(PyRepr.Repr(s), Indent)).Append(",\n"); break;
                default: sb.Append(PyRepr.Repr(item)).Append(",\n"); break;
            }
        }
        var text = sb.ToString();
        if (k is null) return IndentLines(text, Indent) + "]";
        return IndentLines(Key(k, mapping) + text, Indent) + "]";
    }

    private static bool IsIdentifier(string s) =>
        s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c == '_');

    private static string FormatDict(ConfigMap d, bool outest)
    {
        bool mapping = d.Keys.Any(k => !IsIdentifier(k));
        var lines = new List<string>();
        var items = d.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        for (int i = 0; i < items.Count; i++)
        {
            var (k, v) = (items[i].Key, items[i].Value);
            var end = outest || i == items.Count - 1 ? "" : ",";
            lines.Add(v switch
            {
                ConfigMap m => IndentLines(Key(k, mapping) + "dict(\n" + FormatDict(m, false), Indent) + ")" + end,
                IReadOnlyList<object?> l => List(k, l, mapping) + end,
                _ => Basic(k, v, mapping) + end,
            });
        }
        var r = string.Join("\n", lines);
        return mapping ? "{" + r + "}" : r;
    }
}
