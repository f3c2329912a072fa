#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Reports;

/// <summary>The values a histogram is drawn from: all of a small tensor, a fixed random sample of a large one.</summary>
internal sealed class WeightSample
{
    private WeightSample(double[] values, long elements, int nonFinite)
    {
        Values = values;
        Elements = elements;
        NonFinite = nonFinite;
    }

    /// <summary>Finite sampled values.</summary>
    public double[] Values { get; }

    /// <summary>Elements of the whole tensor.</summary>
    public long Elements { get; }

    /// <summary>Sampled values left out because they are NaN or infinite.</summary>
    public int NonFinite { get; }

    /// <summary>True when <see cref="Values"/> is a sample rather than the whole tensor.</summary>
    public bool IsSampled => Values.Length + NonFinite < Elements;

    /// <summary>
    /// Takes every value when the tensor has at most <paramref name="max"/> elements, otherwise <paramref name="max"/>
    /// positions drawn (with replacement) by a generator with a fixed seed: the same tensor always gives the same
    /// page, and a regular stride cannot alias with the layout of a convolution kernel.
    /// </summary>
    public static WeightSample Take(Tensor source, int max)
    {
        long n = source.numel();
        double[] all = n <= max ? new double[n] : new double[max];
        if (source.dtype == ScalarType.Float32 && source.device_type == TorchSharp.DeviceType.CPU && source.is_contiguous() && n * 4 <= int.MaxValue)
        {
            // Straight from the tensor's memory: libtorch's index_select and float64 copies would allocate fresh
            // memory for every chart, and fresh pages cost a fault each (bench/README.md).
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(source.bytes);
            if (n <= max) for (int i = 0; i < all.Length; i++) all[i] = values[i];
            else
            {
                var index = Positions(n, max);
                for (int i = 0; i < all.Length; i++) all[i] = values[(int)index[i]];
            }
            GC.KeepAlive(source); // the span was over its memory
        }
        else
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var flat = source.detach().reshape(-1);
            var picked = n <= max ? flat : flat.index_select(0, tensor(Positions(n, max), ScalarType.Int64));
            picked.to(ScalarType.Float64).cpu().contiguous().data<double>().CopyTo(all, 0);
        }
        var finite = Array.FindAll(all, double.IsFinite);
        return new WeightSample(finite, n, all.Length - finite.Length);
    }

    // The sampled positions depend only on the tensor's size: models repeat sizes (ResNet-152's 60 largest weights
    // have 13), so the last few are kept.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(long, int), long[]> RecentPositions = new();

    private static long[] Positions(long n, int max)
    {
        if (RecentPositions.TryGetValue((n, max), out var known)) return known;
        var random = new Random(20240601);
        var index = new long[max];
        for (int i = 0; i < max; i++) index[i] = random.NextInt64(n);
        if (RecentPositions.Count >= 16) RecentPositions.Clear();
        RecentPositions[(n, max)] = index;
        return index;
    }
}
