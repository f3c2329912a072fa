#nullable enable
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>
/// PyTorch 1.13's float <c>erfinv</c> (ATen's <c>calc_erfinv</c>: a rational first guess and two Newton steps),
/// as its AVX2 kernel computes it, with the polynomials contracted into fused multiply-adds. libtorch 2.10's
/// erfinv differs from it in the last bits on about 12% of values; this one matches PyTorch 1.13 bit for bit on
/// the golden TruncNormal scenario, so a seeded TruncNormal reproduces PyTorch's weights exactly.
/// </summary>
public static class PyTorchErfinv
{
    private static readonly bool Available = Probe();

    // The vector path computes glibc's erff and expf itself (LibmVector): it is used only where it gives this
    // process's libm bits on a sample that reaches every branch of both.
    private static readonly bool VectorAgrees = Available && LibmVector.IsSupported && ProbeVector();

    private static bool _vectorized = true;

    /// <summary>
    /// Whether 16 values are computed at once with AVX-512 (default: on where the CPU has it and the vector code
    /// agrees with this machine's libm). The result is the same bits either way; off is the scalar libm path.
    /// </summary>
    public static bool Vectorized
    {
        get => _vectorized && VectorAgrees;
        set => _vectorized = value;
    }

    /// <summary>Replaces each element of a float32 tensor by its inverse error function; other dtypes use libtorch's.</summary>
    public static void Apply(Tensor t)
    {
        if (!Available || t.dtype != ScalarType.Float32 || !t.is_contiguous() || t.device_type != TorchSharp.DeviceType.CPU ||
            t.numel() * 4 > int.MaxValue)
        {
            t.erfinv_();
            return;
        }
        if (t.numel() == 0) return;
        Apply(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.bytes));
        // The span points into the tensor's storage: the tensor (and, through the caller, its owner) must
        // outlive the last write, or a finalizer may free the memory under it.
        GC.KeepAlive(t);
    }

    /// <summary>Replaces each value by its inverse error function, as PyTorch 1.13 computes it, on every core.</summary>
    public static void Apply(Span<float> values)
    {
        long n = values.Length;
        if (n == 0) return;
        if (!Available) throw new PlatformNotSupportedException("PyTorch's erfinv needs glibc's erff (libm.so.6).");
        unsafe
        {
            fixed (float* p = values)
            {
                var data = p;
                const long chunk = 1 << 16;
                long chunks = (n + chunk - 1) / chunk;
                if (chunks == 1) Run(data, 0, n);
                else Parallel.For(0, chunks, i => Run(data, i * chunk, Math.Min(n, (i + 1) * chunk)));
            }
        }
    }

    // Eight values at a time, step by step: each value's Newton steps form one long dependent chain
    // (erff, exp, divide), and interleaving eight chains keeps the core busy instead of waiting on each.
    private static unsafe void Run(float* data, long from, long to)
    {
        if (Vectorized) from = RunVector(data, from, to);
        const int W = 8;
        float* y = stackalloc float[W];
        float* x = stackalloc float[W];
        long i = from;
        for (; i + W <= to; i += W)
        {
            bool plain = true;
            for (int j = 0; j < W; j++)
            {
                y[j] = data[i + j];
                if (!(MathF.Abs(y[j]) < 1.0f)) plain = false;
                x[j] = FirstGuess(y[j]);
            }
            if (!plain)
            {
                for (int j = 0; j < W; j++) data[i + j] = Erfinv(y[j]);
                continue;
            }
            for (int j = 0; j < W; j++) x[j] -= (Erff(x[j]) - y[j]) / (K * MathF.Exp(-x[j] * x[j]));
            for (int j = 0; j < W; j++) x[j] -= (Erff(x[j]) - y[j]) / (K * MathF.Exp(-x[j] * x[j]));
            for (int j = 0; j < W; j++) data[i + j] = x[j];
        }
        for (; i < to; i++) data[i] = Erfinv(data[i]);
    }

    private const float K = 2.0f * 0.564189583547756286948f; // 2 * frac_1_sqrt_pi<float>

    // Sixteen values at a time while they stay in the common ranges; a block with a rare value (|y| >= 1, NaN,
    // an erf or exp argument in glibc's special cases) takes the scalar path. Returns where it stopped.
    private static unsafe long RunVector(float* data, long from, long to)
    {
        long i = from;
        for (; i + 16 <= to; i += 16)
        {
            var y = Vector512.Load(data + i);
            if (TryVector(y, out var x)) x.Store(data + i);
            else
                for (int j = 0; j < 16; j++) data[i + j] = Erfinv(data[i + j]);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe bool TryVector(Vector512<float> y, out Vector512<float> x)
    {
        x = default;
        var yAbs = Vector512.Abs(y);
        if (!Vector512.LessThanAll(yAbs, Vector512<float>.One)) return false;
        var z = y * y;
        var num = Fma(Fma(Fma(V(-0.140543331f), z, 0.914624893f), z, -1.645349621f), z, 0.886226899f);
        var dem = Fma(Fma(Fma(Fma(V(0.012229801f), z, -0.329097515f), z, 1.442710462f), z, -2.118377725f), z, 1.0f);
        x = y * num / dem;
        var tail = Vector512.GreaterThan(yAbs, V(0.7f));
        if (tail != Vector512<float>.Zero)
        {
            // logf stays glibc's own call: about a third of the values need it, and it is a small share of the time.
            var half = (Vector512<float>.One - yAbs) / V(2.0f);
            float* logs = stackalloc float[16];
            half.Store(logs);
            uint bits = (uint)tail.ExtractMostSignificantBits();
            for (int j = 0; j < 16; j++)
                if ((bits & (1u << j)) != 0) logs[j] = MathF.Log(logs[j]);
            var w = Vector512.Sqrt(-Vector512.Load(logs));
            var tailNum = Fma(Fma(Fma(V(1.641345311f), w, 3.429567803f), w, -1.624906493f), w, -1.970840454f);
            var tailDem = Fma(Fma(V(1.637067800f), w, 3.543889200f), w, 1.0f);
            x = Vector512.ConditionalSelect(tail, Vector512.CopySign(tailNum, y) / tailDem, x);
        }
        for (int step = 0; step < 2; step++)
        {
            if (!LibmVector.Erf(x, out var erf) || !LibmVector.Exp(-x * x, out var exp)) return false;
            x -= (erf - y) / (V(K) * exp);
        }
        return true;
    }

    private static Vector512<float> V(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, float c) => Avx512F.FusedMultiplyAdd(a, b, V(c));

    /// <summary>The inverse error function of one float, as PyTorch 1.13 computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Erfinv(float y)
    {
        float yAbs = MathF.Abs(y);
        if (yAbs > 1.0f) return float.NaN;
        if (yAbs == 1.0f) return MathF.CopySign(float.PositiveInfinity, y);
        float x = FirstGuess(y);
        x -= (Erff(x) - y) / (K * MathF.Exp(-x * x));
        x -= (Erff(x) - y) / (K * MathF.Exp(-x * x));
        return x;
    }

    // The rational approximation, polynomials contracted into FMAs as the AVX2 build of PyTorch 1.13 has them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float FirstGuess(float y)
    {
        float yAbs = MathF.Abs(y);
        float x;
        if (yAbs <= 0.7f)
        {
            float z = y * y;
            float num = MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(-0.140543331f, z, 0.914624893f), z, -1.645349621f), z, 0.886226899f);
            float dem = MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(0.012229801f, z, -0.329097515f), z, 1.442710462f), z, -2.118377725f), z, 1.0f);
            x = y * num / dem;
        }
        else
        {
            float z = MathF.Sqrt(-MathF.Log((1.0f - yAbs) / 2.0f));
            float num = MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(1.641345311f, z, 3.429567803f), z, -1.624906493f), z, -1.970840454f);
            float dem = MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(1.637067800f, z, 3.543889200f), z, 1.0f);
            x = MathF.CopySign(num, y) / dem;
        }
        return x;
    }

    // glibc's erff, which PyTorch's std::erf(float) calls; a leaf function, safe without a GC transition.
    [DllImport("libm.so.6", EntryPoint = "erff"), SuppressGCTransition]
    private static extern float Erff(float x);

    // Values across (-1, 1): uniform, near 0 and near ±1 (the tail branch and erf's exp branch), bit-compared.
    private static unsafe bool ProbeVector()
    {
        const int n = 1 << 14;
        var y = new float[n];
        var random = new Random(16);
        for (int i = 0; i < n; i++)
        {
            float v = (i % 4) switch
            {
                0 => (float)(random.NextDouble() * 2 - 1),
                1 => (float)(random.NextDouble() * 1e-3),
                2 => 1 - (float)Math.Pow(2, -1 - 23 * random.NextDouble()),
                _ => 0.6f + 0.35f * (float)random.NextDouble(),
            };
            y[i] = (i & 1) == 0 ? v : -v;
        }
        var vector = (float[])y.Clone();
        fixed (float* p = vector) RunVector(p, 0, n);
        for (int i = 0; i < n; i++)
            if (BitConverter.SingleToInt32Bits(vector[i]) != BitConverter.SingleToInt32Bits(Erfinv(y[i]))) return false;
        return true;
    }

    private static bool Probe()
    {
        try { return OperatingSystem.IsLinux() && Math.Abs(Erff(0.5f) - 0.5204999f) < 1e-6f; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }
}
