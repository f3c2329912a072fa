#nullable enable
using InitCfg.Core.Configs;
using InitCfg.Core.Initializers;
using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.DenseHeads;

/// <summary>
/// MMDetection's <c>FCOSHead</c> (an <c>AnchorFreeHead</c>): the cls stack, then the reg stack (GN by default),
/// <c>conv_cls</c>, <c>conv_reg</c>, <c>conv_centerness</c> and one <c>Scale</c> per stride; default init_cfg
/// Normal(std=0.01) on Conv2d with the 0.01 prior on <c>conv_cls</c>.
/// </summary>
public static class FCOSHead
{
    /// <summary>The constructor arguments, MMDetection's names and defaults.</summary>
    public static readonly S[] Arguments = HeadShapes.Common(null,
            SubConfig.Dict(("type", "FocalLoss"), ("use_sigmoid", true), ("gamma", 2.0), ("alpha", 0.25), ("loss_weight", 1.0)), null, "DistancePointBBoxCoder")
        .Where(s => s.Name != "anchor_generator")
        .Concat(new S[]
        {
            new("stacked_convs", K.Int, 4L, "ConvModules in each of the cls and reg stacks."),
            new("strides", K.IntList, new List<object?> { 4L, 8L, 16L, 32L, 64L }, "Stride of each level (one Scale each)."),
            new("dcn_on_last_conv", K.Bool, false, "DCNv2 as the last stacked conv; not supported in this build."),
            new("conv_bias", K.Ignored, "auto", "Bias of the stacked convs: 'auto' (none with a norm), True or False."),
            new("conv_cfg", K.Ignored, null, "Conv layer config of the stacked convs.", Nullable: true),
            new("norm_cfg", K.Ignored, SubConfig.Dict(("type", "GN"), ("num_groups", 32L), ("requires_grad", true)), "Norm config of the stacked convs."),
            new("regress_ranges", K.Ignored, null, "Kept.", Nullable: true),
            new("center_sampling", K.Bool, false, "Kept."),
            new("center_sample_radius", K.Number, 1.5, "Kept."),
            new("norm_on_bbox", K.Bool, false, "Kept."),
            new("centerness_on_reg", K.Bool, false, "Kept."),
            new("loss_centerness", K.Ignored, null, "Kept.", Nullable: true),
        }).ToArray();

    /// <summary>Builds the head.</summary>
    public static nn.Module Build(ModuleArguments a)
    {
        if (a.Bool("dcn_on_last_conv"))
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("dcn_on_last_conv").ToString(), "dcn_on_last_conv (DCNv2) is not supported in this build.");
        bool? bias = a.Raw("conv_bias") switch
        {
            "auto" => null,
            bool b => b,
            var v => throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("conv_bias").ToString(), $"conv_bias must be 'auto' or a bool, but got {PyRepr.TypeAndValue(v)}."),
        };
        long cls = HeadShapes.ClsOutChannels(a), feat = a.Int("feat_channels");
        var (clsConvs, regConvs) = AnchorHeads.Stacks(a, interleaved: false, bias);
        var children = new List<KeyValuePair<string, nn.Module>>
        {
            new("cls_convs", nn.ModuleList(clsConvs)),
            new("reg_convs", nn.ModuleList(regConvs)),
            new("conv_cls", nn.Conv2d(feat, cls, 3, padding: 1)),
            new("conv_reg", nn.Conv2d(feat, 4, 3, padding: 1)),
            new("conv_centerness", nn.Conv2d(feat, 1, 3, padding: 1)),
            new("scales", nn.ModuleList(a.Ints("strides").Select(_ => (nn.Module)new Bricks.Scale(1.0)).ToArray())),
        };
        return AnchorHeads.Head("FCOSHead", a, children, HeadShapes.NormalWithPrior("conv_cls"),
            "strides", "regress_ranges", "center_sampling", "center_sample_radius", "norm_on_bbox", "centerness_on_reg", "loss_centerness");
    }
}
