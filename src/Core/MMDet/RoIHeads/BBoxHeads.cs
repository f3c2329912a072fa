#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.MMDet.Bricks;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.RoIHeads;

/// <summary>
/// MMDetection's box heads: <c>BBoxHead</c> (<c>fc_cls</c>, <c>fc_reg</c>) and <c>ConvFCBBoxHead</c> with its presets
/// <c>Shared2FCBBoxHead</c> and <c>Shared4Conv1FCBBoxHead</c>. As in MMDetection, a ConvFC head first builds BBoxHead's
/// <c>fc_cls</c>/<c>fc_reg</c> on the flattened RoI feature and then replaces them (same place in the state dict), so
/// a seeded build consumes the same random numbers. Default init_cfg: Normal 0.01 on fc_cls, 0.001 on fc_reg, Xavier
/// (uniform) on the shared/cls/reg fcs.
/// </summary>
public static class BBoxHeads
{
    private static IEnumerable<S> BaseArgs() => new S[]
    {
        new("with_avg_pool", K.Bool, false, "Average-pool the RoI feature first."),
        new("with_cls", K.Bool, true, "Has a classifier."),
        new("with_reg", K.Bool, true, "Has a box regressor."),
        new("roi_feat_size", K.Int, 7L, "RoI feature size."),
        new("in_channels", K.Int, 256L, "Input channels."),
        new("num_classes", K.Int, 80L, "Number of classes (the classifier adds background)."),
        new("bbox_coder", K.Ignored, SubConfig.Dict(("type", "DeltaXYWHBBoxCoder")), "Box coder (kept; encode_size decides the regressor width)."),
        new("predict_box_type", K.Text, "hbox", "Kept."),
        new("reg_class_agnostic", K.Bool, false, "One box per RoI instead of one per class."),
        new("reg_decoded_bbox", K.Bool, false, "Kept."),
        new("reg_predictor_cfg", K.Ignored, SubConfig.Dict(("type", "Linear")), "Regressor layer (Linear)."),
        new("cls_predictor_cfg", K.Ignored, SubConfig.Dict(("type", "Linear")), "Classifier layer (Linear)."),
        new("loss_cls", K.Ignored, null, "Kept.", Nullable: true),
        new("loss_bbox", K.Ignored, null, "Kept.", Nullable: true),
    };

    /// <summary>BBoxHead's arguments.</summary>
    public static readonly S[] BBoxHeadArguments = BaseArgs().ToArray();

    /// <summary>ConvFCBBoxHead's arguments (the presets fix the six counts).</summary>
    public static S[] ConvFCArguments(bool preset) => BaseArgs().Concat(preset ? Array.Empty<S>() : new S[]
    {
        new("num_shared_convs", K.Int, 0L), new("num_shared_fcs", K.Int, 0L), new("num_cls_convs", K.Int, 0L),
        new("num_cls_fcs", K.Int, 0L), new("num_reg_convs", K.Int, 0L), new("num_reg_fcs", K.Int, 0L),
    }).Concat(new S[]
    {
        new("conv_out_channels", K.Int, 256L, "Channels of the convs."),
        new("fc_out_channels", K.Int, 1024L, "Width of the fcs."),
        new("conv_cfg", K.Ignored, null, "Conv config of the convs.", Nullable: true),
        new("norm_cfg", K.Ignored, null, "Norm config of the convs.", Nullable: true),
    }).ToArray();

    /// <summary>Builds a BBoxHead.</summary>
    public static nn.Module BuildBBoxHead(ModuleArguments a)
    {
        var children = BaseChildren(a, out long _);
        return Finish("BBoxHead", a, children, xavierFcs: false);
    }

