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
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long n = source.numel();
        var flat = source.detach().reshape(-1);
        Tensor picked;
        if (n <= max) picked = flat;
        else
        {
            var random = new Random(20240601);
            var index = new long[max];
            for (int i = 0; i < max; i++) index[i] = random.NextInt64(n);
            picked = flat.index_select(0, tensor(index, ScalarType.Int64));
        }
        var all = picked.to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        var finite = Array.FindAll(all, double.IsFinite);
        return new WeightSample(finite, n, all.Length - finite.Length);
    }
}
