#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// Gives the tensors of a lazy model (no storage) storage one at a time while a checkpoint is read into them, and
/// takes each back once read (a streamed init writes it to its shard and frees it), so a load never holds more than
/// one tensor of the model.
/// </summary>
public interface ITensorStream
{
    /// <summary>The tensor to read the values of <paramref name="entry"/> into.</summary>
    Tensor Open(ModuleState.Entry entry);

    /// <summary>Called once <paramref name="values"/> (from <see cref="Open"/>) holds the values of <paramref name="entry"/>.</summary>
    void Close(ModuleState.Entry entry, Tensor values);
}
