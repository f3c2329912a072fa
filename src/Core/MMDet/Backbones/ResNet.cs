#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.MMDet.Bricks;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.Backbones;

/// <summary>
/// MMDetection's <c>ResNet</c> and <c>ResNetV1d</c> backbones (mmdet/models/backbones/resnet.py): stem, <c>ResLayer</c>s
/// of <c>BasicBlock</c>/<c>Bottleneck</c>, norm layers named as MMCV names them (<c>bn1</c>, <c>gn1</c>), layers built
/// in MMDetection's order (so seeded construction draws agree), frozen stages without gradients, and, without an
/// init_cfg, MMDetection's default one (Kaiming for convolutions, 1 for norms, the last norm of each block zeroed when
/// <c>zero_init_residual</c>).
/// </summary>
public static class ResNet
{
    private static readonly Dictionary<long, (bool Bottleneck, int[] Blocks)> Arch = new()
    {
        [18] = (false, new[] { 2, 2, 2, 2 }),
        [34] = (false, new[] { 3, 4, 6, 3 }),
        [50] = (true, new[] { 3, 4, 6, 3 }),
        [101] = (true, new[] { 3, 4, 23, 3 }),
        [152] = (true, new[] { 3, 8, 36, 3 }),
    };

    /// <summary>The constructor arguments, MMDetection's names and defaults.</summary>
    public static S[] Arguments(bool v1d) => new S[]
    {
        new("depth", K.Int, null, "18, 34, 50, 101 or 152.", Required: true),
        new("in_channels", K.Int, 3L, "Input channels."),
        new("stem_channels", K.Int, null, "Stem channels (default: base_channels).", Nullable: true),
        new("base_channels", K.Int, 64L, "Channels of stage 1; stage i has base_channels * 2^i."),
        new("num_stages", K.Int, 4L, "Number of stages (1-4)."),
        new("strides", K.IntList, new List<object?> { 1L, 2L, 2L, 2L }, "Stride of each stage."),
        new("dilations", K.IntList, new List<object?> { 1L, 1L, 1L, 1L }, "Dilation of each stage."),
        new("out_indices", K.IntList, new List<object?> { 0L, 1L, 2L, 3L }, "Stages whose output the forward returns (kept)."),
        new("style", K.Text, "pytorch", "pytorch (stride on the 3x3 conv) or caffe (on the first 1x1)."),
        new("deep_stem", K.Bool, v1d, "Three 3x3 convs (stem) instead of one 7x7 conv."),
        new("avg_down", K.Bool, v1d, "AvgPool before the 1x1 downsample conv."),
        new("frozen_stages", K.Int, -1L, "Stages (0 = stem) whose parameters get requires_grad = False."),
        new("conv_cfg", K.Ignored, null, "Conv layer config (None: Conv2d).", Nullable: true),
        new("norm_cfg", K.Ignored, SubConfig.Dict(("type", "BN"), ("requires_grad", true)), "Norm layer config: BN, SyncBN (built as BatchNorm2d), GN, ..."),
        new("norm_eval", K.Bool, true, "Norm layers stay in eval mode while training (kept)."),
        new("dcn", K.Ignored, null, "Deformable conv of the Bottlenecks' conv2: dict(type='DCN' or 'DCNv2', deform_groups=1, fallback_on_stride=False).", Nullable: true),
        new("stage_with_dcn", K.Ignored, new List<object?> { false, false, false, false }, "Stages whose Bottlenecks use dcn (one bool per stage)."),
        new("plugins", K.Ignored, null, "Block plugins; not supported in this build (must be None).", Nullable: true),
        new("with_cp", K.Bool, false, "Gradient checkpointing (kept)."),
        new("zero_init_residual", K.Bool, true, "Zero the last norm of each block in the default init_cfg."),
        new("pretrained", K.Ignored, null, "Deprecated: use init_cfg=dict(type='Pretrained', checkpoint=...).", Nullable: true),
    };