    /// <summary>Builds a ConvFCBBoxHead; <paramref name="counts"/> fixes the six counts for a preset.</summary>
    public static nn.Module BuildConvFC(ModuleArguments a, string className, long[]? counts)
    {
        long[] n = counts ?? new[] { "num_shared_convs", "num_shared_fcs", "num_cls_convs", "num_cls_fcs", "num_reg_convs", "num_reg_fcs" }.Select(a.Int).ToArray();
        long sharedConvs = n[0], sharedFcs = n[1], clsConvs = n[2], clsFcs = n[3], regConvs = n[4], regFcs = n[5];
        if (n.Sum() <= 0) throw a.Invalid("num_shared_fcs", "a ConvFCBBoxHead needs at least one conv or fc.");
        if ((clsConvs > 0 || regConvs > 0) && sharedFcs != 0) throw a.Invalid("num_shared_fcs", "num_shared_fcs must be 0 with cls or reg convs.");
        bool withAvgPool = a.Bool("with_avg_pool");
        long area = a.Int("roi_feat_size") * a.Int("roi_feat_size");

        var children = BaseChildren(a, out long _);
        // The first fc_cls/fc_reg only consume their construction draws: ConvFC replaces them below.
        var firstPredictors = children.Where(c => c.Key is "fc_cls" or "fc_reg").Select(c => c.Value).ToList();

        (nn.Module Convs, nn.Module Fcs, long Last) Branch(long convs, long fcs, long inCh, bool shared)
        {
            long last = inCh;
            var convList = new List<nn.Module>();
            for (int i = 0; i < convs; i++)
                convList.Add(new ConvModule(i == 0 ? last : a.Int("conv_out_channels"), a.Int("conv_out_channels"), 3, padding: 1,
                    convCfg: SubConfig.Of(a.Raw("conv_cfg"), a.Path.Key("conv_cfg")), normCfg: SubConfig.Of(a.Raw("norm_cfg"), a.Path.Key("norm_cfg")),
                    actCfg: new SubConfig(SubConfig.Dict(("type", "ReLU")), a.Path)));
            if (convs > 0) last = a.Int("conv_out_channels");
            var fcList = new List<nn.Module>();
            if (fcs > 0)
            {
                if ((shared || sharedFcs == 0) && !withAvgPool) last *= area;
                for (int i = 0; i < fcs; i++) fcList.Add(nn.Linear(i == 0 ? last : a.Int("fc_out_channels"), a.Int("fc_out_channels")));
                last = a.Int("fc_out_channels");
            }
            return (nn.ModuleList(convList.ToArray()), nn.ModuleList(fcList.ToArray()), last);
        }

        var shared = Branch(sharedConvs, sharedFcs, a.Int("in_channels"), true);
        var cls = Branch(clsConvs, clsFcs, shared.Last, false);
        var reg = Branch(regConvs, regFcs, shared.Last, false);
        long clsLast = cls.Last, regLast = reg.Last;
        if (sharedFcs == 0 && !withAvgPool)
        {
            if (clsFcs == 0) clsLast *= area;
            if (regFcs == 0) regLast *= area;
        }
        children.AddRange(new KeyValuePair<string, nn.Module>[]
        {
            new("shared_convs", shared.Convs), new("shared_fcs", shared.Fcs), new("cls_convs", cls.Convs), new("cls_fcs", cls.Fcs),
            new("reg_convs", reg.Convs), new("reg_fcs", reg.Fcs), new("relu", nn.ReLU(true)),
        });
        for (int i = 0; i < children.Count; i++)
        {
            if (children[i].Key == "fc_cls") children[i] = new("fc_cls", Predictor(a, "cls_predictor_cfg", clsLast, a.Int("num_classes") + 1));
            else if (children[i].Key == "fc_reg") children[i] = new("fc_reg", Predictor(a, "reg_predictor_cfg", regLast, RegOut(a)));
        }
        foreach (var m in firstPredictors) m.Dispose();
        return Finish(className, a, children, xavierFcs: true);
    }

    // BBoxHead.__init__: loss modules (kept), avg_pool, fc_cls, fc_reg.
    private static List<KeyValuePair<string, nn.Module>> BaseChildren(ModuleArguments a, out long inCh)
    {
        if (!a.Bool("with_cls") && !a.Bool("with_reg")) throw a.Invalid("with_cls", "a box head needs with_cls or with_reg.");
        long size = a.Int("roi_feat_size");
        inCh = a.Int("in_channels");
        var children = new List<KeyValuePair<string, nn.Module>>();
        if (a.Bool("with_avg_pool")) children.Add(new("avg_pool", nn.AvgPool2d(size)));
        else inCh *= size * size;
        if (a.Bool("with_cls")) children.Add(new("fc_cls", Predictor(a, "cls_predictor_cfg", inCh, a.Int("num_classes") + 1)));
        if (a.Bool("with_reg")) children.Add(new("fc_reg", Predictor(a, "reg_predictor_cfg", inCh, RegOut(a))));
        return children;
    }

    private static long RegOut(ModuleArguments a)
    {
        long box = SubConfig.Of(a.Raw("bbox_coder"), a.Path.Key("bbox_coder"))?.Int("encode_size", 4) ?? 4;
        return a.Bool("reg_class_agnostic") ? box : box * a.Int("num_classes");
    }

    private static nn.Module Predictor(ModuleArguments a, string key, long inFeatures, long outFeatures)
    {
        var cfg = SubConfig.Of(a.Raw(key), a.Path.Key(key));
        if (cfg is not null && cfg.Type != "Linear")
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, cfg.Path.Key(ConfigKeys.Type).ToString(), $"{key} type '{cfg.Type}' is not supported; supported: Linear.");
        return nn.Linear(inFeatures, outFeatures);
    }

    private static nn.Module Finish(string className, ModuleArguments a, List<KeyValuePair<string, nn.Module>> children, bool xavierFcs)
    {
        var kept = new ConfigMap();
        foreach (var k in new[] { "bbox_coder", "predict_box_type", "reg_decoded_bbox", "loss_cls", "loss_bbox" }) kept.Set(k, a.Raw(k));
        var head = new MMDetModule(className, children, kept);
        if (!a.InitCfgGiven)
        {
            var cfg = new List<object?>();
            if (a.Bool("with_cls")) cfg.Add(SubConfig.Dict(("type", "Normal"), ("std", 0.01), ("override", SubConfig.Dict(("name", "fc_cls")))));
            if (a.Bool("with_reg")) cfg.Add(SubConfig.Dict(("type", "Normal"), ("std", 0.001), ("override", SubConfig.Dict(("name", "fc_reg")))));
            if (xavierFcs)
                cfg.Add(SubConfig.Dict(("type", "Xavier"), ("distribution", "uniform"), ("override", new List<object?>
                {
                    SubConfig.Dict(("name", "shared_fcs")), SubConfig.Dict(("name", "cls_fcs")), SubConfig.Dict(("name", "reg_fcs")),
                })));
            head.InitCfg = cfg;
        }
        return head;
    }

}
