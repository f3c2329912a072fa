#nullable enable
using System.Text.Json.Serialization;

namespace InitCfg.Core.Reports;

/// <summary>The source-generated serializer of <see cref="JsonReport"/> (indented, properties in declaration order).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(JsonReport.Document))]
internal sealed partial class JsonReportContext : JsonSerializerContext
{
}
