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
    public static NamedTensors Read(string file)
    {
        using var index = Open(file);
        return index.ReadAll();
    }

    /// <summary>
    /// Opens the checkpoint: the pickle is read (and checked against its CRC-32) and every tensor checked against its
    /// storage record now; the bytes are read later, straight into the model's tensors, and each storage record is
    /// checked against its CRC-32 as it is read (a bad one throws after its bytes were copied: the caller's
    /// transaction puts the model back). A big-endian archive (<c>archive/byteorder</c> = <c>big</c>) is
    /// byte-swapped as PyTorch 2.1+ does.
    /// </summary>
    public static CheckpointIndex Open(string file)
    {
        var zip = OpenZip(file);
        var storages = new StorageCache();
        var archives = new ArchivePool(zip, file);
        try
        {
            var (prefix, tensors) = Parse(zip, file);
            bool swap = BigEndian(zip, prefix, file);
            // The element ranges of each storage that its views cover: a storage is read with only those kept, so
            // a few views into a 1 GiB storage allocate what they view, not the storage. (Filled as each view is
            // checked below; the entries read it only when a load runs.)
            var covered = new Dictionary<string, List<(long Start, long End)>>();
            var entries = new List<CheckpointEntry>();
            foreach (var (key, value) in tensors.Entries)
            {
                if (key is not string name || value is not TensorRef tr) continue;
                var record = Record(zip, prefix, tr.Storage, file);
                CheckExtent(tr, name, file); // after this, the sums below cannot overflow
                bool whole = tr.Offset == 0 && DTypes.Elements(tr.Size) == tr.Storage.Elements && IsContiguous(tr.Size, tr.Stride);
                if (whole)
                {
                    // The whole record lands in the model's tensor; its CRC-32 is hashed chunk by chunk as it is read
                    // and compared after the last byte (CrcCheckedStream). Each read borrows an archive of its own, so
                    // a load may read such records on every core.
                    entries.Add(new CheckpointEntry(name, tr.Storage.DType, tr.Size, dest =>
                    {
                        if (dest.dtype != tr.Storage.DType || !dest.is_contiguous())
                        {
                            using var t = empty(tr.Size, tr.Storage.DType);
                            ReadWhole(archives, record, t, swap);
                            using (no_grad()) dest.copy_(t);
                            return TensorBytes.AllFinite(dest);
                        }
                        return ReadWhole(archives, record, dest, swap);
                    }) { ThreadSafe = true });
                    continue;
                }
                bool noElements = tr.Size.Any(d => d == 0);
                if (!noElements)
                {
                    if (!covered.TryGetValue(tr.Storage.Key, out var spans)) covered[tr.Storage.Key] = spans = new();
                    spans.Add((tr.Offset, tr.Offset + 1 + tr.Size.Select((d, i) => (d - 1) * tr.Stride[i]).Sum()));
                }
                entries.Add(new CheckpointEntry(name, tr.Storage.DType, tr.Size, dest =>
                {
                    if (noElements) return true;
                    // Views of one storage (flat-parameter checkpoints) follow each other: the storage is read once,
                    // kept until another is asked for, and each view is copied out of it without a second copy.
                    var parts = storages.Get(tr.Storage.Key, () => ReadStorage(record, tr.Storage, covered[tr.Storage.Key], swap, file));
                    var (start, part) = parts.Holding(tr.Offset);
                    using var view = part.as_strided(tr.Size, tr.Stride, tr.Offset - start);
                    using (no_grad()) dest.copy_(view);
                    return TensorBytes.AllFinite(dest);
                }));
            }
            return new CheckpointIndex(file, CheckpointFormat.PyTorch, entries, new IDisposable[] { storages, archives });
        }
        catch
        {
            storages.Dispose();
            archives.Dispose();
            throw;
        }
    }

    private static bool ReadWhole(ArchivePool archives, ZipArchiveEntry record, Tensor dest, bool swap)
    {
        var archive = archives.Take();
        try
        {
            using var stream = OpenRecord(archives.Same(archive, record));
            bool finite = TensorBytes.ReadInto(stream, dest);
            if (!swap) return finite;
            TensorBytes.SwapBytes(dest);
            return TensorBytes.AllFinite(dest);
        }
        finally { archives.Return(archive); }
    }

    // The opened archive and, while reads run at once, more archives over the same file (a ZipArchive reads through
    // one stream and is not thread-safe). One read at a time always gets the first, so a serial load opens nothing more.
    private sealed class ArchivePool : IDisposable
    {
        private readonly ZipArchive _first;
        private readonly string _file;
        private readonly System.Collections.Concurrent.ConcurrentBag<ZipArchive> _idle = new();
        private readonly List<ZipArchive> _all = new();

        public ArchivePool(ZipArchive first, string file)
        {
            _first = first;
            _file = file;
            _idle.Add(first);
            _all.Add(first);
        }

        public ZipArchive Take()
        {
            if (_idle.TryTake(out var archive)) return archive;
            archive = OpenZip(_file);
            lock (_all) _all.Add(archive);
            return archive;
        }

        public void Return(ZipArchive archive) => _idle.Add(archive);

        // The record in another archive of the file must be the one the index checked: the same size and CRC-32
        // (a file replaced meanwhile is caught here or by its CRC; the Pretrained init also compares the file's stamp).
        public ZipArchiveEntry Same(ZipArchive archive, ZipArchiveEntry record)
        {
            if (ReferenceEquals(archive, _first)) return record;
            var again = archive.GetEntry(record.FullName);
            if (again is null || again.Length != record.Length || again.Crc32 != record.Crc32 || again.CompressedLength != record.CompressedLength)
                throw Unreadable(_file, $"record {record.FullName} changed while the checkpoint was read");
            return again;
        }

        public void Dispose()
        {
            lock (_all)
            {
                foreach (var a in _all) a.Dispose();
                _all.Clear();
            }
        }
    }

    /// <summary>Most a record may inflate: torch.save stores records uncompressed, and no real weights deflate 100:1.</summary>
    public const int MaxCompressionRatio = 100;

    private static ZipArchiveEntry Record(ZipArchive zip, string prefix, StorageRef s, string file)
    {
        var record = zip.GetEntry(prefix + "data/" + s.Key) ?? throw Unreadable(file, $"storage record data/{s.Key} is missing");
        long bytes = DTypes.Bytes(s.Elements, s.DType);
        if (bytes < 0 || record.Length != bytes)
            throw Unreadable(file, $"storage data/{s.Key} claims {bytes} bytes but the record holds {record.Length}");
        CheckRatio(record, file);
        return record;
    }

    private static void CheckRatio(ZipArchiveEntry record, string file)
    {
        if (record.Length > 1 << 20 && record.Length > (long)MaxCompressionRatio * record.CompressedLength)
            throw Unreadable(file, $"record {record.FullName} inflates {record.CompressedLength} bytes to {record.Length}, more than " +
                $"{MaxCompressionRatio}:1, which no real checkpoint does; it was refused as a decompression bomb");
    }

    private static Stream OpenRecord(ZipArchiveEntry record) => new CrcCheckedStream(record.Open(), record.FullName, record.Length, record.Crc32);

    private static bool BigEndian(ZipArchive zip, string prefix, string file)
    {
        if (zip.GetEntry(prefix + "byteorder") is not { } entry) return false;
        if (entry.Length > 16) throw Unreadable(file, "its byteorder record is not 'little' or 'big'");
        var order = System.Text.Encoding.ASCII.GetString(ReadAll(entry, file)).Trim();
        return order switch
        {
            "little" => false,
            "big" => true,
            _ => throw Unreadable(file, $"its byteorder record says '{order}', neither 'little' nor 'big'"),
        };
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
        CheckRatio(pkl, file);
        var root = RestrictedUnpickler.Load(ReadAll(pkl, file), file);
        var tensors = FindStateDict(root) ?? throw Unreadable(file, "it holds no dictionary of tensors");
        return (prefix, tensors);
    }

    private static ZipArchive OpenZip(string file)
    {
        // A small buffer: ZipArchive reads each record's 30-byte local header through it before the record, and a
        // 64 KiB buffer would read (and copy) 64 KiB there, for every one of hundreds of records. The records
        // themselves are read in large pieces, which bypass the buffer.
        var fs = CheckpointFile.OpenRegular(file, 4096);
        try { return new ZipArchive(fs, ZipArchiveMode.Read, leaveOpen: false); }
        catch (InvalidDataException e)
        {
            fs.Dispose();
            throw Unreadable(file, "it is not a valid zip archive (" + e.Message + ")");
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    private static PickleDict? FindStateDict(object? root)
    {
        if (root is not PickleDict d) return null;
        if (d.Entries.Any(e => e.Value is TensorRef)) return d;
        foreach (var key in new[] { "state_dict", "model", "module" })
            if (d.Get(key) is PickleDict inner && inner.Entries.Any(e => e.Value is TensorRef)) return inner;
        return d.Entries.Count == 0 ? d : null;
    }

    // Reads the parts of a storage its views cover, each into a tensor of its own, passing over the rest (the whole
    // record still goes through the CRC-32).
    private static StorageParts ReadStorage(ZipArchiveEntry record, StorageRef s, List<(long Start, long End)> covered, bool swap, string file)
    {
        var parts = new StorageParts();
        var skip = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            using var stream = OpenRecord(record);
            long at = 0, size = DTypes.Size(s.DType);
            foreach (var (start, end) in Merged(covered))
            {
                Skip(stream, (start - at) * size, skip);
                var t = empty(new[] { end - start }, s.DType);
                parts.Add(start, t);
                // Fresh memory, all of it written next: in 2 MiB pages a 64 MiB part faults in about five times faster.
                if ((end - start) * size is var bytes and > 0 and <= int.MaxValue) NativeBlocks.AdviseHuge(TensorBytes.Address(t), bytes);
                TensorBytes.ReadInto(stream, t);
                if (swap) TensorBytes.SwapBytes(t);
                at = end;
            }
            stream.CopyTo(Stream.Null, 1 << 20);
            return parts;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            parts.Dispose();
            throw Unreadable(file, $"storage data/{s.Key} cannot be read ({e.Message})");
        }
        catch
        {
            parts.Dispose();
            throw;
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(skip); }
    }

    private static void Skip(Stream stream, long bytes, byte[] buffer)
    {
        while (bytes > 0)
        {
            int n = stream.Read(buffer, 0, (int)Math.Min(bytes, buffer.Length));
            if (n == 0) throw new EndOfStreamException("the record ends before the parts its tensors view");
            bytes -= n;
        }
    }

    // The element ranges [start, end) a storage's views reach, sorted and merged where they overlap or touch.
    private static List<(long Start, long End)> Merged(IEnumerable<(long Start, long End)> spans)
    {
        var merged = new List<(long Start, long End)>();
        foreach (var (start, end) in spans.OrderBy(x => x.Start))
        {
            if (merged.Count > 0 && start <= merged[^1].End) merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, end));
            else merged.Add((start, end));
        }
        return merged;
    }

    // The covered parts of a storage as read, by their first element; every view lies inside one part.
    private sealed class StorageParts : IDisposable
    {
        private readonly List<(long Start, Tensor Part)> _parts = new();

        public void Add(long start, Tensor part) => _parts.Add((start, part));

        public (long Start, Tensor Part) Holding(long offset)
        {
            int lo = 0, hi = _parts.Count - 1;
            while (lo < hi)
            {
                int mid = (lo + hi + 1) / 2;
                if (_parts[mid].Start <= offset) lo = mid; else hi = mid - 1;
            }
            return _parts[lo];
        }

        public void Dispose()
        {
            foreach (var (_, t) in _parts) t.Dispose();
            _parts.Clear();
        }
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
        try
        {
            using var s = OpenRecord(entry);
            var bytes = new byte[entry.Length];
            s.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw Unreadable(file, $"record {entry.FullName} is corrupt ({e.Message})");
        }
    }

    // The last storage read for views, disposed when another is read or the checkpoint is closed.
    private sealed class StorageCache : IDisposable
    {
        private string? _key;
        private StorageParts? _parts;

        public StorageParts Get(string key, Func<StorageParts> read)
        {
            if (_parts is not null && _key == key) return _parts;
            Dispose();
            _parts = read();
            _key = key;
            return _parts;
        }

        public void Dispose()
        {
            _parts?.Dispose();
            _parts = null;
            _key = null;
        }
    }

    internal static InitCfgException Unreadable(string file, string why) =>
        new(ErrorIds.CheckpointUnreadable, file, $"checkpoint '{file}' cannot be read: {why}.");
}
