#nullable enable
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>
/// libtorch's seeded <c>normal_</c> and <c>uniform_</c> of a contiguous float32 CPU tensor, computed here from the
/// generator's Mersenne Twister state (<see cref="Mt19937State"/>) instead of one call per draw. libtorch spends most
/// of those calls on the twister; here its words are tempered 16 at a time, and <c>normal_</c>'s Box-Muller runs
/// ATen's AVX2 kernel step for step (<c>normal_fill_AVX2</c>: <c>log256_ps</c> and <c>sincos256_ps</c> of
/// avx_mathfun.h, with the multiply-adds GCC fuses). Used only where a probe finds the same bits and the same
/// generator state as this process's libtorch; otherwise, and for small tensors, libtorch draws.
/// </summary>
public static class PyTorchDraws
{
    // Below this, reading and writing the generator's 5 KB state costs more than libtorch's own loop.
    private const long MinElements = 1024;

    private static readonly Lazy<bool> Agrees = new(Probe);

    private static bool _enabled = Environment.GetEnvironmentVariable(ParallelDraws.SerialVariable) != "1";

    /// <summary>
    /// Whether seeded draws are computed here (default: on where this CPU has AVX2 and FMA and the result matches
    /// libtorch's, unless $INITCFG_SERIAL_DRAWS is 1). The result is the same bits either way.
    /// </summary>
    public static bool Enabled
    {
        get => _enabled && Avx2.IsSupported && Fma.IsSupported && Agrees.Value;
        set => _enabled = value;
    }

    /// <summary><c>tensor.normal_(mean, std, generator)</c> computed here; false (nothing drawn) when libtorch must draw it.</summary>
    public static bool TryNormal(Tensor tensor, double mean, double std, Generator? generator) =>
        TryDraw(tensor, generator, (data, state) => Normal(data, (float)mean, (float)std, state));

    /// <summary><c>tensor.uniform_(from, to, generator)</c> computed here; false (nothing drawn) when libtorch must draw it.</summary>
    public static bool TryUniform(Tensor tensor, double from, double to, Generator? generator) =>
        TryDraw(tensor, generator, (data, state) => state.NextUniform(data, (float)from, (float)to));

    private static bool TryDraw(Tensor target, Generator? generator, SpanAction draw)
    {
        long n = target.numel();
        if (n < MinElements || n * sizeof(float) > int.MaxValue || target.dtype != ScalarType.Float32 ||
            target.device_type != TorchSharp.DeviceType.CPU || !target.is_contiguous() || !Enabled)
            return false;
        Mt19937State? state;
        using (var bytes = generator is null ? get_rng_state() : generator.get_state())
            state = Mt19937State.FromBytes(bytes.bytes);
        // A cached normal sample is left as it is: neither kernel reads or writes it, in libtorch or here.
        if (state is null) return false;
        draw(MemoryMarshal.Cast<byte, float>(target.bytes), state);
        // The span points into the tensor's storage: the tensor must outlive the last write.
        GC.KeepAlive(target);
        using var end = tensor(state.ToBytes(), ScalarType.Byte);
        if (generator is null) set_rng_state(end);
        else generator.set_state(end);
        return true;
    }

    private delegate void SpanAction(Span<float> data, Mt19937State state);

