#nullable enable
using InitCfg.Core.Modules;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Layers;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.Bricks;

/// <summary>
/// MMCV's <c>ConvModule</c>: a convolution (<c>conv</c>), an optional norm (<c>bn</c>/<c>gn</c>/...) and an optional
/// activation (<c>activate</c>), registered in that order whatever <c>order</c> says. Like MMCV it runs its own
/// <c>init_weights</c> at construction (Kaiming normal, fan_out, on the conv; norm weight 1, bias 0), drawing
/// from the build's generator, and again when an init walk reaches it.
/// </summary>
public sealed class ConvModule : BaseModule, INamedModuleClass
{
    // Children are kept only as registered modules: TorchSharp would register a Module-typed field a second time.
    private nn.Module _conv => Child("conv")!;
    private nn.Module? _norm => NormName is null ? null : Child(NormName);
    private nn.Module? _activate => Child("activate");
    private readonly string[] _order;
    private readonly string _nonlinearity;
    private readonly double _a;

    /// <summary>Builds it as <c>ConvModule(in, out, kernel_size, stride, padding, dilation, groups, bias, conv_cfg, norm_cfg, act_cfg, inplace, order)</c>.</summary>
    /// <remarks><paramref name="bias"/> null is MMCV's 'auto': a bias only without a norm. A null config means None.</remarks>
    public ConvModule(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1,
        long groups = 1, bool? bias = null, SubConfig? convCfg = null, SubConfig? normCfg = null, SubConfig? actCfg = null,
        bool inplace = true, IReadOnlyList<string>? order = null, ConfigPath? path = null) : base(nameof(ConvModule))
    {
        _order = (order ?? new[] { "conv", "norm", "act" }).ToArray();
        if (_order.Length != 3 || !_order.OrderBy(x => x).SequenceEqual(new[] { "act", "conv", "norm" }))
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, path?.Key("order").ToString(),
                $"order must hold 'conv', 'norm' and 'act' once each, but got ({string.Join(", ", _order)}).");
        bool withNorm = normCfg is not null;
        register_module("conv", MMCVLayers.Conv(convCfg, inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias ?? !withNorm));
        if (normCfg is not null)
        {
            long normChannels = Array.IndexOf(_order, "norm") > Array.IndexOf(_order, "conv") ? outChannels : inChannels;
            var (normName, norm) = MMCVLayers.Norm(normCfg, normChannels);
            NormName = normName;
            register_module(normName, norm);
        }
        if (actCfg is not null)
        {
            // MMCV gives inplace to every activation but these, which take no such argument.
            bool takesInplace = actCfg.Type is not ("Tanh" or "PReLU" or "Sigmoid" or "HSigmoid" or "Swish" or "GELU");
            register_module("activate", MMCVLayers.Activation(actCfg, takesInplace && inplace));
        }
        (_nonlinearity, _a) = actCfg?.Type == "LeakyReLU" ? ("leaky_relu", actCfg.Float("negative_slope", 0.01)) : ("relu", 0.0);
        Fill(null);
    }

    /// <summary>The norm layer's registered name (<c>bn</c>, <c>gn</c>, ...), or null without a norm.</summary>
    public string? NormName { get; }

    /// <inheritdoc />
    public string ClassName => nameof(ConvModule);

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "Module" };

    /// <summary>MMCV's <c>ConvModule.init_weights</c>, drawing from the run's generator.</summary>
    public override void InitWeights(InitContext context) => Fill(context.Generator);

    // kaiming_init(conv, a, mode='fan_out', nonlinearity, distribution='normal', bias=0); constant_init(norm, 1, bias=0).
    private void Fill(Generator? generator)
    {
        using var _ = no_grad();
        // MMCV skips its Kaiming init for a conv with an init_weights of its own (ModulatedDeformConv2dPack).
        var (weight, bias) = _conv is BaseModule ? (null, null) : ModuleParameters.WeightAndBias(_conv);
        if (weight is not null)
        {
            var (_, fanOut) = InitMath.Fans(weight.shape)!.Value;
            weight.normal_(0, InitMath.Gain(_nonlinearity, _a) / Math.Sqrt(fanOut), generator);
        }
        bias?.Fill(0);
        if (_norm is not null)
        {
            var (nw, nb) = ModuleParameters.WeightAndBias(_norm);
            nw?.Fill(1);
            nb?.Fill(0);
        }
    }

    private nn.Module? Child(string name) => named_children().FirstOrDefault(c => c.name == name).module;

    /// <summary>Runs conv, norm and activation in <c>order</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var step in _order)
        {
            var layer = step switch { "conv" => _conv, "norm" => _norm, _ => _activate } as nn.Module<Tensor, Tensor>;
            if (layer is not null) x = layer.call(x);
        }
        return x;
    }
}
