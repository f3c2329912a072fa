#nullable enable
using System.Management.Automation;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Layers;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Writes a model's weights (its state dict) to a .pth/.pt, .safetensors or .dat file, atomically.</para>
/// </summary>
[Cmdlet(VerbsData.Export, "InitWeights", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportInitWeightsCommand : ExportCommandBase
{
    #region Overrides

    /// <inheritdoc />
    protected override string? Export(string file)
    {
        var format = CheckpointFile.FormatOf(file);
        var state = ModuleState.ForExport(Model);
        long bytes = state.Sum(s => s.Value.numel() * DTypes.Size(s.Value.dtype));
        if (!ShouldProcess(file, $"Export {state.Count} tensors ({bytes:N0} bytes) of {LayerTypeNames.ClassName(Model)} as {format}")) return null;
        // Under the model's lock (not across the prompt): never half of one run and half of another.
        using var guard = ModelGuard.Enter(this, Model);
        state = ModuleState.ForExport(Model);
        bytes = state.Sum(s => s.Value.numel() * DTypes.Size(s.Value.dtype));
        var activity = $"Exporting {LayerTypeNames.ClassName(Model)} to {System.IO.Path.GetFileName(file)}";
        WriteProgress(new ProgressRecord(1, activity, $"{bytes:N0} bytes") { PercentComplete = 0 });
        // The stream counts headers, pickle and alignment too, which the tensor total leaves out: cap the count so
        // the bar never reads "241,584,419 of 241,378,168 bytes".
        var progress = new SyncProgress<long>(written => WriteProgress(new ProgressRecord(1, activity, $"{Math.Min(written, bytes):N0} of {bytes:N0} bytes")
        {
            PercentComplete = bytes == 0 ? 100 : (int)Math.Min(100, written * 100 / bytes),
        }));
        CheckpointFile.Write(file, state, format, overwrite: Force, progress);
        WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
        return file;
    }

    #endregion
}
