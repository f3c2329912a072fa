#nullable enable
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace InitCfg.Core.Initializers;

/// <summary>
/// The Mersenne Twister state of a libtorch CPU generator, read from and written back to the bytes
/// <c>get_state</c>/<c>set_state</c> exchange (ATen's <c>CPUGeneratorImplState</c>: the legacy pod with the 624
/// words, <c>left</c> and <c>next</c>, then the cached normal samples). It advances by whole draws without
/// producing them, so the state any later draw of a seeded stream starts from is known before drawing.
/// </summary>
public sealed class Mt19937State
{
    private const int N = 624, M = 397;
    private const int LeftOffset = 8, NextOffset = 16, WordsOffset = 24;
    private const int NormalValidOffset = 5040, FloatValidOffset = 5052, StateSize = 5056;
    private readonly byte[] _bytes;
    private readonly uint[] _words = new uint[N];
    private int _left;
    private int _next;

    private Mt19937State(byte[] bytes)
    {
        _bytes = bytes;
        _left = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(LeftOffset));
        _next = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(NextOffset));
        for (int i = 0; i < N; i++) _words[i] = (uint)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(WordsOffset + 8 * i));
    }

    /// <summary>Reads libtorch's generator state bytes; null when the layout is not the one this class knows.</summary>
    public static Mt19937State? FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != StateSize) return null;
        var state = new Mt19937State(bytes.ToArray());
        return state._left is >= 1 and <= N && state._next is >= 0 and < N ? state : null;
    }

    /// <summary>
    /// True when the generator holds a cached normal sample (a small <c>normal_</c> drew a Box-Muller pair and
    /// kept half). Such a state is not a pure position in the stream, so callers keep those draws serial.
    /// </summary>
    public bool HasCachedNormal =>
        BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(NormalValidOffset)) != 0 || _bytes[FloatValidOffset] != 0;

    /// <summary>A copy of this state.</summary>
    public Mt19937State Clone()
    {
        var copy = new Mt19937State(_bytes);
        Array.Copy(_words, copy._words, N);
        copy._left = _left;
        copy._next = _next;
        return copy;
    }

    /// <summary>Moves the state past <paramref name="draws"/> 32-bit draws, exactly as drawing them would.</summary>
    public void Advance(long draws)
    {
        if (draws < 0) throw new ArgumentOutOfRangeException(nameof(draws));
        // ATen's mt19937: each draw decrements left and, at zero, twists (left = N, next = 0) before reading.
        if (draws < _left)
        {
            _left -= (int)draws;
            _next += (int)draws;
            return;
        }
        long rest = draws - (_left - 1);
        long twists = (rest + N - 1) / N;
        for (long i = 0; i < twists; i++) Twist(_words);
        int used = (int)(rest - N * (twists - 1));
        _left = N + 1 - used;
        _next = used;
    }

    /// <summary>
    /// Writes the next <c>output.Length</c> draws as libtorch's float32 <c>uniform_real_distribution(from, to)</c>
    /// makes them: the low 24 bits of each tempered word times 2^-24, then <c>fma(x, to - from, from)</c> (its
    /// <c>x * (to - from) + from</c>, which the compiler contracts), moving the state on exactly as drawing would.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal unsafe void NextUniform(Span<float> output, float from, float to)
    {
        float range = to - from;
        fixed (uint* words = _words)
        fixed (float* start = output)
        {
            float* o = start;
            int rest = output.Length;
            while (rest > 0)
            {
                if (_left == 1)
                {
                    Twist(_words);
                    _left = N + 1;
                    _next = 0;
                }
                int k = Math.Min(_left - 1, rest);
                Temper(words + _next, o, k, from, range);
                _next += k;
                _left -= k;
                o += k;
                rest -= k;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Temper(uint* words, float* output, int count, float from, float range)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Fma.IsSupported)
        {
            var low24 = Vector512.Create(0xFFFFFFu);
            var unit = Vector512.Create(1f / (1 << 24));
            var vFrom = Vector512.Create(from);
            var vRange = Vector512.Create(range);
            for (; i + 16 <= count; i += 16)
            {
                var y = Vector512.Load(words + i);
                y ^= Vector512.ShiftRightLogical(y, 11);
                y ^= Vector512.ShiftLeft(y, 7) & Vector512.Create(0x9d2c5680u);
                y ^= Vector512.ShiftLeft(y, 15) & Vector512.Create(0xefc60000u);
                y ^= Vector512.ShiftRightLogical(y, 18);
                var x = Vector512.ConvertToSingle((y & low24).AsInt32()) * unit;
                Vector512.FusedMultiplyAdd(x, vRange, vFrom).Store(output + i);
            }
        }
        for (; i < count; i++)
        {
            uint y = words[i];
            y ^= y >> 11;
            y ^= (y << 7) & 0x9d2c5680u;
            y ^= (y << 15) & 0xefc60000u;
            y ^= y >> 18;
            output[i] = MathF.FusedMultiplyAdd((y & 0xFFFFFF) * (1f / (1 << 24)), range, from);
        }
    }

    /// <summary>The bytes for <c>set_state</c>: the generator's own bytes with this stream position.</summary>
    public byte[] ToBytes()
    {
        var bytes = (byte[])_bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(LeftOffset), _left);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(NextOffset), (ulong)_next);
        for (int i = 0; i < N; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(WordsOffset + 8 * i), _words[i]);
        return bytes;
    }

    // ATen's next_state, eight words at a time: word i reads words i+1 and i+M (old) or i+M-N (already new),
    // never a word fewer than eight places ahead of it in the same pass, so eight lanes give the serial result.
    // Optimized at once: a single init calls it thousands of times, before tiered compilation would get to it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Twist(uint[] words)
    {
        var upper = Vector256.Create(0x80000000u);
        var lower = Vector256.Create(0x7fffffffu);
        var matrix = Vector256.Create(0x9908b0dfu);
        var one = Vector256.Create(1u);
        fixed (uint* p = words)
        {
            int i = 0;
            for (; i + 8 <= N - M; i += 8)
            {
                var b = Vector256.Load(p + i + 1);
                var y = (Vector256.Load(p + i) & upper) | (b & lower);
                (Vector256.Load(p + i + M) ^ Vector256.ShiftRightLogical(y, 1) ^ (matrix & Vector256.Equals(b & one, one))).Store(p + i);
            }
            for (; i < N - M; i++) p[i] = p[i + M] ^ Mix(p[i], p[i + 1]);
            for (; i + 8 <= N - 1; i += 8)
            {
                var b = Vector256.Load(p + i + 1);
                var y = (Vector256.Load(p + i) & upper) | (b & lower);
                (Vector256.Load(p + i + M - N) ^ Vector256.ShiftRightLogical(y, 1) ^ (matrix & Vector256.Equals(b & one, one))).Store(p + i);
            }
            for (; i < N - 1; i++) p[i] = p[i + M - N] ^ Mix(p[i], p[i + 1]);
            p[N - 1] = p[M - 1] ^ Mix(p[N - 1], p[0]);
        }
    }

    private static uint Mix(uint u, uint v) => (((u & 0x80000000u) | (v & 0x7fffffffu)) >> 1) ^ ((v & 1) != 0 ? 0x9908b0dfu : 0);
}
