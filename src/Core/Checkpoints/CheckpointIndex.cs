#nullable enable
using InitCfg.Core.Errors;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// An opened checkpoint: every tensor's name, type and shape, checked against the file, with the bytes left in the
/// file until a load reads them straight into the model's tensors (no second copy of the weights in memory).
/// </summary>
public sealed class CheckpointIndex : IDisposable
{
    private readonly List<IDisposable> _owned;

    /// <summary>Wraps entries; <paramref name="owned"/> (open archives, tensors) is disposed with the index.</summary>
    public CheckpointIndex(string source, CheckpointFormat format, IEnumerable<CheckpointEntry> entries, IEnumerable<IDisposable>? owned = null)
    {
        Source = source;
        Format = format;
        _owned = owned?.ToList() ?? new List<IDisposable>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var list = entries.ToList();
        foreach (var e in list)
            if (!names.Add(e.Name))
            {
                Dispose();
                throw new InitCfgException(ErrorIds.CheckpointUnreadable, source, $"checkpoint '{source}' cannot be read: the key '{e.Name}' appears twice.");
            }
        _raw = list;
        Entries = StripDataParallel(list);
    }

    // The names as the file has them (before DataParallel's "module." was taken off), for a model that has a child
    // named "module" itself.
    private readonly List<CheckpointEntry>? _raw;

    private CheckpointIndex(string source, CheckpointFormat format, List<CheckpointEntry> entries)
    {
        Source = source;
        Format = format;
        Entries = entries;
        _owned = new List<IDisposable>();
    }

    /// <summary>The file.</summary>
    public string Source { get; }

    /// <summary>Its format.</summary>
    public CheckpointFormat Format { get; }

    /// <summary>The tensors, in file order.</summary>
    public IReadOnlyList<CheckpointEntry> Entries { get; }

    /// <summary>
    /// Reads one entry into <paramref name="dest"/>; returns whether every value read is finite. A file that fails
    /// mid-read (a record failing its CRC-32 after its bytes were copied) is an unreadable checkpoint: the caller
    /// puts back what was written.
    /// </summary>
    public bool Read(CheckpointEntry entry, TorchSharp.torch.Tensor dest)
    {
        try { return entry.ReadInto(dest); }
        catch (Exception x) when (x is not InitCfgException)
        {
            throw PyTorchZipReader.Unreadable(Source, $"tensor {entry.Name} cannot be read ({x.Message})");
        }
    }

    /// <summary>
    /// This index as a model with these state names sees it: DataParallel's <c>module.</c> stays off only when the
    /// model itself has no key under <c>module.</c> (a child named <c>module</c>); otherwise the file's own names.
    /// </summary>
    public CheckpointIndex For(IEnumerable<string> modelKeys) =>
        _raw is null || ReferenceEquals(_raw, Entries) || !modelKeys.Any(k => k.StartsWith(DataParallelPrefix, StringComparison.Ordinal))
            ? this
            : new CheckpointIndex(Source, Format, _raw);

    /// <summary>
    /// When no key starts with <paramref name="prefix"/>, the nearest prefix the file has (its keys' first dotted
    /// parts, with the dot), for a "did you mean" hint; null otherwise.
    /// </summary>
    public string? SuggestPrefix(string prefix)
    {
        if (Entries.Any(e => e.Name.StartsWith(prefix, StringComparison.Ordinal))) return null;
        var heads = Entries.Select(e => e.Name.IndexOf('.') is var dot and > 0 ? e.Name[..(dot + 1)] : null)
            .Where(h => h is not null).Distinct().ToList();
        return Nearest.Find(prefix, heads!);
    }

    /// <summary>Every tensor read into new memory.</summary>
    public NamedTensors ReadAll()
    {
        var result = new NamedTensors { Source = Source, Format = Format };
        try
        {
            foreach (var e in Entries)
            {
                var t = TorchSharp.torch.empty(e.Shape, e.DType);
                result.Add(e.Name, t);
                Read(e, t);
            }
        }
        catch
        {
            result.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>Entries under <paramref name="prefix"/>, renamed without it; shares this index's open file.</summary>
    public CheckpointIndex WithPrefix(string prefix) => new(Source, Format,
        Entries.Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e with { Name = e.Name[prefix.Length..] }).ToList());

    private const string DataParallelPrefix = "module.";

    private static List<CheckpointEntry> StripDataParallel(List<CheckpointEntry> entries)
    {
        const string p = DataParallelPrefix;
        return entries.Count > 0 && entries.All(e => e.Name.StartsWith(p, StringComparison.Ordinal))
            ? entries.Select(e => e with { Name = e.Name[p.Length..] }).ToList()
            : entries;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
        _owned.Clear();
    }
}
