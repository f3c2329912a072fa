#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>
/// Truncated normal in the absolute range [a, b] (MMEngine <c>TruncNormalInit</c>), by the inverse-CDF method of
/// PyTorch's <c>_no_grad_trunc_normal_</c>; TorchSharp's own trunc_normal_ swaps mean and std, and libtorch
/// 2.10's erfinv is not PyTorch 1.13's (see <see cref="PyTorchErfinv"/>).
/// </summary>
public sealed class TruncNormalInit : InitializerBase
{
    /// <summary>Builds it from validated arguments.</summary>
    public TruncNormalInit(InitArguments args) : base(args)
    {
        Mean = args.Number("mean");
        Std = args.Number("std");
        A = args.Number("a");
        B = args.Number("b");
        if (Std <= 0) throw args.Invalid("std", $"std must be > 0, but got {Show("std")}.");
        if (A >= B) throw args.Invalid("a", $"a must be < b, but got a={Show("a")}, b={Show("b")}.");
    }

    /// <summary>Mean.</summary>
    public double Mean { get; }

    /// <summary>Standard deviation of the untruncated normal.</summary>
    public double Std { get; }

    /// <summary>Lower cutoff (absolute).</summary>
    public double A { get; }

    /// <summary>Upper cutoff (absolute).</summary>
    public double B { get; }

    /// <inheritdoc />
    protected override void FillWeight(Tensor weight, Generator? generator) => Fill(weight, Mean, Std, A, B, generator);

    internal override long? StreamDraws(Tensor weight) => ParallelDraws.UniformDraws(weight);

    /// <summary>PyTorch's <c>trunc_normal_(tensor, mean, std, a, b)</c>, drawing from <paramref name="generator"/> (null: the global one).</summary>
    public static void Fill(Tensor tensor, double mean, double std, double a, double b, Generator? generator)
    {
        double l = InitMath.NormCdf((a - mean) / std);
        double u = InitMath.NormCdf((b - mean) / std);
        ParallelDraws.Uniform(tensor, 2 * l - 1, 2 * u - 1, generator);
        PyTorchErfinv.Apply(tensor);
        tensor.MulBy(std * Math.Sqrt(2.0));
        tensor.AddValue(mean);
        tensor.ClampTo(a, b);
    }

    /// <inheritdoc />
    public override ExpectedDensity Density(long[] shape) => ExpectedDensity.TruncatedNormal(Mean, Std, A, B);

    /// <inheritdoc />
    public override string Describe() => $"{InfoName}: a={Show("a")}, b={Show("b")}, mean={Show("mean")}, std={Show("std")}, {BiasText}";
}
