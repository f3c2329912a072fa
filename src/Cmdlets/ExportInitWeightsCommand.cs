#nullable enable
using System.Management.Automation;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Writes a model's weights (its state dict) to a .pth/.pt, .safetensors or .dat file, atomically.</para>
/// </summary>
[Cmdlet(VerbsData.Export, "InitWeights", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportInitWeightsCommand : PSCmdlet
{
    #region Parameters

    /// <summary>The model to export.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public nn.Module Model { get; set; } = null!;

    /// <summary>The file to write; its extension picks the format (.pth/.pt: PyTorch, .safetensors, .dat: TorchSharp).</summary>
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
            var format = CheckpointFile.FormatOf(file);
            var state = ModuleState.ForExport(Model);
            if (!Force && File.Exists(file))
                throw new InitCfgException(ErrorIds.ExportTargetExists, file, $"'{file}' already exists (use -Force to replace it).");
            long bytes = state.Sum(s => s.Value.numel() * DTypes.Size(s.Value.dtype));
            if (!ShouldProcess(file, $"Export {state.Count} tensors ({bytes:N0} bytes) of {LayerTypeNames.ClassName(Model)} as {format}")) return;
            var activity = $"Exporting {LayerTypeNames.ClassName(Model)} to {System.IO.Path.GetFileName(file)}";
            WriteProgress(new ProgressRecord(1, activity, $"{bytes:N0} bytes") { PercentComplete = 0 });
            var progress = new SyncProgress<long>(done => WriteProgress(new ProgressRecord(1, activity, $"{done:N0} of {bytes:N0} bytes")
            {
                PercentComplete = bytes == 0 ? 100 : (int)Math.Min(100, done * 100 / bytes),
            }));
            CheckpointFile.Write(file, state, format, overwrite: Force, progress);
            WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
            if (PassThru) WriteObject(new FileInfo(file));
        }
        catch (InitCfgException e)
        {
            WriteError(ErrorRecords.From(e, file));
        }
    }

    #endregion
}
