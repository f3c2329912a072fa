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
    protected override void FillWeight(Tensor weight, Generator? generator)
    {
        double l = InitMath.NormCdf((A - Mean) / Std);
        double u = InitMath.NormCdf((B - Mean) / Std);
        weight.uniform_(2 * l - 1, 2 * u - 1, generator);
        PyTorchErfinv.Apply(weight);
        weight.MulBy(Std * Math.Sqrt(2.0));
        weight.AddValue(Mean);
        weight.ClampTo(A, B);
    }

    /// <inheritdoc />
    public override ExpectedDensity Density(long[] shape) => ExpectedDensity.TruncatedNormal(Mean, Std, A, B);

    /// <inheritdoc />
    public override string Describe() => $"{InfoName}: a={Show("a")}, b={Show("b")}, mean={Show("mean")}, std={Show("std")}, {BiasText}";
}
