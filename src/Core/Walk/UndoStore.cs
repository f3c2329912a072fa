#nullable enable
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using InitCfg.Core.Checkpoints;
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>
/// The bytes an init run overwrites, kept until it commits. A contiguous CPU tensor is copied with a plain memory
/// copy into native chunks (a few are kept from call to call, so a model like ResNet-50 faults no page in again, and
/// libtorch allocates nothing); once <see cref="MemoryLimit"/> bytes are held, further copies are written one after
/// another to a nameless temp file (<see cref="UndoSpillFile"/>) that goes away when the store is disposed. Anything else (another device, a strided
/// view) is cloned.
/// </summary>
internal sealed class UndoStore : IDisposable
{
    // 32 MiB: glibc serves blocks this large with mmap whatever its dynamic threshold, so a chunk freed goes back
    // to the system at once (smaller ones can stay in the heap after a big run).
    private const int ChunkBytes = 32 << 20;

    // Chunks kept for the next call: the whole default budget while calls follow each other (a sweep, a bench, a
    // retry), since a page the process gives back costs a fault to get again (NativeBlocks); 128 MiB (ResNet-50's
    // 98 MB) once no call has ended for IdleTrim.
    private const int PooledChunks = 16;
    private const int KeptChunks = 4;
    private static readonly TimeSpan IdleTrim = TimeSpan.FromSeconds(30);

    private static readonly ConcurrentBag<IntPtr> Pool = new();
    private static readonly Timer Trim = new(_ =>
    {
        while (Pool.Count > KeptChunks && Pool.TryTake(out var p)) NativeBlocks.Free(p);
    });

    // A piece of one tensor read or written through a span (spans are int-sized).
    private const long PieceBytes = 1L << 30;

    private readonly List<IntPtr> _chunks = new();
    private readonly List<Tensor> _clones = new();
    private long _memoryUsed;
    private UndoSpillFile? _spill;

    private readonly string _folder;

    /// <summary>Keeps at most <paramref name="memoryLimit"/> bytes in memory; the rest goes to a temp file in <paramref name="folder"/>.</summary>
    public UndoStore(long memoryLimit, string folder)
    {
        MemoryLimit = Math.Max(0, memoryLimit);
        _folder = folder;
    }

    /// <summary>Folder of the temp file.</summary>
    public string Folder => _folder;

    /// <summary>Bytes kept in memory before copies spill to a temp file.</summary>
    public long MemoryLimit { get; }

    /// <summary>Bytes of every copy kept.</summary>
    public long Bytes { get; private set; }

    /// <summary>Bytes of the copies written to the temp file.</summary>
    public long SpilledBytes { get; private set; }

    /// <summary>One tensor's saved bytes (or a clone, for tensors that are not contiguous CPU memory).</summary>
    public sealed class Copy
    {
        internal Copy(long[] shape, ScalarType dtype, long bytes) { Shape = shape; DType = dtype; Bytes = bytes; }
        internal long[] Shape { get; }
        internal ScalarType DType { get; }
        internal long Bytes { get; }
        internal long Offset { get; set; }
        internal bool InFile { get; set; }
        internal Tensor? Clone { get; set; }
    }

    /// <summary>Copies <paramref name="tensor"/>'s current values.</summary>
    public Copy Save(Tensor tensor)
    {
        long bytes = tensor.numel() * tensor.element_size();
        var copy = new Copy(tensor.shape, tensor.dtype, bytes);
        Bytes += bytes;
        if (!IsPlain(tensor))
        {
            using (no_grad())
            {
                using var detached = tensor.detach(); // a temporary could be finalized while libtorch clones it
                copy.Clone = detached.clone();
            }
            _clones.Add(copy.Clone);
            return copy;
        }
        if (_memoryUsed + bytes <= MemoryLimit)
        {
            copy.Offset = _memoryUsed;
            ForEachPiece(tensor, (piece, at) => ToChunks(piece, copy.Offset + at));
            _memoryUsed += bytes;
        }
        else
        {
            _spill ??= UndoSpillFile.Create(_folder);
            copy.InFile = true;
            copy.Offset = _spill.Length;
            ForEachPiece(tensor, (piece, _) => _spill.Append(piece));
            SpilledBytes += bytes;
        }
        GC.KeepAlive(tensor); // the spans were over its memory
        return copy;
    }

