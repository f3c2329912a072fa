#nullable enable
using System.Collections.Specialized;
using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

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

    /// <summary>
    /// Block-style YAML through YamlDotNet's emitter: strings single-quoted where YAML allows (so 'True', '1' or
    /// 'null' stay strings), else double-quoted with escapes, so that multi-line strings read back unchanged.
    /// </summary>
    public static string ToYaml(object? value)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false,
            maxSimpleKeyLength: 1024, indentSequences: true, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        EmitYaml(emitter, value);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void EmitYaml(IEmitter emitter, object? value)
    {
        switch (value)
        {
            case ConfigMap map:
                emitter.Emit(new MappingStart(null, null, true, map.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var e in map)
                {
                    emitter.Emit(YamlScalar(e.Key, e.Key.All(c => char.IsLetterOrDigit(c) || c == '_') ? ScalarStyle.Plain : ScalarStyle.SingleQuoted));
                    EmitYaml(emitter, e.Value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case IReadOnlyList<object?> list:
                emitter.Emit(new SequenceStart(null, null, true, list.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list) EmitYaml(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case null: emitter.Emit(YamlScalar("null", ScalarStyle.Plain)); break;
            case bool b: emitter.Emit(YamlScalar(b ? "true" : "false", ScalarStyle.Plain)); break;
            case long l: emitter.Emit(YamlScalar(l.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain)); break;
            case double d:
                emitter.Emit(YamlScalar(double.IsNaN(d) ? ".nan" : double.IsPositiveInfinity(d) ? ".inf" : double.IsNegativeInfinity(d) ? "-.inf" : PyRepr.Float(d),
                    ScalarStyle.Plain));
                break;
            default:
                var text = value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                // A reader turns every line break of a quoted scalar into \n; only escapes keep \r and the Unicode breaks.
                emitter.Emit(YamlScalar(text, text.AsSpan().IndexOfAny("\r\u0085\u2028\u2029") >= 0 ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted));
                break;
        }
    }

    // The emitter falls back to another style (double-quoted) where the one asked for cannot hold the text.
    private static Scalar YamlScalar(string text, ScalarStyle style) =>
        new(null, null, text, style, isPlainImplicit: style == ScalarStyle.Plain, isQuotedImplicit: style != ScalarStyle.Plain);
}
