#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// The figures the init report gives of a tensor's values. Here rather than in Reports because lazy models
/// (<see cref="Walk.LazyModel"/>) take them from the shards their values were streamed to.
/// </summary>
public static class TensorStats
{
    /// <summary>Mean, unbiased std (null for one element), min and max of a tensor's values, computed in float64.</summary>
    public static (double Mean, double? Std, double Min, double Max) Of(Tensor t)
    {
        long n = t.numel();
        if (n == 0) return (double.NaN, null, double.NaN, double.NaN);
        var scratch = n <= ExactStatsLimit ? Scratch() : null;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var flat = t.detach().reshape(-1);
        if (n > ExactStatsLimit && flat.dtype == ScalarType.Float32)
        {
            // One Welford pass (libtorch accumulates float32 in double on the CPU) and one min/max pass, as cheap as
            // libtorch's own reductions; the mean and std are then rounded to float32 (relative error ~6e-8).
            var (sd32, mu32) = std_mean(flat, unbiased: true);
            var (lo, hi) = flat.aminmax();
            return (mu32.to(ScalarType.Float64).item<double>(), sd32.to(ScalarType.Float64).item<double>(),
                    lo.to(ScalarType.Float64).item<double>(), hi.to(ScalarType.Float64).item<double>());
        }
        // Float64 in chunks: a whole-tensor float64 copy would double a big tensor's memory. Chunks merge
        // with Chan et al.'s pairwise update of (count, mean, M2).
        double count = 0, mean = 0, m2 = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (long start = 0; start < n; start += StatsChunk)
        {
            long len = Math.Min(StatsChunk, n - start);
            var chunk = flat.narrow(0, start, len);
            var (mn, mx) = chunk.aminmax();
            min = Math.Min(min, mn.to(ScalarType.Float64).item<double>());
            max = Math.Max(max, mx.to(ScalarType.Float64).item<double>());
            var d = scratch is null ? chunk.to(ScalarType.Float64) : scratch.narrow(0, 0, len).copy_(chunk);
            // TorchSharp 0.107's var_mean returns a standard deviation (and var ignores unbiased): std_mean is right.
            var (sd, mu) = std_mean(d, unbiased: false);
            double cm = mu.item<double>(), s = sd.item<double>(), cm2 = s * s * len;
            double delta = cm - mean, total = count + len;
            mean += delta * len / total;
            m2 += cm2 + delta * delta * count * len / total;
            count = total;
            d.Dispose();
        }
        double? std = n > 1 ? Math.Sqrt(m2 / (n - 1)) : null;
        return (mean, std, min, max);
    }

    private const long StatsChunk = 1 << 23;

    // A float64 copy for the exact stats, one per thread and reused: a new one per tensor is fresh memory, and on
    // this project's VM kind each fresh page costs a fault (the 900 small tensors of a ResNet-152 report took most
    // of a second in them; bench/README.md).
    [ThreadStatic] private static Tensor? _scratch;

    private static Tensor Scratch() => _scratch ??= empty(ExactStatsLimit, ScalarType.Float64).DetachFromDisposeScope();

    // Tensors up to this size get their mean and std exactly in float64, as the golden files compute them.
    private const long ExactStatsLimit = 1 << 20;
}
