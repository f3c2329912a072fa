#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>Draws the weight from U(a, b) (MMEngine <c>UniformInit</c>).</summary>
public sealed class UniformInit : InitializerBase
{
    /// <summary>Builds it from validated arguments.</summary>
    public UniformInit(InitArguments args) : base(args)
    {
        A = args.Number("a");
        B = args.Number("b");
        if (A > B) throw args.Invalid("a", $"a must be <= b, but got a={Show("a")}, b={Show("b")}.");
        // libtorch checks the width in float32 only when it draws: refuse it now, before any weight changes.
        if (B - A > float.MaxValue)
            throw args.Invalid("b", $"the range b - a = {B - A:R} is wider than float32 can hold (a={Show("a")}, b={Show("b")}).");
    }

    /// <summary>Lower bound.</summary>
    public double A { get; }

    /// <summary>Upper bound.</summary>
    public double B { get; }

    /// <inheritdoc />
    protected override void FillWeight(Tensor weight, Generator? generator) => ParallelDraws.Uniform(weight, A, B, generator);

    internal override long? StreamDraws(Tensor weight) => ParallelDraws.UniformDraws(weight);

    /// <inheritdoc />
    public override ExpectedDensity Density(long[] shape) => B <= A ? ExpectedDensity.Constant(A) : ExpectedDensity.Uniform(A, B);

    /// <inheritdoc />
    public override string Describe() => $"{InfoName}: a={Show("a")}, b={Show("b")}, {BiasText}";
}
