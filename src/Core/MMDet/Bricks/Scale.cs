#nullable enable
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.Bricks;

/// <summary>MMCV's <c>Scale</c>: one learnable float32 scalar named <c>scale</c> (shape []), multiplied into its input.</summary>
public sealed class Scale : nn.Module<Tensor, Tensor>, INamedModuleClass
{
    private readonly TorchSharp.Modules.Parameter scale;

    /// <summary>Creates it holding <paramref name="value"/>.</summary>
    public Scale(double value = 1.0) : base(nameof(Scale))
    {
        scale = new TorchSharp.Modules.Parameter(tensor((float)value, ScalarType.Float32));
        RegisterComponents();
    }

    /// <inheritdoc />
    public string ClassName => nameof(Scale);

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "Module" };

    /// <summary>input * scale.</summary>
    public override Tensor forward(Tensor input) => input * scale;
}
