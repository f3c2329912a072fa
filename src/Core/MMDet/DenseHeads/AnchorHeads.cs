#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.DenseHeads;

/// <summary>
/// MMDetection's anchor-based dense heads: <c>AnchorHead</c> (1x1 <c>conv_cls</c>/<c>conv_reg</c>), <c>RetinaHead</c>
/// (cls/reg ConvModule stacks built in turn, <c>retina_cls</c>/<c>retina_reg</c>), <c>RPNHead</c> (<c>rpn_conv</c>,
/// <c>rpn_cls</c>, <c>rpn_reg</c>) and <c>ATSSHead</c> (GN stacks, <c>atss_cls</c>/<c>atss_reg</c>/<c>atss_centerness</c>,
/// one <c>Scale</c> per level), with their default init_cfgs.
/// </summary>
public static class AnchorHeads
{
    private static readonly ConfigMap DefaultAnchors = SubConfig.Dict(("type", "AnchorGenerator"), ("scales", new List<object?> { 8L, 16L, 32L }),
        ("ratios", new List<object?> { 0.5, 1.0, 2.0 }), ("strides", new List<object?> { 4L, 8L, 16L, 32L, 64L }));

    private static readonly ConfigMap RetinaAnchors = SubConfig.Dict(("type", "AnchorGenerator"), ("octave_base_scale", 4L), ("scales_per_octave", 3L),
        ("ratios", new List<object?> { 0.5, 1.0, 2.0 }), ("strides", new List<object?> { 8L, 16L, 32L, 64L, 128L }));

    private static readonly ConfigMap SigmoidCe = SubConfig.Dict(("type", "CrossEntropyLoss"), ("use_sigmoid", true), ("loss_weight", 1.0));

    private static S[] Args(long? numClasses, ConfigMap anchors, params S[] own) =>
        HeadShapes.Common(numClasses, SigmoidCe, anchors, "DeltaXYWHBBoxCoder").Concat(own).ToArray();

    private static readonly S ConvCfg = new("conv_cfg", K.Ignored, null, "Conv layer config of the stacked convs.", Nullable: true);

    /// <summary>AnchorHead's arguments.</summary>
    public static readonly S[] AnchorHeadArguments = Args(null, DefaultAnchors);

    /// <summary>RetinaHead's arguments.</summary>
    public static readonly S[] RetinaHeadArguments = Args(null, RetinaAnchors,
        new S("stacked_convs", K.Int, 4L, "ConvModules in each of the cls and reg stacks."), ConvCfg,
        new S("norm_cfg", K.Ignored, null, "Norm config of the stacked convs.", Nullable: true));

    /// <summary>RPNHead's arguments.</summary>
    public static readonly S[] RPNHeadArguments = Args(1L, DefaultAnchors,
        new S("num_convs", K.Int, 1L, "Convs before the outputs (1: a plain Conv2d; more: ConvModules in an nn.Sequential)."));

    /// <summary>ATSSHead's arguments.</summary>
    public static readonly S[] ATSSHeadArguments = Args(null, DefaultAnchors,
        new S("pred_kernel_size", K.Int, 3L, "Kernel size of the output convs."),
        new S("stacked_convs", K.Int, 4L, "ConvModules in each of the cls and reg stacks."), ConvCfg,
        new S("norm_cfg", K.Ignored, SubConfig.Dict(("type", "GN"), ("num_groups", 32L), ("requires_grad", true)), "Norm config of the stacked convs."),
        new S("loss_centerness", K.Ignored, null, "Kept.", Nullable: true))
        .Select(s => s.Name == "reg_decoded_bbox" ? s with { Default = true } : s).ToArray();

    private static readonly string[] Kept = { "anchor_generator", "bbox_coder", "reg_decoded_bbox", "loss_cls", "loss_bbox", "train_cfg", "test_cfg" };

    /// <summary>Builds an AnchorHead.</summary>
    public static nn.Module BuildAnchorHead(ModuleArguments a)
    {
        long priors = HeadShapes.NumBasePriors(a), cls = HeadShapes.ClsOutChannels(a);
        var children = new List<KeyValuePair<string, nn.Module>>
        {
            new("conv_cls", nn.Conv2d(a.Int("in_channels"), priors * cls, 1)),
            new("conv_reg", nn.Conv2d(a.Int("in_channels"), priors * HeadShapes.EncodeSize(a), 1)),
        };
        return Head("AnchorHead", a, children, HeadShapes.NormalWithPrior(null));
    }

