#nullable enable
using System.Management.Automation;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Layers;
using InitCfg.Core.Checkpoints.Sharding;
using InitCfg.Core.Walk;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Writes a model's weights (its state dict) to a .pth/.pt, .safetensors or .dat file, or to sharded safetensors with an index, atomically.</para>
/// </summary>
[Cmdlet(VerbsData.Export, "InitWeights", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportInitWeightsCommand : ExportCommandBase
{
    #region Parameters

    /// <summary>
    /// Writes Hugging Face's sharded safetensors layout into the folder -Path: shards of at most this many bytes of
    /// tensor data and model.safetensors.index.json.
    /// </summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long ShardSize { get; set; }

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override string? Export(string file)
    {
        LazyModel.ThrowIfLazy(Model, "be exported: its values exist only in the checkpoint Invoke-InitWeights -OutputPath wrote");
        if (MyInvocation.BoundParameters.ContainsKey(nameof(ShardSize))) return ExportShards(file);
        var format = CheckpointFile.FormatOf(file);
        var state = ModuleState.ForExport(Model);
        long bytes = state.Sum(s => s.Value.numel() * DTypes.Size(s.Value.dtype));
        if (!ShouldProcess(file, $"Export {state.Count} tensors ({bytes:N0} bytes) of {LayerTypeNames.ClassName(Model)} as {format}")) return null;
        // Under the model's lock (not across the prompt): never half of one run and half of another.
        using var guard = ModelGuard.Enter(this, Model);
        state = ModuleState.ForExport(Model);
        bytes = state.Sum(s => s.Value.numel() * DTypes.Size(s.Value.dtype));
        var activity = $"Exporting {LayerTypeNames.ClassName(Model)} to {System.IO.Path.GetFileName(file)}";
        var progress = StartProgress(activity, bytes);
        CheckpointFile.Write(file, state, format, overwrite: Force, progress);
        WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
        return file;
    }

    #endregion

    #region Private

    // Progress by bytes. The stream counts headers, pickle and alignment too, which the tensor total leaves out: cap
    // the count so the bar never reads "241,584,419 of 241,378,168 bytes".
    private SyncProgress<long> StartProgress(string activity, long bytes)
    {
        WriteProgress(new ProgressRecord(1, activity, $"{bytes:N0} bytes") { PercentComplete = 0 });
        return new SyncProgress<long>(written => WriteProgress(new ProgressRecord(1, activity, $"{Math.Min(written, bytes):N0} of {bytes:N0} bytes")
        {
            PercentComplete = bytes == 0 ? 100 : (int)Math.Min(100, written * 100 / bytes),
        }));
    }

    // -ShardSize: -Path is a folder; the index (or model.safetensors when one shard holds everything) is returned.
    private string? ExportShards(string folder)
    {
        var state = ModuleState.ForExport(Model);
        var plan = ShardedSafetensors.Plan(state, ShardSize);
        if (!ShouldProcess(folder, $"Export {state.Count} tensors ({plan.TotalSize:N0} bytes) of {LayerTypeNames.ClassName(Model)} as {plan.Shards.Count} safetensors shard(s) of at most {ShardSize:N0} bytes"))
            return null;
        using var guard = ModelGuard.Enter(this, Model);
        state = ModuleState.ForExport(Model);
        long bytes = state.Sum(s => s.Value.numel() * DTypes.Size(s.Value.dtype));
        var activity = $"Exporting {LayerTypeNames.ClassName(Model)} to {System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(folder))}";
        var progress = StartProgress(activity, bytes);
        var written = ShardedSafetensors.Write(folder, state, ShardSize, overwrite: Force, progress);
        WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
        return written;
    }

    #endregion
}
