#nullable enable
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// The CRC-32 of one zip record as its bytes are read, and, from the same loads, whether any 4-byte word of it
/// (counted from the record's first byte) is a NaN or infinite float32. On a CPU with AVX-512 and VPCLMULQDQ the
/// record is folded 256 bytes at a time in four 512-bit lanes of carry-less products; System.IO.Hashing's
/// <see cref="Crc32"/> folds 16 bytes at a time, so hashing a loaded weight file cost more than reading it into the
/// model (issue 11). Elsewhere, and for the last bytes of every record, it is <see cref="Crc32"/> itself.
/// </summary>
public sealed class ZipRecordCrc
{
    private const int Block = 256;

    // The fold constants for a distance of 2048 bits (one 256-byte block), in the bit-reflected form that
    // PCLMULQDQ folding uses: x^(2048+32) mod P for the low and x^(2048-32) mod P for the high 64 bits of each
    // 128-bit lane (Intel, "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ", 2009). They are
    // computed rather than copied; ZipRecordCrcTests checks the result against Crc32 on random records.
    private static readonly Vector512<ulong> Fold2048 = FoldConstants(2048);

    private readonly bool _vectorized;
    private readonly Crc32? _portable;
    private readonly byte[] _pending = new byte[Block];
    private int _pendingCount;
    private Vector512<ulong> _x0, _x1, _x2, _x3;
    private bool _started;
    private bool _nonFinite;

    /// <summary>
    /// Starts an empty record; <paramref name="vectorized"/> false takes the portable path on every CPU (for
    /// comparison; the result is the same).
    /// </summary>
    public ZipRecordCrc(bool vectorized = true)
    {
        _vectorized = vectorized && IsVectorized;
        if (!_vectorized) _portable = new Crc32();
    }

    /// <summary>Whether this CPU folds with AVX-512 (VPCLMULQDQ).</summary>
    public static bool IsVectorized => Pclmulqdq.V512.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>Whether a 4-byte word appended so far has a float32's exponent bits all set (NaN or infinity).</summary>
    public bool NonFiniteFloat32 => _nonFinite || NonFiniteWords(_pending.AsSpan(0, _pendingCount));

