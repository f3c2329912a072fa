#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>Draws the weight from N(mean, std²) (MMEngine <c>NormalInit</c>).</summary>
public sealed class NormalInit : InitializerBase
{
    /// <summary>Builds it from validated arguments.</summary>
    public NormalInit(InitArguments args) : base(args)
    {
        Mean = args.Number("mean");
        Std = args.Number("std");
        if (Std < 0) throw args.Invalid("std", $"std must be >= 0, but got {Show("std")}.");
        if (InitMath.NormalOverflows(Std) || Math.Abs(Mean) + 8.6 * Std > float.MaxValue)
            throw args.Invalid("std", $"mean={Show("mean")}, std={Show("std")} would draw values beyond float32 (Inf).");
    }

    /// <summary>Mean.</summary>
    public double Mean { get; }

    /// <summary>Standard deviation.</summary>
    public double Std { get; }

    /// <inheritdoc />
    protected override void FillWeight(Tensor weight, Generator? generator) => ParallelDraws.Normal(weight, Mean, Std, generator);

    internal override long? StreamDraws(Tensor weight) => ParallelDraws.NormalDraws(weight);

    /// <inheritdoc />
    public override ExpectedDensity Density(long[] shape) => Std > 0 ? ExpectedDensity.Normal(Mean, Std) : ExpectedDensity.Constant(Mean);

    /// <inheritdoc />
    public override string Describe() => $"{InfoName}: mean={Show("mean")}, std={Show("std")}, {BiasText}";
}
