#nullable enable
using InitCfg.Core.Modules;
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Layers;
using InitCfg.Core.MMDet.Bricks;
using InitCfg.Core.Walk;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.RoIHeads;

/// <summary>
/// MMDetection's <c>FCNMaskHead</c>: <c>convs</c> (an MMEngine ModuleList of ConvModules, so the walk reaches their own
/// init), <c>upsample</c> (a 2x ConvTranspose2d for 'deconv'), <c>conv_logits</c>. Its own <c>init_weights</c> runs the
/// default procedure, then Kaiming normal (fan_out, relu) with zero bias on <c>upsample</c> and <c>conv_logits</c>.
/// MMDetection refuses an init_cfg for it; so does this build.
/// </summary>
public sealed class FCNMaskHead : MMDetModule
{
    /// <summary>The constructor arguments, MMDetection's names and defaults.</summary>
    public static readonly S[] Arguments =
    {
        new("num_convs", K.Int, 4L, "ConvModules before the upsampling."),
        new("roi_feat_size", K.Int, 14L, "RoI feature size (kept)."),
        new("in_channels", K.Int, 256L, "Input channels."),
        new("conv_kernel_size", K.Int, 3L, "Kernel size of the convs."),
        new("conv_out_channels", K.Int, 256L, "Channels of the convs."),
        new("num_classes", K.Int, 80L, "One mask per class (unless class_agnostic)."),
        new("class_agnostic", K.Bool, false, "One mask for all classes."),
        new("upsample_cfg", K.Ignored, SubConfig.Dict(("type", "deconv"), ("scale_factor", 2L)), "deconv, nearest, bilinear or None."),
        new("conv_cfg", K.Ignored, null, "Conv config of the convs.", Nullable: true),
        new("norm_cfg", K.Ignored, null, "Norm config of the convs.", Nullable: true),
        new("predictor_cfg", K.Ignored, SubConfig.Dict(("type", "Conv")), "conv_logits layer (Conv)."),
        new("loss_mask", K.Ignored, null, "Kept.", Nullable: true),
    };

    private FCNMaskHead(IEnumerable<KeyValuePair<string, nn.Module>> children, ConfigMap settings) : base(nameof(FCNMaskHead), children, settings) { }

    /// <summary>Builds the head.</summary>
    public static nn.Module Build(ModuleArguments a)
    {
        if (a.InitCfgGiven)
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key(ConfigKeys.InitCfg).ToString(),
                "FCNMaskHead takes no init_cfg (MMDetection refuses it: its own init_weights decides).");
        var up = SubConfig.Of(a.Raw("upsample_cfg"), a.Path.Key("upsample_cfg"));
        string? method = up?.Map[ConfigKeys.Type] as string;
        if (method is not (null or "deconv" or "nearest" or "bilinear"))
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("upsample_cfg").ToString(),
                $"upsample method '{method}' is not supported; supported: deconv, nearest, bilinear, None.");
        long k = a.Int("conv_kernel_size"), outCh = a.Int("conv_out_channels"), inCh = a.Int("in_channels");
        var convCfg = SubConfig.Of(a.Raw("conv_cfg"), a.Path.Key("conv_cfg"));
        var normCfg = SubConfig.Of(a.Raw("norm_cfg"), a.Path.Key("norm_cfg"));
        var relu = new SubConfig(SubConfig.Dict(("type", "ReLU")), a.Path);
        var convs = new List<nn.Module>();
        for (int i = 0; i < a.Int("num_convs"); i++)
            convs.Add(new ConvModule(i == 0 ? inCh : outCh, outCh, k, padding: (k - 1) / 2, convCfg: convCfg, normCfg: normCfg, actCfg: relu));
        long upIn = a.Int("num_convs") > 0 ? outCh : inCh;
        var children = new List<KeyValuePair<string, nn.Module>> { new("convs", new Modules.MMEngineModuleList(convs)) };
        long scale = up?.Int("scale_factor", 2) ?? 2;
        // 'deconv' is MMCV's ConvTranspose2d wrapper (its class, not torch's, for layer matching).
        if (method == "deconv") children.Add(new("upsample", MMCVWrapper.ConvTranspose2d(upIn, outCh, scale, scale)));
        else if (method is not null) children.Add(new("upsample", nn.Upsample(scale_factor: new double[] { scale, scale },
            mode: method == "nearest" ? UpsampleMode.Nearest : UpsampleMode.Bilinear, align_corners: method == "nearest" ? null : false)));
        long logitsIn = method == "deconv" ? outCh : upIn;
        children.Add(new("conv_logits", MMCVLayers.Conv(SubConfig.Of(a.Raw("predictor_cfg"), a.Path.Key("predictor_cfg")), logitsIn,
            a.Bool("class_agnostic") ? 1 : a.Int("num_classes"), 1)));
        children.Add(new("relu", nn.ReLU(true)));
        var kept = new ConfigMap();
        foreach (var key in new[] { "roi_feat_size", "upsample_cfg", "loss_mask" }) kept.Set(key, a.Raw(key));
        return new FCNMaskHead(children, kept);
    }

    /// <inheritdoc />
    public override void InitWeights(InitContext context)
    {
        context.InitializeDefault(this);
        using var _ = no_grad();
        foreach (var (name, m) in named_children())
        {
            if (name is not ("upsample" or "conv_logits")) continue;
            var (w, b) = ModuleParameters.WeightAndBias(m);
            if (w is null || b is null) continue;
            var (_, fanOut) = InitMath.Fans(w.shape)!.Value;
            w.normal_(0, InitMath.Gain("relu", 0) / Math.Sqrt(fanOut), context.Generator);
            b.Fill(0);
        }
    }
}
