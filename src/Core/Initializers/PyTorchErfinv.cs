#nullable enable
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>Replaces each element of a float32 tensor by its inverse error function; other dtypes use libtorch's.</summary>
    public static void Apply(Tensor t)
    {
        if (!Available || t.dtype != ScalarType.Float32 || !t.is_contiguous() || t.device_type != TorchSharp.DeviceType.CPU ||
            t.numel() * 4 > int.MaxValue)
        {
            t.erfinv_();
            return;
        }
        long n = t.numel();
        if (n == 0) return;
        var bytes = t.bytes;
        unsafe
        {
            fixed (byte* p = bytes)
            {
                var data = (float*)p;
                const long chunk = 1 << 16;
                long chunks = (n + chunk - 1) / chunk;
                if (chunks == 1) Run(data, 0, n);
                else Parallel.For(0, chunks, i => Run(data, i * chunk, Math.Min(n, (i + 1) * chunk)));
            }
        }
        // The span points into the tensor's storage: the tensor (and, through the caller, its owner) must
        // outlive the last write, or a finalizer may free the memory under it.
        GC.KeepAlive(t);
    }

    // Eight values at a time, step by step: each value's Newton steps form one long dependent chain
    // (erff, exp, divide), and interleaving eight chains keeps the core busy instead of waiting on each.
    private static unsafe void Run(float* data, long from, long to)
    {
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

    private static bool Probe()
    {
        try { return OperatingSystem.IsLinux() && Math.Abs(Erff(0.5f) - 0.5204999f) < 1e-6f; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }
}
