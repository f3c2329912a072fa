#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>Fills the weight with <c>val</c> (MMEngine <c>ConstantInit</c>).</summary>
public sealed class ConstantInit : InitializerBase
{
    /// <summary>Builds it from validated arguments.</summary>
    public ConstantInit(InitArguments args) : base(args) => Val = args.Number("val");

    /// <summary>The weight value.</summary>
    public double Val { get; }

    /// <inheritdoc />
    protected override void FillWeight(Tensor weight, Generator? generator) => weight.Fill(Val);

    internal override long? StreamDraws(Tensor weight) => 0;

    /// <inheritdoc />
    public override ExpectedDensity Density(long[] shape) => ExpectedDensity.Constant(Val);

    /// <inheritdoc />
    public override string Describe() => $"{InfoName}: val={Show("val")}, {BiasText}";
}
