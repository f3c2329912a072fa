#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>He initialization (MMEngine <c>KaimingInit</c>; <c>mode</c> defaults to <c>fan_out</c> as there, not fan_in).</summary>
public class KaimingInit : InitializerBase
{
    /// <summary>Builds it from validated arguments.</summary>
    public KaimingInit(InitArguments args)
        : this(args, args.Raw("a")!, args.Text("mode"), args.Text("nonlinearity"), args.Text("distribution")) { }

    /// <summary>Builds it with fixed Kaiming arguments (for variants such as Caffe2Xavier).</summary>
    protected KaimingInit(InitArguments args, object a, string mode, string nonlinearity, string distribution) : base(args)
    {
        _a = a;
        A = Convert.ToDouble(a);
        Mode = mode;
        Nonlinearity = nonlinearity;
        Distribution = distribution;
    }

    private readonly object _a;

    /// <summary>Negative slope for leaky_relu.</summary>
    public double A { get; }

    /// <summary><c>fan_in</c> or <c>fan_out</c>.</summary>
    public string Mode { get; }

    /// <summary>The nonlinearity whose gain is used.</summary>
    public string Nonlinearity { get; }

    /// <summary><c>normal</c> or <c>uniform</c>.</summary>
    public string Distribution { get; }

    /// <inheritdoc />
    public override string? CheckWeight(Tensor weight) => InitMath.FanProblem(weight);

    /// <inheritdoc />
    internal override long? StreamDraws(Tensor weight) =>
        weight.numel() == 0 ? 0 : Distribution == "uniform" ? ParallelDraws.UniformDraws(weight) : ParallelDraws.NormalDraws(weight);

    /// <inheritdoc />
    protected override void FillWeight(Tensor weight, Generator? generator)
    {
        if (weight.numel() == 0) return;
        var (fanIn, fanOut) = InitMath.Fans(weight.shape)!.Value;
        double fan = Mode == "fan_in" ? fanIn : fanOut;
        double std = InitMath.Gain(Nonlinearity, A) / Math.Sqrt(fan);
        if (Distribution == "uniform")
        {
            double bound = Math.Sqrt(3.0) * std;
            ParallelDraws.Uniform(weight, -bound, bound, generator);
        }
        else ParallelDraws.Normal(weight, 0, std, generator);
    }

    /// <inheritdoc />
    public override ExpectedDensity? Density(long[] shape)
    {
        if (InitMath.Fans(shape) is not { } fans) return null;
        double fan = Mode == "fan_in" ? fans.FanIn : fans.FanOut;
        return fan > 0 ? ExpectedDensity.Spread(Distribution, InitMath.Gain(Nonlinearity, A) / Math.Sqrt(fan)) : null;
    }

    /// <inheritdoc />
    public override string Describe() =>
        $"{InfoName}: a={Configs.PyRepr.Str(_a)}, mode={Mode}, nonlinearity={Nonlinearity}, distribution ={Distribution}, {BiasText}";
}
