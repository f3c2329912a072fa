#nullable enable
using InitCfg.Core.Initializers;
using System.Text;
using static InitCfg.Core.Reports.ReportText;
using static TorchSharp.torch;

namespace InitCfg.Core.Reports;

/// <summary>
/// The init report as one self-contained HTML page: summary tables, then per weight tensor written by an
/// initializer a histogram (inline SVG drawn by ScottPlot) with the density the initializer draws from over it.
/// The page needs no network: no scripts, fonts or images are fetched.
/// </summary>
public static class HtmlReport
{
    /// <summary>Renders the page for <paramref name="model"/>.</summary>
    public static string Render(nn.Module model, HtmlReportOptions? options = null, IProgress<ReportProgress>? progress = null)
    {
        options ??= HtmlReportOptions.Default;
        var content = ReportContent.Collect(model);
        var title = options.Title ?? $"Init report: {content.ModelClass}";
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"InitCfg ")
            .Append(H(Version)).Append("\">\n<title>").Append(H(title)).Append("</title>\n<style>").Append(HtmlStyle.Css).Append("</style>\n</head>\n<body>\n<header><h1>")
            .Append(H(title)).Append("</h1>\n<p class=\"sub\">").Append(N0(content.Records.Count)).Append(" parameter tensors, ")
            .Append(N0(content.Records.Sum(r => r.Elements))).Append(" values; ").Append(N0(content.WrittenCount))
            .Append(" tensors written by init_weights").Append(content.Loads.Count > 0 ? $", {content.Loads.Count} checkpoint load(s)" : "")
            .Append(content.Warnings.Count > 0 ? $", {content.Warnings.Count} warning(s)" : "")
            .Append(". Made by InitCfg ").Append(H(Version)).Append(".</p></header>\n<main>\n<div class=\"tables\">\n");
        HtmlSummary.Initializers(html, content);
        HtmlSummary.Configs(html, content);
        html.Append("</div>\n");
        HtmlSummary.Warnings(html, content);
        HtmlSummary.Loads(html, content);
        Plots(html, model, content, options, progress);
        HtmlSummary.Parameters(html, content);
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string Version => typeof(HtmlReport).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "";

