#nullable enable
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.Transformer;

/// <summary>MMCV's <c>DropPath</c> (stochastic depth): drops whole samples while training, scaling the rest; no parameters.</summary>
public sealed class DropPath : nn.Module<Tensor, Tensor>, INamedModuleClass
{
    /// <summary>Creates it with <c>drop_prob</c>.</summary>
    public DropPath(double dropProb = 0.1) : base(nameof(DropPath)) => DropProb = dropProb;

    /// <summary>Probability of dropping a sample's path.</summary>
    public double DropProb { get; }

    /// <inheritdoc />
    public string ClassName => nameof(DropPath);

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "Module" };

    /// <summary>Identity in eval mode or with drop_prob 0; otherwise x / keep * Bernoulli(keep) per sample.</summary>
    public override Tensor forward(Tensor input)
    {
        if (DropProb == 0 || !training) return input;
        double keep = 1 - DropProb;
        var shape = new long[input.dim()];
        Array.Fill(shape, 1L);
        shape[0] = input.shape[0];
        var mask = (rand(shape, input.dtype, input.device) + keep).floor_();
        return input.div(keep) * mask;
    }
}
