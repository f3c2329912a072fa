#nullable enable
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.Bricks;

/// <summary>
/// MMCV's wrappers of <c>nn.Conv2d</c>, <c>nn.ConvTranspose2d</c> and <c>nn.Linear</c> (mmcv/cnn/bricks/wrappers.py:
/// what <c>type='Conv'</c>, <c>'deconv'</c>/<c>'ConvTranspose2d'</c> build). They hold the wrapped layer's own
/// <c>weight</c>/<c>bias</c>, drawn at construction exactly as PyTorch's layer draws them, but their class is
/// MMCV's: its only direct base is the torch layer, so an init_cfg <c>layer='Conv2d'</c> matches a wrapped Conv2d
/// and <c>layer='_ConvNd'</c> does not, as in MMEngine.
/// </summary>
public sealed class MMCVWrapper : nn.Module<Tensor, Tensor>, INamedModuleClass
{
    private readonly Func<Tensor, Tensor, Tensor?, Tensor> _forward;

    private MMCVWrapper(string className, nn.Module torchLayer, Func<Tensor, Tensor, Tensor?, Tensor> forward) : base(className)
    {
        ClassName = className;
        BaseClassNames = new[] { className };
        _forward = forward;
        // The torch layer drew the values; its parameters move here, under the same names, in the same order.
        foreach (var (name, p) in torchLayer.named_parameters(recurse: false)) register_parameter(name, p);
    }

    /// <summary>MMCV's <c>Conv2d</c> (registered as <c>Conv</c>).</summary>
    public static MMCVWrapper Conv2d(long inCh, long outCh, (long, long) kernel, (long, long) stride, (long, long) padding,
        (long, long) dilation, long groups, bool bias)
    {
        var conv = nn.Conv2d(inCh, outCh, kernel, stride, padding, dilation, groups: groups, bias: bias);
        return new MMCVWrapper("Conv2d", conv, (x, w, b) => nn.functional.conv2d(x, w, b,
            new[] { stride.Item1, stride.Item2 }, new[] { padding.Item1, padding.Item2 }, new[] { dilation.Item1, dilation.Item2 }, groups));
    }

    /// <summary>MMCV's <c>ConvTranspose2d</c> (registered as <c>deconv</c> and <c>ConvTranspose2d</c>).</summary>
    public static MMCVWrapper ConvTranspose2d(long inCh, long outCh, long kernel, long stride)
    {
        var deconv = nn.ConvTranspose2d(inCh, outCh, kernel, stride);
        return new MMCVWrapper("ConvTranspose2d", deconv, (x, w, b) => nn.functional.conv_transpose2d(x, w, b, new[] { stride, stride }));
    }

    /// <summary>MMCV's <c>Linear</c>.</summary>
    public static MMCVWrapper Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        var fc = nn.Linear(inFeatures, outFeatures, bias);
        return new MMCVWrapper("Linear", fc, (x, w, b) => nn.functional.linear(x, w, b));
    }

    /// <inheritdoc />
    public string ClassName { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; }

    /// <summary>The wrapped layer's forward.</summary>
    public override Tensor forward(Tensor input)
    {
        var (w, b) = ModuleParameters.WeightAndBias(this);
        return _forward(input, w!, b);
    }
}