    /// <summary>Hashes the next bytes of the record.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_pendingCount > 0)
        {
            int n = Math.Min(Block - _pendingCount, data.Length);
            data[..n].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += n;
            data = data[n..];
            if (_pendingCount < Block) return;
            Blocks(_pending);
            _pendingCount = 0;
        }
        int whole = data.Length / Block * Block;
        if (whole > 0) Blocks(data[..whole]);
        data[whole..].CopyTo(_pending);
        _pendingCount = data.Length - whole;
    }

    /// <summary>The CRC-32 of everything appended so far (the zip's value once the whole record is in).</summary>
    public uint GetCurrentHash()
    {
        var tail = _pending.AsSpan(0, _pendingCount);
        if (_portable is { } crc)
        {
            var copy = crc.Clone();
            copy.Append(tail);
            return copy.GetCurrentHashAsUInt32();
        }
        if (!_started) return Crc32.HashToUInt32(tail);
        // The four lanes hold a 256-byte value congruent to the record so far (with the CRC's initial ~0 folded into
        // its first word); its CRC with the tail after it is the record's. Crc32 starts from ~0 again, which
        // flipping the first word cancels.
        Span<byte> rest = stackalloc byte[2 * Block];
        _x0.StoreUnsafe(ref Unsafe.As<byte, ulong>(ref rest[0]));
        _x1.StoreUnsafe(ref Unsafe.As<byte, ulong>(ref rest[64]));
        _x2.StoreUnsafe(ref Unsafe.As<byte, ulong>(ref rest[128]));
        _x3.StoreUnsafe(ref Unsafe.As<byte, ulong>(ref rest[192]));
        for (int i = 0; i < 4; i++) rest[i] ^= 0xFF;
        tail.CopyTo(rest[Block..]);
        return Crc32.HashToUInt32(rest[..(Block + tail.Length)]);
    }

    // Whole blocks: folded here, or hashed by Crc32 and checked word by word.
    private void Blocks(ReadOnlySpan<byte> data)
    {
        if (_portable is { } crc)
        {
            crc.Append(data);
            _nonFinite |= NonFiniteWords(data);
            return;
        }
        ref byte p = ref Unsafe.AsRef(in data[0]);
        int blocks = data.Length / Block;
        if (!_started)
        {
            _x0 = Vector512.LoadUnsafe(ref Unsafe.As<byte, ulong>(ref p));
            _x1 = Vector512.LoadUnsafe(ref Unsafe.As<byte, ulong>(ref Unsafe.Add(ref p, 64)));
            _x2 = Vector512.LoadUnsafe(ref Unsafe.As<byte, ulong>(ref Unsafe.Add(ref p, 128)));
            _x3 = Vector512.LoadUnsafe(ref Unsafe.As<byte, ulong>(ref Unsafe.Add(ref p, 192)));
            _nonFinite |= NonFiniteWords(data[..Block]);
            _x0 ^= Vector512.CreateScalar(0xFFFFFFFFul); // the CRC's initial value
            _started = true;
            p = ref Unsafe.Add(ref p, Block);
            blocks--;
        }
        _nonFinite |= Fold(ref p, blocks, ref _x0, ref _x1, ref _x2, ref _x3);
    }

    // The hot loop, in registers: four independent carry-less folds per 256 bytes, and the exponent test of the
    // same loads. Optimized on first call, since a load runs it only a few hundred times (tiering would leave it
    // at tier 0 for the first loads of a session).
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static bool Fold(ref byte p, int blocks, ref Vector512<ulong> a0, ref Vector512<ulong> a1, ref Vector512<ulong> a2, ref Vector512<ulong> a3)
    {
        var x0 = a0; var x1 = a1; var x2 = a2; var x3 = a3;
        var k = Fold2048;
        var exponent = Vector512.Create(0x7f800000u);
        var bad = Vector512<uint>.Zero;
        for (nuint at = 0, end = (nuint)blocks * Block; at < end; at += Block)
        {
            var d0 = Vector512.LoadUnsafe(ref Unsafe.As<byte, ulong>(ref Unsafe.Add(ref p, at)));
            var d1 = Vector512.LoadUnsafe(ref Unsafe.As<byte, ulong>(ref Unsafe.Add(ref p, at + 64)));
            var d2 = Vector512.LoadUnsafe(ref Unsafe.As<byte, ulong>(ref Unsafe.Add(ref p, at + 128)));
            var d3 = Vector512.LoadUnsafe(ref Unsafe.As<byte, ulong>(ref Unsafe.Add(ref p, at + 192)));
            x0 = Pclmulqdq.V512.CarrylessMultiply(x0, k, 0x00) ^ Pclmulqdq.V512.CarrylessMultiply(x0, k, 0x11) ^ d0;
            x1 = Pclmulqdq.V512.CarrylessMultiply(x1, k, 0x00) ^ Pclmulqdq.V512.CarrylessMultiply(x1, k, 0x11) ^ d1;
            x2 = Pclmulqdq.V512.CarrylessMultiply(x2, k, 0x00) ^ Pclmulqdq.V512.CarrylessMultiply(x2, k, 0x11) ^ d2;
            x3 = Pclmulqdq.V512.CarrylessMultiply(x3, k, 0x00) ^ Pclmulqdq.V512.CarrylessMultiply(x3, k, 0x11) ^ d3;
            bad |= (Vector512.Equals(d0.AsUInt32() & exponent, exponent) | Vector512.Equals(d1.AsUInt32() & exponent, exponent))
                 | (Vector512.Equals(d2.AsUInt32() & exponent, exponent) | Vector512.Equals(d3.AsUInt32() & exponent, exponent));
        }
        a0 = x0; a1 = x1; a2 = x2; a3 = x3;
        return bad != Vector512<uint>.Zero;
    }

    // Whether any whole 4-byte word is a NaN or infinite float32.
    private static bool NonFiniteWords(ReadOnlySpan<byte> bytes) =>
        !TensorBytes.AllFinite(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes));

    private static Vector512<ulong> FoldConstants(int distance)
    {
        ulong low = Reflected(distance + 32), high = Reflected(distance - 32);
        return Vector512.Create(low, high, low, high, low, high, low, high);
    }

    // x^n mod P (P = CRC-32's 0x04C11DB7), bit-reflected and shifted left by one, as reflected folding needs.
    private static ulong Reflected(int n)
    {
        const uint poly = 0x04C11DB7;
        uint r = 1;
        for (int i = 0; i < n; i++) r = (r & 0x80000000) != 0 ? (r << 1) ^ poly : r << 1;
        uint reflected = 0;
        for (int i = 0; i < 32; i++) if ((r & (1u << i)) != 0) reflected |= 1u << (31 - i);
        return (ulong)reflected << 1;
    }
}