    /// <summary>
    /// <see cref="Save"/> of several tensors, the in-memory copies made on every core: each copy's place in the chunks
    /// is given out first, in order (so the copies land where serial saves would put them), then the bytes are copied
    /// at once. A checkpoint load saves every tensor of the model before it reads: one core's memcpy took about a
    /// third of a ResNet-50 Pretrained call.
    /// </summary>
    public Copy[] SaveMany(IReadOnlyList<Tensor> tensors)
    {
        var copies = new Copy[tensors.Count];
        var parallel = new List<int>();
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            long bytes = t.numel() * t.element_size();
            if (Environment.ProcessorCount < 2 || !IsPlain(t) || bytes < ParallelMinBytes || _memoryUsed + bytes > MemoryLimit)
            {
                copies[i] = Save(t);
                continue;
            }
            copies[i] = new Copy(t.shape, t.dtype, bytes) { Offset = _memoryUsed };
            _memoryUsed += bytes;
            Bytes += bytes;
            while ((long)_chunks.Count * ChunkBytes < _memoryUsed) _chunks.Add(Rent());
            parallel.Add(i);
        }
        if (parallel.Count > 0)
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, parallel.Count, 1),
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, range =>
                {
                    for (int k = range.Item1; k < range.Item2; k++)
                    {
                        var t = tensors[parallel[k]];
                        long offset = copies[parallel[k]].Offset;
                        ForEachPiece(t, (piece, at) => ToChunks(piece, offset + at));
                        GC.KeepAlive(t); // the spans were over its memory
                    }
                });
        }
        return copies;
    }

    // Smaller tensors are copied on the calling thread, in the first pass: a worker costs more than their copy.
    private const long ParallelMinBytes = 256 << 10;

    /// <summary>Writes the saved values back into <paramref name="dest"/> (same shape and type).</summary>
    public void Restore(Copy copy, Tensor dest)
    {
        using var _ = no_grad();
        if (copy.Clone is { } clone) { dest.copy_(clone); return; }
        if (!IsPlain(dest))
        {
            using var fresh = New(copy);
            dest.copy_(fresh);
            return;
        }
        if (copy.InFile) ForEachPiece(dest, (piece, at) => _spill!.ReadAt(copy.Offset + at, piece));
        else ForEachPiece(dest, (piece, at) => FromChunks(piece, copy.Offset + at));
        GC.KeepAlive(dest);
    }

    /// <summary>A new tensor holding the saved values.</summary>
    public Tensor New(Copy copy)
    {
        if (copy.Clone is { } clone) return clone.clone();
        var t = empty(copy.Shape, copy.DType);
        Restore(copy, t);
        return t;
    }

    private static bool IsPlain(Tensor t) => t.device_type == TorchSharp.DeviceType.CPU && t.is_contiguous();

    // Calls action with spans over consecutive pieces of a contiguous CPU tensor and each piece's byte offset.
    private static void ForEachPiece(Tensor t, SpanAction action)
    {
        long bytes = t.numel() * t.element_size();
        if (bytes == 0) return;
        if (bytes <= PieceBytes)
        {
            action(t.bytes, 0);
            return;
        }
        using var flat = t.view(-1);
        long perPiece = PieceBytes / t.element_size();
        for (long start = 0; start < flat.numel(); start += perPiece)
        {
            using var piece = flat.narrow(0, start, Math.Min(perPiece, flat.numel() - start));
            action(piece.bytes, start * t.element_size());
            GC.KeepAlive(piece);
        }
    }

    private delegate void SpanAction(Span<byte> span, long at);

    private void ToChunks(ReadOnlySpan<byte> source, long at)
    {
        while (source.Length > 0)
        {
            int chunk = (int)(at / ChunkBytes), within = (int)(at % ChunkBytes);
            while (_chunks.Count <= chunk) _chunks.Add(Rent());
            int n = Math.Min(source.Length, ChunkBytes - within);
            StreamingCopy(source[..n], Chunk(chunk, within, n));
            source = source[n..];
            at += n;
        }
    }

    // A copy whose stores bypass the cache (non-temporal): the undo bytes are read back only when a call fails, so
    // writing them around the cache spares the memory bus the read-for-ownership of every line, and leaves the
    // model's own bytes in cache for the load or draws that overwrite them next. Elsewhere a plain copy.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void StreamingCopy(ReadOnlySpan<byte> source, Span<byte> dest)
    {
        if (!Avx512F.IsSupported || !Vector512.IsHardwareAccelerated || source.Length < 4096)
        {
            source.CopyTo(dest);
            return;
        }
        fixed (byte* from = source)
        fixed (byte* to = dest)
        {
            int head = (int)((64 - ((nint)to & 63)) & 63), i = head;
            source[..head].CopyTo(dest);
            for (; i + 256 <= source.Length; i += 256)
            {
                var a = Vector512.Load(from + i);
                var b = Vector512.Load(from + i + 64);
                var c = Vector512.Load(from + i + 128);
                var d = Vector512.Load(from + i + 192);
                Avx512F.StoreAlignedNonTemporal(to + i, a);
                Avx512F.StoreAlignedNonTemporal(to + i + 64, b);
                Avx512F.StoreAlignedNonTemporal(to + i + 128, c);
                Avx512F.StoreAlignedNonTemporal(to + i + 192, d);
            }
            source[i..].CopyTo(dest[i..]);
            Sse.StoreFence(); // streaming stores are weakly ordered
        }
    }

    private void FromChunks(Span<byte> dest, long at)
    {
        while (dest.Length > 0)
        {
            int chunk = (int)(at / ChunkBytes), within = (int)(at % ChunkBytes);
            int n = Math.Min(dest.Length, ChunkBytes - within);
            Chunk(chunk, within, n).CopyTo(dest[..n]);
            dest = dest[n..];
            at += n;
        }
    }

    private unsafe Span<byte> Chunk(int chunk, int within, int length) => new((byte*)_chunks[chunk] + within, length);

    private static IntPtr Rent() => Pool.TryTake(out var p) ? p : NativeBlocks.Alloc(ChunkBytes);

    private static void Return(IntPtr p)
    {
        if (Pool.Count < PooledChunks) Pool.Add(p);
        else NativeBlocks.Free(p);
    }

    /// <summary>Returns the chunks to the pool, disposes clones and deletes the temp file.</summary>
    public void Dispose()
    {
        foreach (var c in _chunks) Return(c);
        if (_chunks.Count > 0) Trim.Change(IdleTrim, Timeout.InfiniteTimeSpan);
        _chunks.Clear();
        foreach (var c in _clones) c.Dispose();
        _clones.Clear();
        _memoryUsed = 0;
        _spill?.Dispose();
        _spill = null;
    }
}