    /// <summary>ResNeXt's arguments: ResNet's plus <c>groups</c> and <c>base_width</c>.</summary>
    public static S[] ResNeXtArguments() => Arguments(false).Concat(new S[]
    {
        new("groups", K.Int, 1L, "Groups of the 3x3 convs."),
        new("base_width", K.Int, 4L, "Width per group at base_channels."),
    }).ToArray();

    /// <summary>Builds the backbone; <paramref name="className"/> is ResNet, ResNetV1d or ResNeXt.</summary>
    public static nn.Module Build(ModuleArguments a, string className)
    {
        long depth = a.Int("depth");
        if (!Arch.TryGetValue(depth, out var arch) || className == "ResNeXt" && !arch.Bottleneck)
            throw a.Invalid("depth", $"depth must be one of {(className == "ResNeXt" ? "50, 101, 152" : "18, 34, 50, 101, 152")}, but got {depth}.");
        int stages = (int)a.Int("num_stages");
        if (stages is < 1 or > 4) throw a.Invalid("num_stages", $"num_stages must be 1 to 4, but got {stages}.");
        var strides = a.Ints("strides");
        var dilations = a.Ints("dilations");
        // MMDetection asserts one entry per stage; fewer stages than the default four use the first entries.
        if (strides.Length < stages || dilations.Length < stages)
            throw a.Invalid("strides", $"strides and dilations need {stages} entries (one per stage), but got {strides.Length} and {dilations.Length}.");
        var (style, convCfg, normCfg) = Common(a, className);
        var dcn = ResNetDcn.Of(a, stages, arch.Bottleneck);
        bool deepStem = a.Bool("deep_stem"), avgDown = a.Bool("avg_down");
        long baseCh = a.Int("base_channels");
        long stemCh = a.IntOrNull("stem_channels") ?? baseCh;
        int expansion = arch.Bottleneck ? 4 : 1;
        string lastNorm = MMCVLayers.NormName(normCfg, arch.Bottleneck ? "3" : "2");
        var blockInit = !a.InitCfgGiven && a.Bool("zero_init_residual")
            ? SubConfig.Dict(("type", "Constant"), ("val", 0L), ("override", SubConfig.Dict(("name", lastNorm))))
            : null;

        var children = new List<KeyValuePair<string, nn.Module>>();
        var frozen = new List<nn.Module>();
        if (deepStem)
        {
            var stem = nn.Sequential(
                MMCVLayers.Conv(convCfg, a.Int("in_channels"), stemCh / 2, 3, 2, 1, bias: false), MMCVLayers.Norm(normCfg, stemCh / 2).Layer, nn.ReLU(true),
                MMCVLayers.Conv(convCfg, stemCh / 2, stemCh / 2, 3, 1, 1, bias: false), MMCVLayers.Norm(normCfg, stemCh / 2).Layer, nn.ReLU(true),
                MMCVLayers.Conv(convCfg, stemCh / 2, stemCh, 3, 1, 1, bias: false), MMCVLayers.Norm(normCfg, stemCh).Layer, nn.ReLU(true));
            children.Add(new("stem", stem));
            frozen.Add(stem);
        }
        else
        {
            var conv1 = MMCVLayers.Conv(convCfg, a.Int("in_channels"), stemCh, 7, 2, 3, bias: false);
            var (normName, norm1) = MMCVLayers.Norm(normCfg, stemCh, "1");
            children.Add(new("conv1", conv1));
            children.Add(new(normName, norm1));
            children.Add(new("relu", nn.ReLU(true)));
            frozen.Add(conv1);
            frozen.Add(norm1);
        }
        children.Add(new("maxpool", nn.MaxPool2d(3, 2, 1)));

        long inplanes = stemCh;
        long frozenStages = a.Int("frozen_stages");
        for (int i = 0; i < stages; i++)
        {
            long planes = baseCh << i, stride = strides[i], dilation = dilations[i];
            var down = Downsample(inplanes, planes * expansion, stride, avgDown, convCfg, normCfg);
            var blocks = new List<KeyValuePair<string, nn.Module>>();
            for (int b = 0; b < arch.Blocks[i]; b++)
            {
                var block = arch.Bottleneck
                    ? Bottleneck(inplanes, planes, b == 0 ? stride : 1, dilation, style, b == 0 ? down : null, convCfg, normCfg,
                        className == "ResNeXt" ? (a.Int("groups"), a.Int("base_width"), baseCh) : null, 4, dcn?.ForStage(i))
                    : BasicBlock(inplanes, planes, b == 0 ? stride : 1, dilation, b == 0 ? down : null, convCfg, normCfg);
                if (blockInit is not null) block.InitCfg = blockInit;
                blocks.Add(new(b.ToString(), block));
                inplanes = planes * expansion;
            }
            var layer = new MMDetModule("ResLayer", blocks, null, new[] { "Sequential" });
            children.Add(new($"layer{i + 1}", layer));
            if (i < frozenStages) frozen.Add(layer);
        }
        return Finish(a, className, children, frozen, frozenStages, normCfg);
    }

