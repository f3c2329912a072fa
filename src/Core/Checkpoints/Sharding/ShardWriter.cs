#nullable enable
using InitCfg.Core.Errors;
using InitCfg.Core.Files;
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints.Sharding;

/// <summary>
/// Writes a state dict into Hugging Face's sharded safetensors layout one tensor at a time, in any order: every
/// shard's header and size are known from the tensors' names, dtypes and shapes alone (tensors on the <c>meta</c>
/// device do), so each tensor's bytes go straight to their place in their shard's temporary file and the tensor can
/// be freed. <see cref="Commit"/> renames the shards into place and writes the index last; disposing uncommitted
/// removes every temporary file (and the folder, when this writer created it), so a failure leaves nothing behind.
/// </summary>
public sealed class ShardWriter : IDisposable
{
    private readonly IReadOnlyList<KeyValuePair<string, Tensor>> _layout;
    private readonly bool _overwrite;
    private readonly IProgress<long>? _progress;
    private readonly List<PendingFile> _pending = new();
    private readonly (int Shard, long Offset, long Bytes)[] _where;
    private readonly bool[] _written;
    private readonly bool _createdFolder;
    private long _done;
    private bool _committed;

    /// <summary>
    /// Checks <paramref name="folder"/> (created when missing; without <paramref name="overwrite"/> it may not hold a
    /// checkpoint of this layout yet) and creates the temporary shard files for <paramref name="layout"/> cut into
    /// shards of at most <paramref name="maxShardBytes"/> bytes of tensor data.
    /// </summary>
    public ShardWriter(string folder, IReadOnlyList<KeyValuePair<string, Tensor>> layout, long maxShardBytes, bool overwrite,
        IProgress<long>? bytesWritten = null)
    {
        Folder = Path.GetFullPath(folder);
        _layout = layout;
        _overwrite = overwrite;
        _progress = bytesWritten;
        ThrowIfUnusable(Folder, overwrite);
        Plan = ShardedSafetensors.Plan(layout, maxShardBytes);
        _createdFolder = !Directory.Exists(Folder);
        try { Directory.CreateDirectory(Folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InitCfgException(ErrorIds.ExportFailed, Folder, $"cannot create the folder '{Folder}': {e.Message}", e);
        }
        _where = new (int, long, long)[layout.Count];
        _written = new bool[layout.Count];
        try
        {
            for (int s = 0; s < Plan.Shards.Count; s++)
            {
                var pending = AtomicFile.Begin(Path.Combine(Folder, Plan.Names[s]), overwrite);
                _pending.Add(pending);
                var shard = Plan.Shards[s].Select(i => layout[i]).ToList();
                using var fs = pending.OpenWrite();
                long offset = SafetensorsWriter.WriteHeader(fs, shard);
                foreach (var i in Plan.Shards[s])
                {
                    long bytes = Bytes(layout[i].Value);
                    _where[i] = (s, offset, bytes);
                    offset += bytes;
                }
                fs.SetLength(offset); // the data's room, sparse until written
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Refuses <paramref name="folder"/> when it is a file, or (without <paramref name="overwrite"/>) holds a
    /// checkpoint of this layout already; for callers that check before long work.
    /// </summary>
    public static void ThrowIfUnusable(string folder, bool overwrite)
    {
        var full = Path.GetFullPath(folder);
        if (File.Exists(full))
            throw new InitCfgException(ErrorIds.ExportFailed, full, $"cannot write shards into '{full}': it is a file, not a folder.");
        if (!overwrite && ShardedSafetensors.Existing(full).FirstOrDefault() is { } existing)
            AtomicFile.ThrowIfExists(existing, overwrite: false);
    }

    /// <summary>The folder written.</summary>
    public string Folder { get; }

    /// <summary>How the tensors are cut into shards.</summary>
    public ShardPlan Plan { get; }

    /// <summary>Writes the bytes of <paramref name="tensor"/> as state entry <paramref name="index"/> (same dtype and shape as in the layout).</summary>
    public void Write(int index, Tensor tensor)
    {
        var expected = _layout[index].Value;
        if (_written[index]) throw new InvalidOperationException($"tensor {_layout[index].Key} was written twice.");
        if (tensor.dtype != expected.dtype || !tensor.shape.SequenceEqual(expected.shape))
            throw new InvalidOperationException($"tensor {_layout[index].Key} does not match its layout.");
        var (shard, offset, bytes) = _where[index];
        var pending = _pending[shard];
        try
        {
            using var fs = pending.OpenWrite(1 << 20);
            fs.Position = offset;
            TensorBytes.WriteFrom(fs, tensor);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw pending.Failed(e); }
        _written[index] = true;
        _done += bytes;
        _progress?.Report(_done);
    }

    /// <summary>Where the bytes of state entry <paramref name="index"/> are once committed: the shard's file and the offset in it.</summary>
    public (string File, long Offset) PlaceOf(int index) => (Path.Combine(Folder, Plan.Names[_where[index].Shard]), _where[index].Offset);

    /// <summary>
    /// Renames every shard into place, then writes the index (or leaves the one <c>model.safetensors</c>), then removes
    /// shards of an older checkpoint in the folder that the new one does not use. Returns the index (or the single file).
    /// </summary>
    public string Commit()
    {
        if (Array.IndexOf(_written, false) is var missing and >= 0)
            throw new InvalidOperationException($"tensor {_layout[missing].Key} was never written.");
        foreach (var p in _pending) p.Commit();
        _committed = true;
        string written = Path.Combine(Folder, Plan.IsSharded ? ShardPlan.IndexFileName : ShardPlan.SingleFileName);
        if (Plan.IsSharded) AtomicFile.Write(written, _overwrite, (fs, _) => ShardedSafetensors.WriteIndex(fs, _layout, Plan));
        foreach (var stale in ShardedSafetensors.Existing(Folder).Where(f => !Plan.Names.Contains(Path.GetFileName(f)) && f != written))
            AtomicFile.TryDelete(stale);
        return written;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var p in _pending) p.Dispose();
        _pending.Clear();
        if (_committed || !_createdFolder) return;
        try { if (Directory.Exists(Folder) && !Directory.EnumerateFileSystemEntries(Folder).Any()) Directory.Delete(Folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static long Bytes(Tensor t) => t.numel() * DTypes.Size(t.dtype);
}
