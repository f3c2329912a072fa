#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>Glorot initialization (MMEngine <c>XavierInit</c>); draws are PyTorch's, not TorchSharp's buggy xavier_normal_.</summary>
public sealed class XavierInit : InitializerBase
{
    /// <summary>Builds it from validated arguments.</summary>
    public XavierInit(InitArguments args) : base(args)
    {
        Gain = args.Number("gain");
        Distribution = args.Text("distribution");
        if (Gain < 0) throw args.Invalid("gain", $"gain must be >= 0, but got {Show("gain")}.");
    }

    /// <summary>Scale factor.</summary>
    public double Gain { get; }

    /// <summary><c>normal</c> or <c>uniform</c>.</summary>
    public string Distribution { get; }

    /// <inheritdoc />
    public override string? CheckWeight(Tensor weight)
    {
        if (InitMath.FanProblem(weight) is { } why) return why;
        // A gain that is valid on its own can still give a std or bound beyond float32, which libtorch refuses
        // midway (or fills with Inf): refuse it while planning.
        var (bound, width) = Bounds(weight.shape);
        return width > float.MaxValue || (Distribution != "uniform" && InitMath.NormalOverflows(bound))
            ? $"gain={Show("gain")} gives a {(Distribution == "uniform" ? "bound" : "std")} of {bound:R} for this shape, beyond float32."
            : null;
    }

    // The std (normal) or bound (uniform) drawn with, and the width libtorch checks in float32.
    private (double Bound, double Width) Bounds(long[] shape)
    {
        var (fanIn, fanOut) = InitMath.Fans(shape)!.Value;
        double std = Gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        return Distribution == "uniform" ? (Math.Sqrt(3.0) * std, 2 * Math.Sqrt(3.0) * std) : (std, std);
    }

    /// <inheritdoc />
    protected override void FillWeight(Tensor weight, Generator? generator) => Fill(weight, Gain, Distribution, generator);

    internal override long? StreamDraws(Tensor weight) =>
        Distribution == "uniform" ? ParallelDraws.UniformDraws(weight) : ParallelDraws.NormalDraws(weight);

    /// <summary>
    /// PyTorch's <c>xavier_uniform_</c> (<paramref name="distribution"/> "uniform") or <c>xavier_normal_</c>, drawing
    /// from <paramref name="generator"/> (null: the global one); modules whose own init draws Xavier call it too.
    /// </summary>
    public static void Fill(Tensor weight, double gain, string distribution, Generator? generator)
    {
        var (fanIn, fanOut) = InitMath.Fans(weight.shape)!.Value;
        double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        if (distribution == "uniform")
        {
            double a = Math.Sqrt(3.0) * std;
            ParallelDraws.Uniform(weight, -a, a, generator);
        }
        else ParallelDraws.Normal(weight, 0, std, generator);
    }

    /// <inheritdoc />
    public override ExpectedDensity? Density(long[] shape) =>
        InitMath.Fans(shape) is { } fans ? ExpectedDensity.Spread(Distribution, Gain * Math.Sqrt(2.0 / (fans.FanIn + fans.FanOut))) : null;

    /// <inheritdoc />
    public override string Describe() => $"{InfoName}: gain={Show("gain")}, distribution={Distribution}, {BiasText}";
}
