#nullable enable
using InitCfg.Core.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace InitCfg.Core.Transformer;

/// <summary>
/// PyTorch's <c>NonDynamicallyQuantizableLinear</c>, the <c>out_proj</c> child of <c>MultiheadAttention</c>: a
/// <c>Linear</c> (its direct base, so <c>layer='Linear'</c> selects it as MMEngine does) with <c>weight</c>
/// [out, in] and <c>bias</c> [out], drawn at construction as <c>Linear.reset_parameters</c> draws them.
/// TorchSharp's <c>Linear</c> is sealed, hence a class of its own.
/// </summary>
public sealed class NonDynamicallyQuantizableLinear : nn.Module<Tensor, Tensor>, INamedModuleClass
{
    // Field names equal the registered names, so TorchSharp's field scan finds them registered already.
    private readonly Parameter weight;
    private readonly Parameter? bias;

    /// <summary>Creates it with <c>Linear(in_features, out_features, bias)</c>'s draws from the global generator.</summary>
    public NonDynamicallyQuantizableLinear(long inFeatures, long outFeatures, bool bias = true) : base(nameof(NonDynamicallyQuantizableLinear))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        using var _ = no_grad();
        weight = new Parameter(empty(outFeatures, inFeatures));
        // kaiming_uniform_(weight, a=sqrt(5)): bound = sqrt(3) * gain / sqrt(fan_in), gain = sqrt(2 / (1 + a**2)).
        double a = Math.Sqrt(5.0);
        double gain = Math.Sqrt(2.0 / (1 + a * a));
        double bound = inFeatures > 0 ? Math.Sqrt(3.0) * gain / Math.Sqrt(inFeatures) : 0;
        weight.uniform_(-bound, bound);
        register_parameter(nameof(weight), weight);
        if (bias)
        {
            this.bias = new Parameter(empty(outFeatures));
            double biasBound = inFeatures > 0 ? 1 / Math.Sqrt(inFeatures) : 0;
            this.bias.uniform_(-biasBound, biasBound);
            register_parameter(nameof(bias), this.bias);
        }
    }

    /// <summary>Input features.</summary>
    public long InFeatures { get; }

    /// <summary>Output features.</summary>
    public long OutFeatures { get; }

    /// <summary>The weight [out, in].</summary>
    public Parameter Weight => weight;

    /// <summary>The bias [out], or null.</summary>
    public Parameter? Bias => bias;

    /// <inheritdoc />
    public string ClassName => nameof(NonDynamicallyQuantizableLinear);

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "Linear" };

    /// <summary>x W^T + b.</summary>
    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);
}
