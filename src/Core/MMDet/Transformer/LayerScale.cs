#nullable enable
using InitCfg.Core.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.Transformer;

/// <summary>MMCV's <c>LayerScale</c>: a <c>weight</c> [dim] filled with <c>scale</c>, multiplied into the last dimension.</summary>
public sealed class LayerScale : nn.Module<Tensor, Tensor>, INamedModuleClass
{
    private readonly Parameter weight;

    /// <summary>Creates it as <c>LayerScale(dim, scale)</c>.</summary>
    public LayerScale(long dim, double scale) : base(nameof(LayerScale))
    {
        using var _ = no_grad();
        weight = new Parameter(ones(dim) * scale);
        register_parameter(nameof(weight), weight);
    }

    /// <inheritdoc />
    public string ClassName => nameof(LayerScale);

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "Module" };

    /// <summary>x * weight.</summary>
    public override Tensor forward(Tensor input) => input * weight;
}
