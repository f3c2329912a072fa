#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>The identity matrix for 2-dimensional (linear) weights, as PyTorch's <c>eye_</c>.</summary>
public sealed class EyeInit : InitializerBase
{
    /// <summary>Builds it from validated arguments.</summary>
    public EyeInit(InitArguments args) : base(args) { }

    /// <inheritdoc />
    public override string? CheckWeight(Tensor weight) =>
        weight.dim() != 2 ? $"Eye needs a 2-dimensional weight, but got shape [{string.Join(", ", weight.shape)}]; use Dirac for convolutions." : null;

    /// <inheritdoc />
    protected override void FillWeight(Tensor weight, Generator? generator)
    {
        using var identity = eye(weight.shape[0], weight.shape[1], weight.dtype);
        weight.copy_(identity);
    }

    /// <inheritdoc />
    public override string Describe() => $"{InfoName}: {BiasText}";
}
