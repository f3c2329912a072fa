#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints.Pickle;

/// <summary>A storage a tensor in a PyTorch checkpoint refers to: its record key, element type and length.</summary>
public sealed record StorageRef(string Key, ScalarType DType, long Elements);

/// <summary>A tensor in a PyTorch checkpoint, not yet read: a view (offset, size, stride) of a storage.</summary>
public sealed record TensorRef(StorageRef Storage, long Offset, long[] Size, long[] Stride);

/// <summary>An allowed global named by a pickle (for example <c>collections.OrderedDict</c>).</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => Module + "." + Name;
}

/// <summary>A dictionary from a pickle, in insertion order.</summary>
public sealed class PickleDict
{
    // Key -> position in Entries, so a dict of 200k keys is built in linear time (a null key is kept apart).
    private readonly Dictionary<object, int> _positions = new();
    private int _nullPosition = -1;

    /// <summary>Entries in insertion order.</summary>
    public List<KeyValuePair<object?, object?>> Entries { get; } = new();

    /// <summary>Sets a key (replacing an earlier one).</summary>
    public void Set(object? key, object? value)
    {
        int i = key is null ? _nullPosition : _positions.GetValueOrDefault(key, -1);
        if (i >= 0) { Entries[i] = new(key, value); return; }
        if (key is null) _nullPosition = Entries.Count; else _positions[key] = Entries.Count;
        Entries.Add(new(key, value));
    }

    /// <summary>The value of a string key, or null.</summary>
    public object? Get(string key) => _positions.TryGetValue(key, out var i) ? Entries[i].Value : null;
}

/// <summary>A pickled tuple (kept apart from lists so shapes read naturally).</summary>
internal sealed record PickleTuple(object?[] Items);
