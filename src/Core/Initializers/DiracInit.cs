#nullable enable
using TorchSharp;
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>Identity-preserving convolution weights, as PyTorch's <c>dirac_</c> (3-, 4- and 5-dimensional weights).</summary>
public sealed class DiracInit : InitializerBase
{
    /// <summary>Builds it from validated arguments.</summary>
    public DiracInit(InitArguments args) : base(args)
    {
        Groups = (long)args.Number("groups");
        if (Groups < 1 || Groups != args.Number("groups")) throw args.Invalid("groups", $"groups must be a positive int, but got {Show("groups")}.");
    }

    /// <summary>Number of convolution groups.</summary>
    public long Groups { get; }

    /// <inheritdoc />
    public override string? CheckWeight(Tensor weight)
    {
        if (weight.dim() is < 3 or > 5) return $"Dirac needs a 3, 4 or 5-dimensional (convolution) weight, but got shape [{string.Join(", ", weight.shape)}]; use Eye for 2-dimensional weights.";
        if (weight.shape[0] % Groups != 0) return $"dim 0 ({weight.shape[0]}) must be divisible by groups ({Groups}).";
        return null;
    }

    /// <inheritdoc />
    protected override void FillWeight(Tensor weight, Generator? generator)
    {
        var shape = weight.shape;
        long outPerGroup = shape[0] / Groups;
        long minDim = Math.Min(outPerGroup, shape[1]);
        weight.zero_();
        using var one = tensor(1.0f, weight.dtype); // held: a temporary could be finalized while libtorch writes it
        for (long g = 0; g < Groups; g++)
            for (long d = 0; d < minDim; d++)
            {
                var index = new List<TensorIndex> { TensorIndex.Single(g * outPerGroup + d), TensorIndex.Single(d) };
                for (int k = 2; k < shape.Length; k++) index.Add(TensorIndex.Single(shape[k] / 2));
                weight[index.ToArray()] = one;
            }
    }

    /// <inheritdoc />
    public override string Describe() => $"{InfoName}: groups={Show("groups")}, {BiasText}";
}
