#nullable enable
namespace InitCfg.Core.Checkpoints.Sharding;

/// <summary>
/// How a state dict is cut into safetensors shards, exactly as Hugging Face cuts it
/// (<c>huggingface_hub.split_torch_state_dict_into_shards</c>, used by <c>save_pretrained</c>): tensors in order, a new
/// shard when the next tensor would take the current one past the limit, a tensor larger than the limit alone in its
/// own shard. Shards are named <c>model-00001-of-00010.safetensors</c>; a single shard is <c>model.safetensors</c>.
/// </summary>
public sealed class ShardPlan
{
    /// <summary>The index file Hugging Face loaders look for in a sharded checkpoint folder.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    /// <summary>The file name of an unsharded safetensors checkpoint in such a folder.</summary>
    public const string SingleFileName = "model.safetensors";

    private ShardPlan(IReadOnlyList<IReadOnlyList<int>> shards, long totalSize)
    {
        Shards = shards;
        TotalSize = totalSize;
        Names = shards.Count == 1 ? new[] { SingleFileName } : shards.Select((_, i) => ShardName(i, shards.Count)).ToArray();
    }

    /// <summary>Per shard, the indexes of its tensors in the state dict.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Shards { get; }

    /// <summary>Per shard, its file name.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The bytes of all tensors (the index's <c>metadata.total_size</c>).</summary>
    public long TotalSize { get; }

    /// <summary>True when there is more than one shard (and so an index file).</summary>
    public bool IsSharded => Shards.Count > 1;

    /// <summary>Hugging Face's name of shard <paramref name="index"/> (from 0) of <paramref name="count"/>.</summary>
    public static string ShardName(int index, int count) => $"model-{index + 1:D5}-of-{count:D5}.safetensors";

    /// <summary>Cuts tensors of <paramref name="sizes"/> bytes (in state dict order) into shards of at most <paramref name="maxShardBytes"/>.</summary>
    public static ShardPlan Split(IReadOnlyList<long> sizes, long maxShardBytes)
    {
        if (maxShardBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxShardBytes), "a shard size must be positive");
        var shards = new List<IReadOnlyList<int>>();
        var current = new List<int>();
        long currentSize = 0, total = 0;
        for (int i = 0; i < sizes.Count; i++)
        {
            long size = sizes[i];
            total += size;
            // As huggingface_hub: a tensor over the limit gets a shard of its own, listed before the one being filled.
            if (size > maxShardBytes)
            {
                shards.Add(new[] { i });
                continue;
            }
            if (currentSize + size > maxShardBytes)
            {
                shards.Add(current);
                current = new List<int>();
                currentSize = 0;
            }
            current.Add(i);
            currentSize += size;
        }
        if (current.Count > 0 || shards.Count == 0) shards.Add(current);
        return new ShardPlan(shards, total);
    }
}
