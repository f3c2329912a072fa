#nullable enable
using System.Text;
using System.Text.Json;
using InitCfg.Core.Configs;
using static TorchSharp.torch;

namespace InitCfg.Core.Reports;

/// <summary>
/// The init report as JSON: <c>Model</c>, <c>Parameters</c> (one object per record, with the
/// <see cref="ParameterInitRecord"/> property names), <c>Loads</c> (checkpoint loads), <c>Warnings</c> and
/// <c>Configs</c> (modules with an init_cfg). Non-finite statistics are written as null (JSON has no NaN).
/// </summary>
public static class JsonReport
{
    /// <summary>Renders the JSON text for <paramref name="model"/>.</summary>
    public static string Render(nn.Module model)
    {
        var c = ReportContent.Collect(model);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("Model", c.ModelClass);
            w.WriteStartArray("Parameters");
            foreach (var r in c.Records) Record(w, r);
            w.WriteEndArray();
            w.WriteStartArray("Loads");
            foreach (var l in c.Loads)
            {
                w.WriteStartObject();
                w.WriteString("Checkpoint", l.Checkpoint);
                w.WriteString("File", l.File);
                w.WriteString("Prefix", l.Prefix);
                w.WriteString("ModulePath", l.ModulePath);
                Strings(w, "Loaded", l.Loaded);
                Strings(w, "Missing", l.Missing);
                Strings(w, "Unexpected", l.Unexpected);
                w.WriteStartArray("ShapeMismatched");
                foreach (var s in l.ShapeMismatched)
                {
                    w.WriteStartObject();
                    w.WriteString("Name", s.Name);
                    Longs(w, "CheckpointShape", s.CheckpointShape);
                    Longs(w, "ModelShape", s.ModelShape);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                Strings(w, "NonFinite", l.NonFinite);
                w.WriteBoolean("IsComplete", l.IsComplete);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("Warnings");
            foreach (var x in c.Warnings)
            {
                w.WriteStartObject();
                w.WriteString("WarningId", x.WarningId);
                w.WriteString("Path", x.Path);
                w.WriteString("Message", x.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("Configs");
            foreach (var m in c.Configs)
            {
                w.WriteStartObject();
                w.WriteString("ModulePath", m.ModulePath);
                w.WriteString("ClassName", m.ClassName);
                w.WriteString("Config", m.Config);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Record(Utf8JsonWriter w, ParameterInitRecord r)
    {
        w.WriteStartObject();
        w.WriteString("Name", r.Name);
        Longs(w, "Shape", r.Shape);
        w.WriteString("InitInfo", r.InitInfo);
        w.WriteString("Initializer", r.Initializer);
        w.WritePropertyName("Arguments");
        ConfigWriter.WriteJson(w, r.Arguments);
        w.WriteString("ModulePath", r.ModulePath);
        w.WriteString("ConfigPath", r.ConfigPath);
        w.WriteBoolean("Written", r.Written);
        w.WriteNumber("Elements", r.Elements);
        Number(w, "Mean", r.Mean);
        Number(w, "Std", r.Std);
        Number(w, "Min", r.Min);
        Number(w, "Max", r.Max);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? d)
    {
        if (d is double v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static void Longs(Utf8JsonWriter w, string name, IEnumerable<long> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