    // ATen's normal_fill_AVX2: a uniform draw per element, Box-Muller on each block of 16 (the first 8 give the
    // radius, the last 8 the angle), and for a count that is not a multiple of 16 the last 16 drawn again.
    // Optimized at once, the vector steps inlined: unoptimized vector code is many times slower, and a ResNet init
    // makes only a few dozen calls, fewer than tiering waits for.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Normal(Span<float> data, float mean, float std, Mt19937State state)
    {
        if (data.Length < 16) throw new ArgumentException("normal_fill draws 16 values or more.", nameof(data));
        state.NextUniform(data, 0, 1);
        int n = data.Length;
        for (int i = 0; i + 16 <= n; i += 16) BoxMuller(data.Slice(i, 16), mean, std);
        if (n % 16 != 0)
        {
            var tail = data.Slice(n - 16, 16);
            state.NextUniform(tail, 0, 1);
            BoxMuller(tail, mean, std);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void BoxMuller(Span<float> block, float mean, float std)
    {
        fixed (float* p = block)
        {
            var u1 = Vector256.Create(1f) - Vector256.Load(p);
            var u2 = Vector256.Load(p + 8);
            var radius = Avx.Sqrt(Vector256.Create(-2f) * Log(u1));
            var theta = Vector256.Create((float)(2.0 * Math.PI)) * u2;
            SinCos(theta, out var sin, out var cos);
            Fma.MultiplyAdd(radius * cos, Vector256.Create(std), Vector256.Create(mean)).Store(p);
            Fma.MultiplyAdd(radius * sin, Vector256.Create(std), Vector256.Create(mean)).Store(p + 8);
        }
    }

    // log256_ps (Cephes' logf): x = m * 2^e with m in [sqrt(1/2), sqrt(2)), then a degree-9 polynomial in m - 1.
    // GCC fuses each multiply whose only use is an add; where an add has two products, the first one written.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Log(Vector256<float> x)
    {
        var one = Vector256.Create(1f);
        var invalid = Avx.Compare(x, Vector256<float>.Zero, FloatComparisonMode.OrderedLessThanOrEqualSignaling);
        x = Avx.Max(x, Vector256.Create(0x00800000).AsSingle());
        var exponent = Avx2.ShiftRightLogical(x.AsInt32(), 23) - Vector256.Create(0x7f);
        x = (x.AsInt32() & Vector256.Create(~0x7f800000)).AsSingle() | Vector256.Create(0.5f);
        var e = Avx.ConvertToVector256Single(exponent) + one;
        var small = Avx.Compare(x, Vector256.Create(0.707106781186547524f), FloatComparisonMode.OrderedLessThanSignaling);
        var doubled = x & small;
        x -= one;
        e -= one & small;
        x += doubled;
        var z = x * x;
        var y = Vector256.Create(7.0376836292E-2f);
        y = Fma.MultiplyAdd(y, x, Vector256.Create(-1.1514610310E-1f));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(1.1676998740E-1f));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(-1.2420140846E-1f));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(1.4249322787E-1f));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(-1.6668057665E-1f));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(2.0000714765E-1f));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(-2.4999993993E-1f));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(3.3333331174E-1f));
        y *= x;
        y = Fma.MultiplyAdd(y, z, e * Vector256.Create(-2.12194440e-4f));
        y = Fma.MultiplyAddNegated(z, Vector256.Create(0.5f), y);
        x = Fma.MultiplyAdd(e, Vector256.Create(0.693359375f), x + y);
        return x | invalid;
    }

    // sincos256_ps (Cephes' sinf and cosf): reduce by multiples of pi/4 in three parts, then one polynomial for
    // each octant kind, sign and choice taken from the octant.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SinCos(Vector256<float> x, out Vector256<float> sin, out Vector256<float> cos)
    {
        var signMask = Vector256.Create(unchecked((int)0x80000000)).AsSingle();
        var sinSign = x & signMask;
        x = Avx.AndNot(signMask, x);
        var octant = Avx.ConvertToVector256Int32WithTruncation(x * Vector256.Create(1.27323954473516f));
        octant = (octant + Vector256.Create(1)) & Vector256.Create(~1);
        var y = Avx.ConvertToVector256Single(octant);
        var swapSin = Avx2.ShiftLeftLogical(octant & Vector256.Create(4), 29).AsSingle();
        var polyMask = Avx2.CompareEqual(octant & Vector256.Create(2), Vector256<int>.Zero).AsSingle();
        x = Fma.MultiplyAdd(y, Vector256.Create(-0.78515625f), x);
        x = Fma.MultiplyAdd(y, Vector256.Create(-2.4187564849853515625e-4f), x);
        x = Fma.MultiplyAdd(y, Vector256.Create(-3.77489497744594108e-8f), x);
        var cosSign = Avx2.ShiftLeftLogical(Avx2.AndNot(octant - Vector256.Create(2), Vector256.Create(4)), 29).AsSingle();
        sinSign ^= swapSin;
        var z = x * x;
        var c = Vector256.Create(2.443315711809948E-005f);
        c = Fma.MultiplyAdd(c, z, Vector256.Create(-1.388731625493765E-003f));
        c = Fma.MultiplyAdd(c, z, Vector256.Create(4.166664568298827E-002f));
        c *= z;
        c = Fma.MultiplySubtract(c, z, z * Vector256.Create(0.5f));
        c += Vector256.Create(1f);
        var s = Vector256.Create(-1.9515295891E-4f);
        s = Fma.MultiplyAdd(s, z, Vector256.Create(8.3321608736E-3f));
        s = Fma.MultiplyAdd(s, z, Vector256.Create(-1.6666654611E-1f));
        s *= z;
        s = Fma.MultiplyAdd(s, x, x);
        var sinFromS = polyMask & s;
        var sinFromC = Avx.AndNot(polyMask, c);
        s -= sinFromS;
        c -= sinFromC;
        sin = (sinFromC + sinFromS) ^ sinSign;
        cos = (c + s) ^ cosSign;
    }

    // Both kernels against libtorch's from one seeded state: sizes with and without normal_'s tail, means, scales
    // and ranges whose products round; every bit of the values and of the generator state afterwards.
    private static bool Probe()
    {
        if (!Avx2.IsSupported || !Fma.IsSupported || !BitConverter.IsLittleEndian) return false;
        try
        {
            foreach (var (n, normal, a, b) in new (int, bool, double, double)[]
                     { (1024, true, 0, 1), (4099, true, 0.3, 1.7), (20011, true, -2, 0.02), (4099, false, -0.3, 0.41), (20011, false, 0, 1) })
            {
                using var generator = new Generator(20261202UL + (ulong)n);
                using var expected = empty(n);
                if (normal) expected.normal_(a, b, generator);
                else expected.uniform_(a, b, generator);
                using var expectedState = generator.get_state();

                using var again = new Generator(20261202UL + (ulong)n);
                using var startBytes = again.get_state();
                var state = Mt19937State.FromBytes(startBytes.bytes);
                if (state is null) return false;
                var actual = new float[n];
                if (normal) Normal(actual, (float)a, (float)b, state);
                else state.NextUniform(actual, (float)a, (float)b);
                if (!MemoryMarshal.AsBytes(actual.AsSpan()).SequenceEqual(expected.bytes)) return false;
                if (!state.ToBytes().AsSpan().SequenceEqual(expectedState.bytes)) return false;
            }
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }
}