    /// <summary>Builds a RetinaHead.</summary>
    public static nn.Module BuildRetinaHead(ModuleArguments a)
    {
        long priors = HeadShapes.NumBasePriors(a), cls = HeadShapes.ClsOutChannels(a), feat = a.Int("feat_channels");
        var (clsConvs, regConvs) = Stacks(a, interleaved: true);
        var children = new List<KeyValuePair<string, nn.Module>>
        {
            new("relu", nn.ReLU(true)),
            new("cls_convs", nn.ModuleList(clsConvs)),
            new("reg_convs", nn.ModuleList(regConvs)),
            new("retina_cls", nn.Conv2d(feat, priors * cls, 3, padding: 1)),
            new("retina_reg", nn.Conv2d(feat, priors * HeadShapes.EncodeSize(a), 3, padding: 1)),
        };
        return Head("RetinaHead", a, children, HeadShapes.NormalWithPrior("retina_cls"));
    }

    /// <summary>Builds an RPNHead.</summary>
    public static nn.Module BuildRPNHead(ModuleArguments a)
    {
        long priors = HeadShapes.NumBasePriors(a), cls = HeadShapes.ClsOutChannels(a), feat = a.Int("feat_channels");
        long convs = a.Int("num_convs");
        nn.Module rpnConv;
        if (convs > 1)
        {
            var list = new List<nn.Module<Tensor, Tensor>>();
            for (int i = 0; i < convs; i++)
                list.Add(new Bricks.ConvModule(i == 0 ? a.Int("in_channels") : feat, feat, 3, padding: 1,
                    actCfg: new SubConfig(SubConfig.Dict(("type", "ReLU")), a.Path), inplace: false));
            rpnConv = nn.Sequential(list.Select((m, i) => (i.ToString(), m)).ToArray());
        }
        else rpnConv = nn.Conv2d(a.Int("in_channels"), feat, 3, padding: 1);
        var children = new List<KeyValuePair<string, nn.Module>>
        {
            new("rpn_conv", rpnConv),
            new("rpn_cls", nn.Conv2d(feat, priors * cls, 1)),
            new("rpn_reg", nn.Conv2d(feat, priors * HeadShapes.EncodeSize(a), 1)),
        };
        return Head("RPNHead", a, children, HeadShapes.NormalWithPrior(null));
    }

    /// <summary>Builds an ATSSHead.</summary>
    public static nn.Module BuildATSSHead(ModuleArguments a)
    {
        long priors = HeadShapes.NumBasePriors(a), cls = HeadShapes.ClsOutChannels(a), feat = a.Int("feat_channels");
        long k = a.Int("pred_kernel_size");
        var (clsConvs, regConvs) = Stacks(a, interleaved: true);
        var scales = Enumerable.Range(0, HeadShapes.NumLevels(a, "anchor_generator")).Select(_ => (nn.Module)new Bricks.Scale(1.0)).ToArray();
        var children = new List<KeyValuePair<string, nn.Module>>
        {
            new("relu", nn.ReLU(true)),
            new("cls_convs", nn.ModuleList(clsConvs)),
            new("reg_convs", nn.ModuleList(regConvs)),
            new("atss_cls", nn.Conv2d(feat, priors * cls, k, padding: k / 2)),
            new("atss_reg", nn.Conv2d(feat, priors * 4, k, padding: k / 2)),
            new("atss_centerness", nn.Conv2d(feat, priors, k, padding: k / 2)),
            new("scales", nn.ModuleList(scales)),
        };
        return Head("ATSSHead", a, children, HeadShapes.NormalWithPrior("atss_cls"), "loss_centerness");
    }

    // RetinaHead and ATSSHead append a cls conv then a reg conv per level; the draw order follows.
    internal static (nn.Module[] Cls, nn.Module[] Reg) Stacks(ModuleArguments a, bool interleaved, bool? bias = null)
    {
        int n = (int)a.Int("stacked_convs");
        if (n < 0) throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("stacked_convs").ToString(), "stacked_convs must be >= 0.");
        var cls = new nn.Module[n];
        var reg = new nn.Module[n];
        if (interleaved)
            for (int i = 0; i < n; i++) { cls[i] = HeadShapes.StackConv(a, i, bias); reg[i] = HeadShapes.StackConv(a, i, bias); }
        else
        {
            for (int i = 0; i < n; i++) cls[i] = HeadShapes.StackConv(a, i, bias);
            for (int i = 0; i < n; i++) reg[i] = HeadShapes.StackConv(a, i, bias);
        }
        return (cls, reg);
    }

    internal static DenseHead Head(string className, ModuleArguments a, List<KeyValuePair<string, nn.Module>> children, ConfigMap defaultInit,
        params string[] moreKept)
    {
        var head = new DenseHead(className, children, HeadShapes.Kept(a, Kept.Concat(moreKept).Where(a.Knows).ToArray()));
        if (!a.InitCfgGiven) head.InitCfg = defaultInit;
        return head;
    }
}
