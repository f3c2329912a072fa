#nullable enable
using System.Text;
using InitCfg.Core.Errors;
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
    public static string Render(nn.Module model, ReportFormat format, HtmlReportOptions? options = null, IProgress<ReportProgress>? progress = null) =>
        format switch
        {
            ReportFormat.Json => JsonReport.Render(model),
            ReportFormat.Csv => CsvReport.Render(model),
            ReportFormat.Markdown => MarkdownReport.Render(model),
            ReportFormat.Log => InitReport.ToLog(model),
            ReportFormat.Html => HtmlReport.Render(model, options, progress),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };

    /// <summary>
    /// Writes the report of <paramref name="model"/> to <paramref name="path"/> (UTF-8, no BOM) through a temporary
    /// file in the same folder, renamed over the target only when complete. Refuses to replace a file unless
    /// <paramref name="overwrite"/>. Returns the full path written.
    /// </summary>
    public static string Export(nn.Module model, string path, bool overwrite, HtmlReportOptions? options = null, IProgress<ReportProgress>? progress = null)
    {
        var full = Path.GetFullPath(path);
        var format = FormatOf(full);
        if (!overwrite && File.Exists(full)) throw Exists(full, null);
        var text = Render(model, format, options, progress);
        var folder = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".initcfg-partial");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite);
            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            if (e is IOException && !overwrite && File.Exists(full)) throw Exists(full, e);
            throw new InitCfgException(ErrorIds.ExportFailed, full, $"cannot write '{full}': {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static InitCfgException Exists(string full, Exception? inner) =>
        new(ErrorIds.ExportTargetExists, full, $"'{full}' already exists ({Hints.Force} to replace it).", inner);

    private static void TryDelete(string file)
    {
        try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