    /// <summary>The arguments every ResNet-family backbone checks alike: style, plugins, pretrained, conv_cfg, norm_cfg.</summary>
    internal static (string Style, SubConfig? ConvCfg, SubConfig NormCfg) Common(ModuleArguments a, string className)
    {
        var style = a.Text("style");
        if (style is not ("pytorch" or "caffe")) throw a.Invalid("style", $"style must be 'pytorch' or 'caffe', but got '{style}'.");
        if (a.Raw("plugins") is not null) throw a.Invalid("plugins", "plugins is not supported in this build; use None.");
        if (a.Raw("pretrained") is not null) throw a.Invalid("pretrained", "pretrained is deprecated in MMDetection: use init_cfg=dict(type='Pretrained', checkpoint=...).");
        var convCfg = SubConfig.Of(a.Raw("conv_cfg"), a.Path.Key("conv_cfg"));
        var normCfg = SubConfig.Of(a.Raw("norm_cfg"), a.Path.Key("norm_cfg"))
            ?? throw a.Invalid("norm_cfg", $"{className} needs a norm_cfg.");
        return (style, convCfg, normCfg);
    }

    /// <summary>
    /// The backbone module: stages up to <paramref name="frozenStages"/> frozen (MMDetection's <c>_freeze_stages</c>),
    /// the settings kept, and without an init_cfg MMDetection's default one.
    /// </summary>
    internal static MMDetModule Finish(ModuleArguments a, string className, List<KeyValuePair<string, nn.Module>> children,
        List<nn.Module> frozen, long frozenStages, SubConfig normCfg)
    {
        if (frozenStages < 0) frozen.Clear();
        foreach (var m in frozen)
            foreach (var p in m.parameters()) p.requires_grad = false;

        var settings = new ConfigMap();
        foreach (var key in new[] { "out_indices", "norm_eval", "with_cp", "stage_with_dcn" }) settings.Set(key, a.Raw(key));
        var resnet = new MMDetModule(className, children, settings);
        if (!a.InitCfgGiven)
        {
            // MMDetection lists GroupNorm beside _BatchNorm; a layer name that matches nothing would warn on every call,
            // so it is listed only when the backbone has group norms.
            var normLayers = normCfg.Type is "GN" or "GroupNorm" ? (object)new List<object?> { "_BatchNorm", "GroupNorm" } : "_BatchNorm";
            resnet.InitCfg = new List<object?>
            {
                SubConfig.Dict(("type", "Kaiming"), ("layer", "Conv2d")),
                SubConfig.Dict(("type", "Constant"), ("val", 1L), ("layer", normLayers)),
            };
        }
        return resnet;
    }

