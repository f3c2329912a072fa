#nullable enable
namespace InitCfg.Core.Reports;

/// <summary>The file formats an init report is exported to; the file extension picks one.</summary>
public enum ReportFormat
{
    /// <summary><c>.json</c>: the records, the checkpoint loads and the warnings.</summary>
    Json,
    /// <summary><c>.csv</c>: one row per parameter.</summary>
    Csv,
    /// <summary><c>.md</c>: Markdown tables to paste into a pull request.</summary>
    Markdown,
    /// <summary><c>.log</c>: MMEngine's <c>_dump_init_info</c> text (<see cref="InitReport.ToLog"/>).</summary>
    Log,
    /// <summary><c>.html</c>: one self-contained page with summary tables and a histogram per weight tensor.</summary>
    Html,
}
