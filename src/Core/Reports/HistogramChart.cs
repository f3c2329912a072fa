#nullable enable
using InitCfg.Core.Initializers;
using System.Text.RegularExpressions;
using ScottPlot;

namespace InitCfg.Core.Reports;

/// <summary>
/// One weight histogram with the expected density over it, drawn by ScottPlot as an SVG fragment that can be
/// inlined in an HTML page (no external references, ids made unique per chart).
/// </summary>
internal static partial class HistogramChart
{
    /// <summary>Colour of the histogram bars.</summary>
    public const string BarColor = "#4C78A8";

    /// <summary>Colour of the expected density.</summary>
    public const string CurveColor = "#E45756";

    private const int CurvePoints = 241;

    private static readonly ThreadLocal<Plot> ThreadPlot = new(() =>
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        return plot;
    });

    /// <summary>Renders the chart; <paramref name="idPrefix"/> keeps its SVG ids apart from other charts on the page.</summary>
    public static string Svg(WeightSample sample, ExpectedDensity? density, int width, int height, string idPrefix)
    {
        var values = sample.Values;
        var (lo, hi) = Range(values, density);
        int bins = BinCount(values.Length);
        double binWidth = (hi - lo) / bins;
        if (density is { Kind: DensityKind.Uniform or DensityKind.TruncatedNormal } && density.High > density.Low)
        {
            // Put the ends of the support on bin edges, so no bin is half inside it and looks half empty.
            binWidth = (density.High - density.Low) / bins;
            int left = (int)Math.Ceiling((density.Low - lo) / binWidth - 1e-9), right = (int)Math.Ceiling((hi - density.High) / binWidth - 1e-9);
            left = Math.Clamp(left, 0, 4 * bins);
            right = Math.Clamp(right, 0, 4 * bins);
            (lo, hi, bins) = (density.Low - left * binWidth, density.High + right * binWidth, bins + left + right);
        }
        var counts = new double[bins];
        foreach (var v in values)
            counts[Math.Clamp((int)Math.Floor((v - lo) / binWidth), 0, bins - 1)]++;

        // A fresh Plot resolves every font of its labels again (about a fifth of the page's CPU time for 60
        // charts); a plot kept per thread and cleared between charts gives byte-identical SVG.
        var plot = ThreadPlot.Value!;
        plot.Clear();
        var bars = Enumerable.Range(0, bins).Select(i => new Bar
        {
            Position = lo + (i + 0.5) * binWidth,
            Value = counts[i],
            Size = binWidth,
            FillColor = Color.FromHex(BarColor).WithAlpha(0.85),
            LineWidth = 0,
        }).ToList();
        plot.Add.Bars(bars);

        double top = counts.Length == 0 ? 1 : counts.Max();
        if (density is { Kind: DensityKind.Constant })
        {
            var line = plot.Add.VerticalLine(density.Value, 2, Color.FromHex(CurveColor), LinePattern.Dashed);
            line.LineColor = Color.FromHex(CurveColor);
        }
        else if (density is not null)
        {
            var (xs, ys) = Curve(density, lo, hi, values.Length * binWidth);
            var curve = plot.Add.ScatterLine(xs, ys, Color.FromHex(CurveColor));
            curve.LineWidth = 2;
            curve.MarkerSize = 0;
            top = Math.Max(top, ys.Max());
        }

        plot.Axes.SetLimits(lo, hi, 0, Math.Max(top, 1) * 1.08);
        plot.XLabel("value", 12);
        plot.YLabel(sample.IsSampled ? "count (in sample)" : "count", 12);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 11;
        plot.Axes.Left.TickLabelStyle.FontSize = 11;
        plot.Grid.MajorLineColor = Color.FromHex("#000000").WithAlpha(0.08);
        string svg = plot.GetSvgXml(width, height);
        plot.Clear(); // the plot outlives the chart: let go of its bars and curve
        return Inline(svg, idPrefix, width, height);
    }

    /// <summary>The x range: the data, widened to where the expected density has its mass.</summary>
    private static (double Lo, double Hi) Range(double[] values, ExpectedDensity? density)
    {
        double lo = values.Length > 0 ? values.Min() : 0, hi = values.Length > 0 ? values.Max() : 0;
        switch (density?.Kind)
        {
            case DensityKind.Normal:
                lo = Math.Min(lo, density.Mean - 3.5 * density.Std);
                hi = Math.Max(hi, density.Mean + 3.5 * density.Std);
                break;
            case DensityKind.TruncatedNormal:
                lo = Math.Min(lo, Math.Max(density.Low, density.Mean - 3.5 * density.Std));
                hi = Math.Max(hi, Math.Min(density.High, density.Mean + 3.5 * density.Std));
                break;
            case DensityKind.Uniform:
            case DensityKind.Constant:
                lo = Math.Min(lo, density.Low);
                hi = Math.Max(hi, density.High);
                break;
        }
        double span = hi - lo;
        // A constant tensor has no spread: centre its single bar in a window of a sensible width.
        if (!(span > 1e-12 * Math.Max(1, Math.Abs(lo)))) return (lo - Math.Max(Math.Abs(lo) * 0.1, 0.5), hi + Math.Max(Math.Abs(hi) * 0.1, 0.5));
        return (lo - span * 0.04, hi + span * 0.04);
    }

    // Rice's rule (2 n^(1/3)) between 11 and 81 bins; odd so that a constant falls in the middle bin.
    private static int BinCount(int n) => Math.Clamp((int)Math.Ceiling(2 * Math.Cbrt(Math.Max(n, 1))), 10, 80) | 1;

    /// <summary>The density scaled to expected counts per bin, with vertical edges where the support ends.</summary>
    private static (double[] Xs, double[] Ys) Curve(ExpectedDensity density, double lo, double hi, double scale)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        void Add(double x, double y) { xs.Add(x); ys.Add(y * scale); }
        double from = Math.Max(lo, density.Low), to = Math.Min(hi, density.High);
        if (density.Low > lo) Add(lo, 0);
        if (density.Low > lo && density.Low < hi) Add(density.Low, 0);
        for (int i = 0; i < CurvePoints; i++)
        {
            double x = from + (to - from) * i / (CurvePoints - 1);
            Add(x, density.Pdf(x));
        }
        if (density.High < hi && density.High > lo) Add(density.High, 0);
        if (density.High < hi) Add(hi, 0);
        return (xs.ToArray(), ys.ToArray());
    }

    /// <summary>Drops the XML declaration, makes the chart scale with its box and prefixes every id.</summary>
    private static string Inline(string svg, string prefix, int width, int height)
    {
        svg = XmlDeclaration().Replace(svg, "");
        svg = SvgOpen().Replace(svg, m => $"<svg{m.Groups[1].Value} viewBox=\"0 0 {width} {height}\" role=\"img\">", 1);
        // Skia numbers clip paths with a process-wide counter: renumber per chart so the same model gives the same page.
        var ids = new Dictionary<string, string>();
        svg = IdAttribute().Replace(svg, m => $"id=\"{ids.GetValueOrDefault(m.Groups[1].Value) ?? (ids[m.Groups[1].Value] = $"{prefix}{ids.Count}")}\"");
        svg = IdReference().Replace(svg, m => m.Groups[1].Value + (ids.TryGetValue(m.Groups[2].Value, out var id) ? id : m.Groups[2].Value));
        return svg.Trim();
    }

    [GeneratedRegex(@"<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"<svg([^>]*)>")]
    private static partial Regex SvgOpen();

    [GeneratedRegex("\\bid=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"(url\(#|href=""#)([^)""]+)")]
    private static partial Regex IdReference();
}