    /// <summary>ResLayer's downsample (avg-pool first when <paramref name="avgDown"/>), or null when the block needs none.</summary>
    internal static nn.Module? Downsample(long inplanes, long outChannels, long stride, bool avgDown, SubConfig? convCfg, SubConfig normCfg)
    {
        if (stride == 1 && inplanes == outChannels) return null;
        var parts = new List<nn.Module<Tensor, Tensor>>();
        if (avgDown) parts.Add(nn.AvgPool2d(stride, stride, ceil_mode: true, count_include_pad: false));
        parts.Add(MMCVLayers.Conv(convCfg, inplanes, outChannels, 1, avgDown ? 1 : stride, bias: false));
        parts.Add(MMCVLayers.Norm(normCfg, outChannels).Layer);
        return nn.Sequential(parts.Select((m, j) => (j.ToString(), m)).ToArray());
    }

    /// <summary>
    /// MMDetection's <c>Bottleneck</c> (ResNet's, or ResNeXt's when <paramref name="resnext"/> is given: ResNet's is built
    /// first, so its construction draws happen, then the convs are replaced). <paramref name="expansion"/> is 4, or 1
    /// for RegNet; <paramref name="dcn"/> makes conv2 a deformable conv.
    /// </summary>
    internal static MMDetModule Bottleneck(long inplanes, long planes, long stride, long dilation, string style, nn.Module? down,
        SubConfig? convCfg, SubConfig normCfg, (long Groups, long BaseWidth, long BaseChannels)? resnext, long expansion, ResNetDcn? dcn)
    {
        long s1 = style == "caffe" ? stride : 1, s2 = style == "caffe" ? 1 : stride;
        // MMDetection pops fallback_on_stride from the one dcn dict every block shares: only the first block sees it.
        bool fallback = dcn?.PopFallback() ?? false;
        var convs = Convs(planes, 1, dcn is not null && !fallback);
        if (resnext is var (groups, baseWidth, baseChannels))
        {
            foreach (var m in convs) m.Dispose();
            // ResNeXt's own pop finds the key gone: its conv2 is deformable whenever the stage has dcn.
            convs = Convs(groups == 1 ? planes : (long)Math.Floor(planes * ((double)baseWidth / baseChannels)) * groups, groups,
                dcn is not null && !(dcn.PopFallback()));
        }
        long width = convs[1].parameters().First().shape[0];
        var (n1, norm1) = MMCVLayers.Norm(normCfg, width, "1");
        var (n2, norm2) = MMCVLayers.Norm(normCfg, width, "2");
        var (n3, norm3) = MMCVLayers.Norm(normCfg, planes * expansion, "3");
        var c = new List<KeyValuePair<string, nn.Module>>
        {
            new("conv1", convs[0]),
            new(n1, norm1),
            new("conv2", convs[1]),
            new(n2, norm2),
            new("conv3", convs[2]),
            new(n3, norm3),
            new("relu", nn.ReLU(true)),
        };

        nn.Module[] Convs(long w, long groups, bool deformable) => new[]
        {
            MMCVLayers.Conv(convCfg, inplanes, w, 1, s1, bias: false),
            MMCVLayers.Conv(deformable ? dcn!.Config : convCfg, w, w, 3, s2, dilation, dilation, groups, bias: false),
            MMCVLayers.Conv(convCfg, w, planes * expansion, 1, bias: false),
        };
        if (down is not null) c.Add(new("downsample", down));
        return new MMDetModule("Bottleneck", c);
    }

    private static MMDetModule BasicBlock(long inplanes, long planes, long stride, long dilation, nn.Module? down,
        SubConfig? convCfg, SubConfig normCfg)
    {
        var (n1, norm1) = MMCVLayers.Norm(normCfg, planes, "1");
        var (n2, norm2) = MMCVLayers.Norm(normCfg, planes, "2");
        var c = new List<KeyValuePair<string, nn.Module>>
        {
            new("conv1", MMCVLayers.Conv(convCfg, inplanes, planes, 3, stride, dilation, dilation, bias: false)),
            new(n1, norm1),
            new("conv2", MMCVLayers.Conv(convCfg, planes, planes, 3, 1, 1, bias: false)),
            new(n2, norm2),
            new("relu", nn.ReLU(true)),
        };
        if (down is not null) c.Add(new("downsample", down));
        return new MMDetModule("BasicBlock", c);
    }

}
