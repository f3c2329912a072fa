#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>Named tensors read from (or to be written to) a checkpoint, in file order. Disposing frees them.</summary>
public sealed class NamedTensors : IDisposable
{
    private readonly List<KeyValuePair<string, Tensor>> _items = new();

    /// <summary>The file the tensors came from (null when built in memory).</summary>
    public string? Source { get; init; }

    /// <summary>The format they came from.</summary>
    public CheckpointFormat Format { get; init; }

    /// <summary>Entries in order.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Items => _items;

    /// <summary>Number of tensors.</summary>
    public int Count => _items.Count;

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Adds a tensor (the dictionary takes ownership); a name given twice makes the file unreadable.</summary>
    public void Add(string name, Tensor tensor)
    {
        if (!_names.Add(name))
        {
            tensor.Dispose();
            throw new Errors.InitCfgException(Errors.ErrorIds.CheckpointUnreadable, Source,
                $"checkpoint '{Source}' cannot be read: the key '{name}' appears twice.");
        }
        _items.Add(new(name, tensor));
    }

    /// <summary>These tensors as an opened checkpoint (a read copies from memory); the index does not own them.</summary>
    public CheckpointIndex AsIndex(string source) => new(Source ?? source, Format,
        _items.Select(i => new CheckpointEntry(i.Key, i.Value.dtype, i.Value.shape, dest =>
        {
            using (no_grad()) dest.copy_(i.Value);
            return TensorBytes.AllFinite(dest);
        })));

    /// <summary>Removes DataParallel's <c>module.</c> prefix when every key carries it.</summary>
    public void StripDataParallelPrefix()
    {
        const string p = "module.";
        if (_items.Count == 0 || !_items.All(i => i.Key.StartsWith(p, StringComparison.Ordinal))) return;
        for (int i = 0; i < _items.Count; i++) _items[i] = new(_items[i].Key[p.Length..], _items[i].Value);
        _names.Clear();
        foreach (var (k, _) in _items) _names.Add(k);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, t) in _items) t.Dispose();
        _items.Clear();
    }
}
