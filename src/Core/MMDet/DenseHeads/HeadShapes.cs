#nullable enable
using InitCfg.Core.Initializers;
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.MMDet.Bricks;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.DenseHeads;

/// <summary>
/// What decides a dense head's output channels, computed as MMDetection computes it: classes per prior from
/// <c>num_classes</c> and <c>loss_cls.use_sigmoid</c>, priors per location from <c>anchor_generator</c>, box
/// parameters from <c>bbox_coder</c>; and the argument lists the heads share.
/// </summary>
public static class HeadShapes
{
    /// <summary>Arguments every dense head takes (kept unless a shape needs them).</summary>
    public static IEnumerable<S> Common(long? numClasses, object? lossCls, object? anchorGenerator, string bboxCoder) => new S[]
    {
        numClasses is null ? new("num_classes", K.Int, null, "Number of object classes.", Required: true) : new("num_classes", K.Int, numClasses, "Number of object classes."),
        new("in_channels", K.Int, null, "Input channels.", Required: true),
        new("feat_channels", K.Int, 256L, "Channels of the hidden convs."),
        new("anchor_generator", K.Ignored, anchorGenerator, "Prior generator: its scales and ratios decide the priors per location.", Nullable: true),
        new("bbox_coder", K.Ignored, SubConfig.Dict(("type", bboxCoder)), "Box coder (kept; encode_size decides the box channels)."),
        new("reg_decoded_bbox", K.Bool, false, "Kept."),
        new("loss_cls", K.Ignored, lossCls, "Classification loss: use_sigmoid decides the class channels."),
        new("loss_bbox", K.Ignored, null, "Kept.", Nullable: true),
        new("train_cfg", K.Ignored, null, "Kept.", Nullable: true),
        new("test_cfg", K.Ignored, null, "Kept.", Nullable: true),
    };

    /// <summary>Class channels per prior: num_classes with a sigmoid classifier, num_classes + 1 with softmax.</summary>
    public static long ClsOutChannels(ModuleArguments a)
    {
        var loss = SubConfig.Of(a.Raw("loss_cls"), a.Path.Key("loss_cls"));
        long n = a.Int("num_classes");
        long c = loss is not null && loss.Bool("use_sigmoid", false) ? n : n + 1;
        if (c <= 0) throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("num_classes").ToString(), $"num_classes={n} is too small.");
        return c;
    }

    /// <summary>Priors per location of an <c>AnchorGenerator</c>: len(scales) * len(ratios).</summary>
    public static long NumBasePriors(ModuleArguments a)
    {
        var g = SubConfig.Of(a.Raw("anchor_generator"), a.Path.Key("anchor_generator"))
            ?? throw new InitCfgException(ErrorIds.MissingArgument, a.Path.Key("anchor_generator").ToString(), "an anchor head needs an anchor_generator.");
        if (g.Type is not ("AnchorGenerator" or "LegacyAnchorGenerator"))
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, g.Path.Key(ConfigKeys.Type).ToString(),
                $"anchor_generator type '{g.Type}' is not supported; supported: AnchorGenerator, LegacyAnchorGenerator.");
        long ratios = g.Floats("ratios", Array.Empty<double>()).Length;
        long scales = g.Has("scales") ? g.Floats("scales", Array.Empty<double>()).Length
            : g.Has("octave_base_scale") ? g.Int("scales_per_octave", 0)
            : throw new InitCfgException(ErrorIds.MissingArgument, g.Path.ToString(), "anchor_generator needs scales, or octave_base_scale and scales_per_octave.");
        if (g.Has("base_sizes") && g.Has("strides") && g.Floats("base_sizes", Array.Empty<double>()).Length != g.Floats("strides", Array.Empty<double>()).Length)
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, g.Path.Key("base_sizes").ToString(), "base_sizes needs one entry per stride.");
        return ratios * scales;
    }

    /// <summary>Strides of the prior generator (one Scale per level in FCOS/ATSS).</summary>
    public static int NumLevels(ModuleArguments a, string key) => a.Raw(key) switch
    {
        ConfigMap m => new SubConfig(m, a.Path.Key(key)).Floats("strides", Array.Empty<double>()).Length,
        IReadOnlyList<object?> l => l.Count,
        var v => throw new InitCfgException(ErrorIds.InvalidArgumentType, a.Path.Key(key).ToString(), $"{key} must give strides, but got {PyRepr.TypeAndValue(v)}."),
    };

    /// <summary>Box channels per prior (<c>bbox_coder.encode_size</c>, 4 for MMDetection's coders).</summary>
    public static long EncodeSize(ModuleArguments a) =>
        SubConfig.Of(a.Raw("bbox_coder"), a.Path.Key("bbox_coder"))?.Int("encode_size", 4) ?? 4;

    /// <summary>The head's config parts that create no parameters, kept on the module.</summary>
    public static ConfigMap Kept(ModuleArguments a, params string[] keys)
    {
        var m = new ConfigMap();
        foreach (var k in keys) m.Set(k, a.Raw(k));
        return m;
    }

    /// <summary>A stack of 3x3 ConvModules (conv_cfg, norm_cfg from the head).</summary>
    public static ConvModule StackConv(ModuleArguments a, int i, bool? bias = null)
    {
        long ch = i == 0 ? a.Int("in_channels") : a.Int("feat_channels");
        return new ConvModule(ch, a.Int("feat_channels"), 3, 1, 1, bias: bias,
            convCfg: SubConfig.Of(a.Raw("conv_cfg"), a.Path.Key("conv_cfg")), normCfg: SubConfig.Of(a.Raw("norm_cfg"), a.Path.Key("norm_cfg")),
            actCfg: new SubConfig(SubConfig.Dict(("type", "ReLU")), a.Path.Key("act_cfg")));
    }

    /// <summary>MMDetection's usual head init_cfg: Normal(std=0.01) on Conv2d, the classifier with bias_prob 0.01.</summary>
    public static ConfigMap NormalWithPrior(string? classifier)
    {
        var cfg = SubConfig.Dict(("type", "Normal"), ("layer", "Conv2d"), ("std", 0.01));
        if (classifier is not null)
            cfg.Set("override", SubConfig.Dict(("type", "Normal"), ("name", classifier), ("std", 0.01), ("bias_prob", 0.01)));
        return cfg;
    }

}
