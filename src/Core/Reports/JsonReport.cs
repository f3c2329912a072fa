#nullable enable
using System.Text.Json;
using System.Text.Json.Serialization;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Core.Reports;

/// <summary>
/// The report as JSON for tools: <c>Model</c>, <c>Parameters</c> (one object per tensor, as
/// <see cref="ParameterInitRecord"/>), <c>Loads</c>, <c>Warnings</c> and <c>Configs</c>; statistics that are not
/// finite are <c>null</c>. Written by <see cref="JsonSerializer"/> with a source-generated context.
/// </summary>
public static class JsonReport
{
    /// <summary>The JSON text (indented, UTF-8 when written, one trailing newline).</summary>
    public static string Render(nn.Module model)
    {
        var c = ReportContent.Collect(model);
        var document = new Document(c.ModelClass, c.Records.Select(Parameter.From).ToArray(), c.Loads, c.Warnings, c.Configs);
        return JsonSerializer.Serialize(document, JsonReportContext.Default.Document) + "\n";
    }

    /// <summary>The whole report, in the order the properties are written.</summary>
    internal sealed record Document(string Model, IReadOnlyList<Parameter> Parameters, IReadOnlyList<LoadReport> Loads,
        IReadOnlyList<InitWarning> Warnings, IReadOnlyList<ReportContent.ModuleConfig> Configs);

    /// <summary>One parameter's record as written: statistics that are not finite become null.</summary>
    internal sealed record Parameter(string Name, long[] Shape, string? InitInfo, string? Initializer,
        [property: JsonConverter(typeof(ConfigTreeConverter))] ConfigMap? Arguments, string? ModulePath, string? ConfigPath,
        bool Written, long Elements, double? Mean, double? Std, double? Min, double? Max)
    {
        public static Parameter From(ParameterInitRecord r) => new(r.Name, r.Shape, r.InitInfo, r.Initializer, r.Arguments,
            r.ModulePath, r.ConfigPath, r.Written, r.Elements, Finite(r.Mean), Finite(r.Std), Finite(r.Min), Finite(r.Max));

        private static double? Finite(double? d) => d is double v && double.IsFinite(v) ? v : null;
    }

    /// <summary>Writes a config tree (the arguments) as JSON the way config files are written.</summary>
    internal sealed class ConfigTreeConverter : JsonConverter<ConfigMap>
    {
        public override ConfigMap Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("The JSON report is written, not read.");

        public override void Write(Utf8JsonWriter writer, ConfigMap value, JsonSerializerOptions options) =>
            ConfigWriter.WriteJson(writer, value);
    }
}
