#nullable enable
using System.Management.Automation;
using InitCfg.Core.Layers;
using InitCfg.Core.Reports;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Writes a model's init report to a .json, .csv, .md, .log (MMEngine) or .html file, atomically.</para>
/// </summary>
[Cmdlet(VerbsData.Export, "InitReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportInitReportCommand : ExportCommandBase
{
    #region Overrides

    /// <inheritdoc />
    protected override string? Export(string file)
    {
        var format = ReportExporter.FormatOf(file);
        int tensors = Model.parameters().Count();
        if (!ShouldProcess(file, $"Export the init report of {LayerTypeNames.ClassName(Model)} ({tensors} parameter tensors) as {format}")) return null;
        using var guard = ModelGuard.Enter(this, Model); // not across the prompt
        var activity = $"Exporting the init report to {System.IO.Path.GetFileName(file)}";
        var progress = new SyncProgress<ReportProgress>(p =>
            WriteProgress(new ProgressRecord(2, activity, p.Status) { PercentComplete = Math.Clamp(p.Percent, 0, 100) }));
        var written = ReportExporter.Export(Model, file, Force, progress: progress);
        WriteProgress(new ProgressRecord(2, activity, "Done") { RecordType = ProgressRecordType.Completed });
        return written;
    }

    #endregion
}
