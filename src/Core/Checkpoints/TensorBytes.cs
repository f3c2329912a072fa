#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// Moves tensor bytes between streams and tensor memory through a span over the tensor's own storage:
/// TorchSharp's Read/WriteBytesToStream copy through a managed buffer and are several times slower.
/// </summary>
public static class TensorBytes
{
    /// <summary>
    /// Fills a contiguous CPU tensor from the stream (throws EndOfStreamException when it ends early); returns whether
    /// every value read is finite.
    /// </summary>
    public static bool ReadInto(Stream stream, Tensor tensor)
    {
        long bytes = tensor.numel() * tensor.element_size();
        if (bytes == 0) return true;
        if (bytes > int.MaxValue || !tensor.is_contiguous())
        {
            tensor.ReadBytesFromStream(stream, 1 << 22);
            return AllFinite(tensor);
        }
        // In cache-sized chunks, each checked while it is still in cache: a checking stream (CrcCheckedStream) hashes
        // it as it lands and tells NaN/Inf from the same loads; other streams' float32 values are checked right after
        // each chunk, instead of more passes over the whole tensor in memory.
        bool float32 = tensor.dtype == ScalarType.Float32, finite = true;
        var hashed = stream is CrcCheckedStream { Position: 0 } c ? c : null;
        var span = tensor.bytes;
        for (int at = 0; at < span.Length; at += ReadChunk)
        {
            var chunk = span.Slice(at, Math.Min(ReadChunk, span.Length - at));
            stream.ReadExactly(chunk);
            if (float32 && finite && hashed is null) finite = AllFinite(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(chunk));
        }
        GC.KeepAlive(tensor); // the span is over its memory: keep it (and its finalizer) away until the read is done
        if (!float32) return AllFinite(tensor);
        return hashed is null ? finite : !hashed.NonFiniteFloat32;
    }

    // Small enough to stay in a core's L2 cache between the copy into the tensor and the CRC over it, large enough
    // that the read calls cost nothing next to the copy.
    private const int ReadChunk = 256 << 10;

    /// <summary>
    /// Reads a tensor of <paramref name="dtype"/> and <paramref name="shape"/> stored raw (little-endian, C order) at
    /// <paramref name="offset"/> of a regular file into <paramref name="dest"/>: straight into its memory when it has
    /// the same type and is contiguous, else through one temporary tensor. Returns whether every value is finite.
    /// </summary>
    public static bool ReadAt(string file, long offset, ScalarType dtype, long[] shape, Tensor dest)
    {
        using var fs = Files.RegularFile.OpenRead(file, what => new IOException($"'{file}' is now {what}"));
        fs.Position = offset;
        if (dest.dtype == dtype && dest.is_contiguous()) return ReadInto(fs, dest);
        using var t = empty(shape, dtype);
        ReadInto(fs, t);
        using (no_grad()) dest.copy_(t);
        return AllFinite(dest);
    }

    /// <summary>
    /// The address of the first byte of a contiguous CPU tensor of at most 2 GiB (to compare ranges or advise the
    /// kernel about its pages; the caller keeps the tensor alive while it uses the address).
    /// </summary>
    public static unsafe IntPtr Address(Tensor t) =>
        (IntPtr)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(t.bytes));

    /// <summary>Reverses the byte order of every element of a contiguous CPU tensor in place (big-endian files).</summary>
    public static void SwapBytes(Tensor t)
    {
        long bytes = t.numel() * t.element_size();
        if (bytes == 0 || t.element_size() == 1) return;
        if (bytes > int.MaxValue || !t.is_contiguous())
            throw new InvalidDataException("a big-endian tensor over 2 GiB cannot be byte-swapped here");
        var span = t.bytes;
        switch (t.element_size())
        {
            case 2: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(span), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(span)); break;
            case 4: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(span), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(span)); break;
            case 8: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(span), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(span)); break;
        }
    }

    /// <summary>Writes a tensor's bytes in C order.</summary>
    public static void WriteFrom(Stream stream, Tensor tensor) =>
        WithContiguous(tensor, c =>
        {
            long bytes = c.numel() * c.element_size();
            if (bytes > int.MaxValue) c.WriteBytesToStream(stream, 1 << 22);
            else if (bytes > 0) stream.Write(c.bytes);
            return true;
        });

    /// <summary>
    /// Calls <paramref name="read"/> with a tensor's bytes in C order (its own memory when it is a contiguous CPU
    /// tensor, else a contiguous CPU copy); false, without calling it, when they are more than 2 GiB.
    /// </summary>
    public static bool WithBytes(Tensor tensor, SpanReader read) =>
        WithContiguous(tensor, c =>
        {
            long bytes = c.numel() * c.element_size();
            if (bytes > int.MaxValue) return false;
            if (bytes > 0) read(c.bytes);
            return true;
        });

    /// <summary>Reads a tensor's bytes (<see cref="WithBytes"/>).</summary>
    public delegate void SpanReader(ReadOnlySpan<byte> bytes);

    private static bool WithContiguous(Tensor tensor, Func<Tensor, bool> action)
    {
        // Every intermediate in a variable: a temporary wrapper is garbage while libtorch works on it, and its
        // finalizer can free it mid-call.
        using var d = tensor.detach();
        using var cpu = d.cpu();
        using var c = cpu.contiguous();
        bool result = action(c);
        GC.KeepAlive(tensor); // c may share the tensor's memory (contiguous() returns a view)
        return result;
    }

    /// <summary>
    /// True when every element is finite. A sum is one fast pass and is finite whenever the elements are (barring
    /// overflow, which only sends us to the exact check); isfinite().all() is exact but far slower.
    /// </summary>
    public static bool AllFinite(Tensor t)
    {
        if (!t.is_floating_point() || t.numel() == 0) return true;
        if (t.dtype == ScalarType.Float32 && t.is_contiguous() && t.device_type == TorchSharp.DeviceType.CPU && t.numel() * 4 <= int.MaxValue)
        {
            bool allFinite = AllFinite(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(t.bytes));
            GC.KeepAlive(t); // the span is over its memory
            return allFinite;
        }
        using var _ = no_grad();
        using var sum = t.sum(type: ScalarType.Float64);
        if (double.IsFinite(sum.item<double>())) return true;
        using var finite = t.isfinite();
        using var all = finite.all();
        return all.item<bool>();
    }

    // A float32 is NaN or infinite exactly when its exponent bits are all ones: one SIMD pass over the bits,
    // at memory speed, instead of a libtorch reduction. Optimized at once: a load calls it a few hundred times, which
    // tiering would spend at tier 0.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static bool AllFinite(ReadOnlySpan<uint> bits)
    {
        const uint exponent = 0x7f800000;
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && bits.Length >= System.Numerics.Vector<uint>.Count)
        {
            var mask = new System.Numerics.Vector<uint>(exponent);
            var any = System.Numerics.Vector<uint>.Zero;
            var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<uint, System.Numerics.Vector<uint>>(bits);
            foreach (var v in vectors) any |= System.Numerics.Vector.Equals(v & mask, mask);
            if (any != System.Numerics.Vector<uint>.Zero) return false;
            i = vectors.Length * System.Numerics.Vector<uint>.Count;
        }
        for (; i < bits.Length; i++) if ((bits[i] & exponent) == exponent) return false;
        return true;
    }
}
