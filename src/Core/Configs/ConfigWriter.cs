#nullable enable
using System.Collections.Specialized;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace InitCfg.Core.Configs;

/// <summary>Writes config trees back out as .NET dictionaries, JSON or YAML, keeping ints and floats apart.</summary>
public static class ConfigWriter
{
    /// <summary>Ordered dictionaries and object arrays, as PowerShell shows them (a tuple stays a <see cref="ConfigTuple"/>, so it exports as a tuple again).</summary>
    public static object? ToDotNet(object? value) => value switch
    {
        ConfigMap map => map.Aggregate(new OrderedDictionary(StringComparer.OrdinalIgnoreCase), (d, e) => { d[e.Key] = ToDotNet(e.Value); return d; }),
        ConfigTuple tuple => new ConfigTuple(tuple.Select(ToDotNet)),
        IReadOnlyList<object?> list => list.Select(ToDotNet).ToArray(),
        _ => value,
    };

    /// <summary>Indented JSON; floats always carry a decimal point so they read back as floats.</summary>
    public static string ToJson(object? value)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            WriteJson(w, value);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes a config value (ints stay ints, floats keep a decimal point, maps keep their key order).</summary>
    internal static void WriteJson(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteRawValue(JsonFloat(d)); break;
            case string s: w.WriteStringValue(s); break;
            case ConfigMap map:
                w.WriteStartObject();
                foreach (var e in map) { w.WritePropertyName(e.Key); WriteJson(w, e.Value); }
                w.WriteEndObject();
                break;
            case IReadOnlyList<object?> list:
                w.WriteStartArray();
                foreach (var item in list) WriteJson(w, item);
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static string JsonFloat(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d)) return "null";
        var s = PyRepr.Float(d);
        return s.Contains('e') && !s.Contains('.') ? s.Replace("e", ".0e") : s;
    }

    /// <summary>Block-style YAML.</summary>
    public static string ToYaml(object? value)
    {
        var sb = new StringBuilder();
        WriteYaml(sb, value, 0, inSequence: false);
        return sb.ToString();
    }

    private static void WriteYaml(StringBuilder sb, object? value, int indent, bool inSequence)
    {
        var pad = new string(' ', indent);
        switch (value)
        {
            case ConfigMap map when map.Count > 0:
                bool first = true;
                foreach (var e in map)
                {
                    if (!(first && inSequence)) sb.Append(pad);
                    first = false;
                    sb.Append(YamlKey(e.Key)).Append(':');
                    WriteYamlValue(sb, e.Value, indent);
                }
                break;
            case IReadOnlyList<object?> list when list.Count > 0:
                foreach (var item in list)
                {
                    sb.Append(pad).Append("- ");
                    if (item is ConfigMap { Count: > 0 } m) WriteYaml(sb, m, indent + 2, inSequence: true);
                    else sb.Append(YamlScalar(item)).Append('\n');
                }
                break;
            default:
                sb.Append(YamlScalar(value)).Append('\n');
                break;
        }
    }

    private static void WriteYamlValue(StringBuilder sb, object? value, int indent)
    {
        if (value is ConfigMap { Count: > 0 } || value is IReadOnlyList<object?> { Count: > 0 })
        {
            sb.Append('\n');
            WriteYaml(sb, value, indent + 2, inSequence: false);
        }
        else sb.Append(' ').Append(YamlScalar(value)).Append('\n');
    }

    private static string YamlKey(string key) => key.All(c => char.IsLetterOrDigit(c) || c == '_') ? key : YamlQuote(key);

    private static string YamlScalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => double.IsNaN(d) ? ".nan" : double.IsPositiveInfinity(d) ? ".inf" : double.IsNegativeInfinity(d) ? "-.inf" : PyRepr.Float(d),
        ConfigMap => "{}",
        IReadOnlyList<object?> => "[]",
        string s => YamlQuote(s),
        _ => YamlQuote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    // Always single-quote strings: then 'True', '1' or 'null' stay strings when read back.
    private static string YamlQuote(string s) => "'" + s.Replace("'", "''") + "'";
}
