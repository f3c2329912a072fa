#nullable enable
using System.Text;
using InitCfg.Core.Configs;
using static InitCfg.Core.Reports.ReportText;
using static TorchSharp.torch;

namespace InitCfg.Core.Reports;

/// <summary>
/// The init report as CSV (RFC 4180: comma-separated, fields with commas, quotes or line breaks quoted), one row per
/// parameter, numbers in round-trip invariant form; <c>Arguments</c> is the given arguments (without <c>type</c> and <c>layer</c>) as MMEngine prints a dict.
/// </summary>
public static class CsvReport
{
    /// <summary>The header row's columns, in order.</summary>
    public static readonly IReadOnlyList<string> Columns = new[]
    {
        "Name", "Shape", "Initializer", "InitInfo", "Arguments", "ModulePath", "ConfigPath", "Written", "Elements", "Mean", "Std", "Min", "Max",
    };

    /// <summary>Renders the CSV text for <paramref name="model"/>.</summary>
    public static string Render(nn.Module model)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(",", Columns)).Append("\r\n");
        foreach (var r in InitReport.For(model))
        {
            var fields = new[]
            {
                r.Name, r.ShapeText, r.Initializer ?? "", r.InitInfo ?? "", r.Arguments is null || r.Arguments.Count == 0 ? "" : PyRepr.Dict(r.Arguments),
                r.ModulePath ?? "", r.ConfigPath ?? "", r.Written ? "True" : "False", r.Elements.ToString(System.Globalization.CultureInfo.InvariantCulture),
                R(r.Mean), R(r.Std), R(r.Min), R(r.Max),
            };
            sb.Append(string.Join(",", fields.Select(Quote))).Append("\r\n");
        }
        return sb.ToString();
    }

    private static string Quote(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
