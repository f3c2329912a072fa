#nullable enable
namespace InitCfg.Core.Checkpoints;

/// <summary>A key present in both the checkpoint and the model, with different shapes (skipped).</summary>
public sealed record ShapeMismatch(string Name, long[] CheckpointShape, long[] ModelShape)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: checkpoint [{string.Join(", ", CheckpointShape)}] vs model [{string.Join(", ", ModelShape)}]";
}
