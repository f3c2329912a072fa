#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// Moves tensor bytes between streams and tensor memory through a span over the tensor's own storage:
/// TorchSharp's Read/WriteBytesToStream copy through a managed buffer and are several times slower.
/// </summary>
public static class TensorBytes
{
    /// <summary>Fills a contiguous CPU tensor from the stream (throws EndOfStreamException when it ends early).</summary>
    public static void ReadInto(Stream stream, Tensor tensor)
    {
        long bytes = tensor.numel() * tensor.element_size();
        if (bytes == 0) return;
        if (bytes <= int.MaxValue && tensor.is_contiguous()) stream.ReadExactly(tensor.bytes);
        else tensor.ReadBytesFromStream(stream, 1 << 22);
        GC.KeepAlive(tensor); // the span is over its memory: keep it (and its finalizer) away until the read is done
    }

    /// <summary>
    /// Reads a tensor of <paramref name="dtype"/> and <paramref name="shape"/> stored raw (little-endian, C order) at
    /// <paramref name="offset"/> of a regular file into <paramref name="dest"/>: straight into its memory when it has
    /// the same type and is contiguous, else through one temporary tensor.
    /// </summary>
    public static void ReadAt(string file, long offset, ScalarType dtype, long[] shape, Tensor dest)
    {
        using var fs = Files.RegularFile.OpenRead(file, what => new IOException($"'{file}' is now {what}"));
        fs.Position = offset;
        if (dest.dtype == dtype && dest.is_contiguous())
        {
            ReadInto(fs, dest);
            return;
        }
        using var t = empty(shape, dtype);
        ReadInto(fs, t);
        using var _ = no_grad();
        dest.copy_(t);
    }

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
    public static void WriteFrom(Stream stream, Tensor tensor)
    {
        // Every intermediate in a variable: a temporary wrapper is garbage while libtorch works on it, and its
        // finalizer can free it mid-call.
        using var d = tensor.detach();
        using var cpu = d.cpu();
        using var c = cpu.contiguous();
        long bytes = c.numel() * c.element_size();
        if (bytes == 0) return;
        if (bytes <= int.MaxValue) stream.Write(c.bytes);
        else c.WriteBytesToStream(stream, 1 << 22);
        GC.KeepAlive(tensor); // c may share the tensor's memory (contiguous() returns a view)
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
    // at memory speed, instead of a libtorch reduction.
    private static bool AllFinite(ReadOnlySpan<uint> bits)
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
