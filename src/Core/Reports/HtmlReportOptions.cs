#nullable enable
namespace InitCfg.Core.Reports;

/// <summary>Limits that keep the HTML report of a big model quick to write and to open.</summary>
public sealed class HtmlReportOptions
{
    /// <summary>Most histograms on one page (the largest tensors are kept; the page lists the others). Default 60.</summary>
    public int MaxPlots { get; init; } = 60;

    /// <summary>Most values per histogram; larger tensors are sampled with a fixed seed. Default 100,000.</summary>
    public int MaxSample { get; init; } = 100_000;

    /// <summary>Width of one chart in pixels (it scales with the page). Default 440.</summary>
    public int PlotWidth { get; init; } = 440;

    /// <summary>Height of one chart in pixels. Default 270.</summary>
    public int PlotHeight { get; init; } = 270;

    /// <summary>Page title; default "Init report: CLASS".</summary>
    public string? Title { get; init; }

    /// <summary>The defaults.</summary>
    public static HtmlReportOptions Default { get; } = new();
}