    private static void Plots(StringBuilder html, nn.Module model, ReportContent content, HtmlReportOptions options, IProgress<ReportProgress>? progress)
    {
        var candidates = content.Records.Select((r, i) => (Record: r, Index: i)).Where(x => ReportContent.IsPlotted(x.Record)).ToList();
        // Keep the largest tensors when there are too many (they carry most of the weights); show them in model order.
        var kept = candidates.OrderByDescending(x => x.Record.Elements).ThenBy(x => x.Index)
            .Take(Math.Max(0, options.MaxPlots)).OrderBy(x => x.Index).ToList();
        var keptNames = kept.Select(x => x.Record.Name).ToHashSet();
        var left = candidates.Where(x => !keptNames.Contains(x.Record.Name)).Select(x => x.Record).ToList();

        html.Append("<section id=\"histograms\"><h2>Weights: histogram against the expected distribution</h2>\n<p class=\"note\">")
            .Append("<span class=\"sw bar\"></span> values after init &nbsp; <span class=\"sw curve\"></span> density the initializer draws from, ")
            .Append("scaled to counts per bin (a dashed line for a constant). One chart per weight tensor written by an initializer; biases are left out.");
        if (content.Records.Any(r => r.Elements > options.MaxSample))
            html.Append(" Tensors with more than ").Append(N0(options.MaxSample)).Append(" values are drawn from a fixed random sample of ")
                .Append(N0(options.MaxSample)).Append(" of them (the statistics under each chart are of the whole tensor).");
        html.Append("</p>\n");
        if (left.Count > 0)
            html.Append("<p class=\"note warn\">Showing ").Append(kept.Count).Append(" of ").Append(candidates.Count)
                .Append(" weight tensors: the ").Append(kept.Count).Append(" largest. ").Append(left.Count)
                .Append(" are left out (listed below the charts).</p>\n");
        if (candidates.Count == 0)
            html.Append("<p class=\"note\">No weight tensor was written by an initializer")
                .Append(content.WrittenCount == 0 ? " (has init_weights / Invoke-InitWeights run on this model?)" : "").Append(".</p>\n");

        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        html.Append("<div class=\"grid\">\n");
        // Each chart is independent: they are drawn on every core, and placed (and progress reported, on the
        // caller's thread) in model order, so the page is the same whatever the number of cores.
        var figures = new Task<string>[kept.Count];
        for (int i = 0; i < kept.Count; i++)
        {
            var (r, prefix) = (kept[i].Record, $"h{i}-");
            var tensor = parameters[r.Name];
            figures[i] = Task.Run(() => Figure(r, tensor, options, prefix));
        }
        try
        {
            for (int i = 0; i < kept.Count; i++)
            {
                progress?.Report(new ReportProgress(i, kept.Count, $"Histogram of {kept[i].Record.Name}"));
                html.Append(figures[i].GetAwaiter().GetResult());
            }
        }
        finally
        {
            // No chart may still read a tensor after this returns or throws.
            try { Task.WaitAll(figures); } catch (AggregateException) { }
        }
        // The tensors above are read through spans; norm layers free theirs from a finalizer (TorchSharp 0.107),
        // so the model that owns them must stay reachable until the last one is read.
        GC.KeepAlive(model);
        html.Append("</div>\n");
        if (left.Count > 0)
        {
            html.Append("<details class=\"left\"><summary>").Append(left.Count).Append(" weight tensors without a chart</summary><table><thead><tr>")
                .Append("<th>Name</th><th>Shape</th><th>Initializer</th><th>Mean</th><th>Std</th></tr></thead><tbody>\n");
            foreach (var r in left)
                html.Append("<tr><td class=\"mono\">").Append(H(r.Name)).Append("</td><td class=\"mono\">").Append(H(r.ShapeText))
                    .Append("</td><td>").Append(H(Initializer(r))).Append("</td><td class=\"n\">").Append(G4(r.Mean))
                    .Append("</td><td class=\"n\">").Append(G4(r.Std)).Append("</td></tr>\n");
            html.Append("</tbody></table></details>\n");
        }
        html.Append("</section>\n");
        progress?.Report(new ReportProgress(kept.Count, kept.Count, "Done"));
    }

    private static string Figure(ParameterInitRecord r, Tensor tensor, HtmlReportOptions options, string idPrefix)
    {
        var html = new StringBuilder(32 * 1024);
        var density = r.Density();
        var sample = WeightSample.Take(tensor, options.MaxSample);
        html.Append("<figure class=\"plot\" data-name=\"").Append(H(r.Name)).Append("\">\n<figcaption><div class=\"pname\">").Append(H(r.Name))
            .Append("</div><div class=\"meta\"><span class=\"mono\">").Append(H(r.ShapeText)).Append("</span> · ").Append(N0(r.Elements))
            .Append(" values · <b>").Append(H(Initializer(r))).Append("</b>").Append(r.ModulePath is null ? "" : " from " + H(Module(r.ModulePath)))
            .Append("</div><div class=\"info\">").Append(H(r.InitInfo)).Append("</div></figcaption>\n")
            .Append(HistogramChart.Svg(sample, density, options.PlotWidth, options.PlotHeight, idPrefix)).Append('\n')
            .Append("<div class=\"stats\">mean ").Append(G4(r.Mean)).Append(" · std ").Append(G4(r.Std));
        if (density is not null && density.Kind != DensityKind.Constant) html.Append(" (expected ").Append(G4(density.DrawStd)).Append(')');
        html.Append(" · min ").Append(G4(r.Min)).Append(" · max ").Append(G4(r.Max)).Append("</div>\n<div class=\"expect\">")
            .Append(density is null ? "no expected distribution for this initializer" : "expected: " + H(density.Label));
        if (sample.IsSampled) html.Append(" · histogram of ").Append(N0(sample.Values.Length)).Append(" sampled values");
        if (sample.NonFinite > 0) html.Append(" · <b class=\"bad\">").Append(N0(sample.NonFinite)).Append(" NaN/Inf values not drawn</b>");
        html.Append("</div>\n</figure>\n");
        return html.ToString();
    }
}
