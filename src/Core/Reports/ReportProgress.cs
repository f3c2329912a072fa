#nullable enable
namespace InitCfg.Core.Reports;

/// <summary>Progress of a report export: <paramref name="Done"/> of <paramref name="Total"/> steps, and what is being done.</summary>
public sealed record ReportProgress(int Done, int Total, string Status)
{
    /// <summary>Percent complete, 0 to 100.</summary>
    public int Percent => Total <= 0 ? 100 : (int)(100L * Done / Total);
}
