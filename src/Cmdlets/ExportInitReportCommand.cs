#nullable enable
using System.Management.Automation;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using InitCfg.Core.Reports;
using static TorchSharp.torch;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Writes a model's init report to a .json, .csv, .md, .log (MMEngine) or .html file, atomically.</para>
/// </summary>
[Cmdlet(VerbsData.Export, "InitReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportInitReportCommand : PSCmdlet
{
    #region Parameters

    /// <summary>The model to report on.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public nn.Module Model { get; set; } = null!;

    /// <summary>The file to write; its extension picks the format (.json, .csv, .md, .log, .html).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public string Path { get; set; } = "";

    /// <summary>Replace an existing file.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    /// <summary>Write the file's FileInfo to the pipeline.</summary>
    [Parameter] public SwitchParameter PassThru { get; set; }

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var file = GetUnresolvedProviderPathFromPSPath(Path);
        try
        {
            var format = ReportExporter.FormatOf(file);
            if (!Force && File.Exists(file))
                throw new InitCfgException(ErrorIds.ExportTargetExists, file, $"'{file}' already exists (use -Force to replace it).");
            int tensors = Model.parameters().Count();
            if (!ShouldProcess(file, $"Export the init report of {LayerTypeNames.ClassName(Model)} ({tensors} parameter tensors) as {format}")) return;
            var activity = $"Exporting the init report to {System.IO.Path.GetFileName(file)}";
            var progress = new SyncProgress<ReportProgress>(p =>
                WriteProgress(new ProgressRecord(2, activity, p.Status) { PercentComplete = Math.Clamp(p.Percent, 0, 100) }));
            var written = ReportExporter.Export(Model, file, Force, progress: progress);
            WriteProgress(new ProgressRecord(2, activity, "Done") { RecordType = ProgressRecordType.Completed });
            if (PassThru) WriteObject(new FileInfo(written));
        }
        catch (InitCfgException e)
        {
            WriteError(ErrorRecords.From(e, file));
        }
    }

    #endregion
}
