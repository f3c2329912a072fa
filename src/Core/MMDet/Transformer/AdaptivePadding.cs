#nullable enable
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.Transformer;

/// <summary>
/// MMCV's <c>AdaptivePadding</c> (no parameters): pads the input so that a kernel with this stride and dilation
/// covers all of it, at the bottom-right (<c>corner</c>) or around it (<c>same</c>).
/// </summary>
public sealed class AdaptivePadding : nn.Module<Tensor, Tensor>, INamedModuleClass
{
    private readonly (long H, long W) _kernel, _stride, _dilation;

    /// <summary>Creates it as <c>AdaptivePadding(kernel_size, stride, dilation, padding)</c>; padding is 'corner' or 'same'.</summary>
    public AdaptivePadding((long, long) kernelSize, (long, long) stride, (long, long) dilation, string padding = "corner") : base(nameof(AdaptivePadding))
    {
        if (padding is not ("corner" or "same"))
            throw new Errors.InitCfgException(Errors.ErrorIds.InvalidArgumentValue, "padding", $"padding must be 'same' or 'corner', but got '{padding}'.");
        _kernel = kernelSize;
        _stride = stride;
        _dilation = dilation;
        Padding = padding;
    }

    /// <summary>'corner' or 'same'.</summary>
    public string Padding { get; }

    /// <inheritdoc />
    public string ClassName => nameof(AdaptivePadding);

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "Module" };

    /// <summary>MMCV's <c>get_pad_shape</c>: padding of height and width for an input of this size.</summary>
    public (long H, long W) PadShape(long height, long width)
    {
        long outH = (height + _stride.H - 1) / _stride.H, outW = (width + _stride.W - 1) / _stride.W;
        return (Math.Max((outH - 1) * _stride.H + (_kernel.H - 1) * _dilation.H + 1 - height, 0),
                Math.Max((outW - 1) * _stride.W + (_kernel.W - 1) * _dilation.W + 1 - width, 0));
    }

    /// <summary>Pads (N, C, H, W) as MMCV does.</summary>
    public override Tensor forward(Tensor input)
    {
        var (h, w) = PadShape(input.shape[^2], input.shape[^1]);
        if (h == 0 && w == 0) return input;
        return Padding == "corner"
            ? nn.functional.pad(input, new[] { 0, w, 0, h })
            : nn.functional.pad(input, new[] { w / 2, w - w / 2, h / 2, h - h / 2 });
    }
}
