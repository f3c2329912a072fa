#nullable enable
using System.Text;
using InitCfg.Core.Errors;
using InitCfg.Core.Files;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core.Reports;

/// <summary>Writes an init report to a file whose extension picks the format, atomically.</summary>
public static class ReportExporter
{
    /// <summary>The extensions understood, with their formats.</summary>
    public static readonly IReadOnlyDictionary<string, ReportFormat> Extensions = new Dictionary<string, ReportFormat>(StringComparer.OrdinalIgnoreCase)
    {
        [".json"] = ReportFormat.Json,
        [".csv"] = ReportFormat.Csv,
        [".md"] = ReportFormat.Markdown,
        [".log"] = ReportFormat.Log,
        [".html"] = ReportFormat.Html,
        [".htm"] = ReportFormat.Html,
    };

    /// <summary>The format <paramref name="path"/> asks for; throws <see cref="ErrorIds.UnsupportedFormat"/> for another extension.</summary>
    public static ReportFormat FormatOf(string path)
    {
        var ext = Path.GetExtension(path);
        return Extensions.TryGetValue(ext, out var format)
            ? format
            : throw new InitCfgException(ErrorIds.UnsupportedFormat, path,
                $"cannot tell the report format of '{path}' from its extension '{ext}': use .json, .csv, .md, .log or .html.");
    }

    /// <summary>The report text of <paramref name="model"/> in <paramref name="format"/>.</summary>
    public static string Render(nn.Module model, ReportFormat format, HtmlReportOptions? options = null, IProgress<ReportProgress>? progress = null)
    {
        if (format == ReportFormat.Html) LazyModel.ThrowIfLazy(model, "draw the histograms of an HTML report (the other report formats work)");
        return format switch
        {
            ReportFormat.Json => JsonReport.Render(model),
            ReportFormat.Csv => CsvReport.Render(model),
            ReportFormat.Markdown => MarkdownReport.Render(model),
            ReportFormat.Log => InitReport.ToLog(model),
            ReportFormat.Html => HtmlReport.Render(model, options, progress),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    /// <summary>
    /// Writes the report of <paramref name="model"/> to <paramref name="path"/> (UTF-8, no BOM) through
    /// <see cref="AtomicFile"/>. Refuses to replace a file unless
    /// <paramref name="overwrite"/>. Returns the full path written.
    /// </summary>
    public static string Export(nn.Module model, string path, bool overwrite, HtmlReportOptions? options = null, IProgress<ReportProgress>? progress = null)
    {
        var full = Path.GetFullPath(path);
        var format = FormatOf(full);
        AtomicFile.ThrowIfExists(full, overwrite); // before rendering, which can take long
        var text = Render(model, format, options, progress);
        AtomicFile.Write(full, overwrite, (fs, _) => fs.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text)));
        return full;
    }
}
