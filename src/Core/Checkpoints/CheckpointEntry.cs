#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// A tensor of an opened checkpoint, not yet read: its name, type, shape, and how to read it into a tensor;
/// <paramref name="ReadInto"/> returns whether every value it wrote is finite (checked while the bytes are in cache).
/// </summary>
public sealed record CheckpointEntry(string Name, ScalarType DType, long[] Shape, Func<Tensor, bool> ReadInto)
{
    /// <summary>
    /// Whether <see cref="ReadInto"/> may run on several threads at once, for different entries (each read has its own
    /// handle or position and shares no buffer), so a load can read tensors on every core.
    /// </summary>
    public bool ThreadSafe { get; init; }
}
