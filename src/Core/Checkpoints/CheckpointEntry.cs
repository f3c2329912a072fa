#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// A tensor of an opened checkpoint, not yet read: its name, type, shape, and how to read it into a tensor;
/// <paramref name="ReadInto"/> returns whether every value it wrote is finite (checked while the bytes are in cache).
/// </summary>
public sealed record CheckpointEntry(string Name, ScalarType DType, long[] Shape, Func<Tensor, bool> ReadInto);
