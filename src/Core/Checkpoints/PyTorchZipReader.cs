#nullable enable
using System.IO.Compression;
using InitCfg.Core.Checkpoints.Pickle;
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// Reads a <c>torch.save</c> zip: the pickle through <see cref="RestrictedUnpickler"/>, then each storage record,
/// checked against the size the pickle claims before anything is allocated.
/// </summary>
public static class PyTorchZipReader
{
    /// <summary>Reads the state dict (unwrapping <c>state_dict</c>/<c>model</c> and DataParallel's <c>module.</c>).</summary>
    public static StateDict Read(string file)
    {
        using var index = Open(file);
        return index.ReadAll();
    }

    /// <summary>
    /// Opens the checkpoint: the pickle is read and every tensor checked against its storage record now; the bytes
    /// are read later, straight into the model's tensors.
    /// </summary>
    public static CheckpointIndex Open(string file)
    {
        var zip = OpenZip(file);
        try
        {
            var (prefix, tensors) = Parse(zip, file);
            var entries = new List<CheckpointEntry>();
            foreach (var (key, value) in tensors.Entries)
            {
                if (key is not string name || value is not TensorRef tr) continue;
                var record = zip.GetEntry(prefix + "data/" + tr.Storage.Key) ?? throw Unreadable(file, $"storage record data/{tr.Storage.Key} is missing");
                long bytes = DTypes.Bytes(tr.Storage.Elements, tr.Storage.DType);
                if (bytes < 0 || record.Length != bytes)
                    throw Unreadable(file, $"storage data/{tr.Storage.Key} claims {bytes} bytes but the record holds {record.Length}");
                CheckExtent(tr, name, file);
                bool whole = tr.Offset == 0 && DTypes.Elements(tr.Size) == tr.Storage.Elements && IsContiguous(tr.Size, tr.Stride);
                entries.Add(new CheckpointEntry(name, tr.Storage.DType, tr.Size, dest =>
                {
                    if (whole && dest.dtype == tr.Storage.DType && dest.is_contiguous())
                    {
                        using var stream = record.Open();
                        TensorBytes.ReadInto(stream, dest);
                        return;
                    }
                    using var storage = ReadStorage(zip, prefix, tr.Storage, file);
                    using var view = View(storage, tr, name, file);
                    using var _ = no_grad();
                    dest.copy_(view);
                }));
            }
            return new CheckpointIndex(file, CheckpointFormat.PyTorch, entries, new IDisposable[] { zip });
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private static (string Prefix, PickleDict Tensors) Parse(ZipArchive zip, string file)
    {
        // Nothing is extracted to disk, but an archive naming paths outside itself is not one torch.save wrote.
        if (zip.Entries.FirstOrDefault(e => e.FullName.StartsWith('/') || e.FullName.Split('/', '\\').Contains("..")) is { } bad)
            throw new InitCfgException(ErrorIds.CheckpointUnsafe, file, $"checkpoint '{file}' holds an entry named '{bad.FullName}', outside the archive; it was refused.");
        var pkl = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) || e.FullName == "data.pkl")
                     .OrderBy(e => e.FullName.Length).FirstOrDefault()
                  ?? throw Unreadable(file, "the zip holds no data.pkl record");
        var prefix = pkl.FullName[..^"data.pkl".Length];
        if (pkl.Length > 1L << 30) throw Unreadable(file, "data.pkl is larger than 1 GiB");
        var root = RestrictedUnpickler.Load(ReadAll(pkl, file), file);
        var tensors = FindStateDict(root) ?? throw Unreadable(file, "it holds no dictionary of tensors");
        return (prefix, tensors);
    }

    private static ZipArchive OpenZip(string file)
    {
        try { return ZipFile.OpenRead(file); }
        catch (InvalidDataException e) { throw Unreadable(file, "it is not a valid zip archive (" + e.Message + ")"); }
    }

    private static PickleDict? FindStateDict(object? root)
    {
        if (root is not PickleDict d) return null;
        if (d.Entries.Any(e => e.Value is TensorRef)) return d;
        foreach (var key in new[] { "state_dict", "model", "module" })
            if (d.Get(key) is PickleDict inner && inner.Entries.Any(e => e.Value is TensorRef)) return inner;
        return d.Entries.Count == 0 ? d : null;
    }

    private static Tensor ReadStorage(ZipArchive zip, string prefix, StorageRef s, string file)
    {
        var entry = zip.GetEntry(prefix + "data/" + s.Key) ?? throw Unreadable(file, $"storage record data/{s.Key} is missing");
        long bytes = DTypes.Bytes(s.Elements, s.DType);
        if (bytes < 0 || entry.Length != bytes)
            throw Unreadable(file, $"storage data/{s.Key} claims {bytes} bytes but the record holds {entry.Length}");
        var t = empty(new[] { s.Elements }, s.DType);
        try
        {
            using var stream = entry.Open();
            TensorBytes.ReadInto(stream, t);
            return t;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or EndOfStreamException)
        {
            t.Dispose();
            throw Unreadable(file, $"storage data/{s.Key} cannot be read ({e.Message})");
        }
    }

    private static Tensor View(Tensor storage, TensorRef tr, string name, string file)
    {
        CheckExtent(tr, name, file);
        long n = DTypes.Elements(tr.Size);
        bool contiguous = tr.Offset == 0 && n == tr.Storage.Elements && IsContiguous(tr.Size, tr.Stride);
        if (contiguous) return storage.view(tr.Size); // shares the storage's memory: no copy
        using var view = storage.as_strided(tr.Size, tr.Stride, tr.Offset);
        return view.contiguous().clone();
    }

    private static void CheckExtent(TensorRef tr, string name, string file)
    {
        long extent = tr.Offset;
        for (int i = 0; i < tr.Size.Length; i++)
        {
            if (tr.Size[i] < 0 || tr.Stride[i] < 0) throw Unreadable(file, $"tensor {name} has a negative size or stride");
            try { if (tr.Size[i] > 0) extent = checked(extent + (tr.Size[i] - 1) * tr.Stride[i]); }
            catch (OverflowException) { throw Unreadable(file, $"tensor {name} has a size and stride whose extent overflows"); }
        }
        if (DTypes.Elements(tr.Size) < 0) throw Unreadable(file, $"tensor {name} has a shape whose size overflows");
        bool empty = tr.Size.Any(d => d == 0);
        if (tr.Offset < 0 || (!empty && extent >= tr.Storage.Elements))
            throw Unreadable(file, $"tensor {name} reaches past the end of its storage");
    }

    private static bool IsContiguous(long[] size, long[] stride)
    {
        long expected = 1;
        for (int i = size.Length - 1; i >= 0; i--)
        {
            if (size[i] != 1 && stride[i] != expected) return false;
            expected *= size[i];
        }
        return true;
    }

    private static byte[] ReadAll(ZipArchiveEntry entry, string file)
    {
        using var s = entry.Open();
        using var ms = new MemoryStream();
        try { s.CopyTo(ms); }
        catch (InvalidDataException e) { throw Unreadable(file, $"record {entry.FullName} is corrupt ({e.Message})"); }
        return ms.ToArray();
    }

    internal static InitCfgException Unreadable(string file, string why) =>
        new(ErrorIds.CheckpointUnreadable, file, $"checkpoint '{file}' cannot be read: {why}.");
}
