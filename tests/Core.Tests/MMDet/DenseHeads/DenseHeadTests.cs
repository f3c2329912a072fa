using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.MMDet.DenseHeads;

public class DenseHeadTests
{
    private static nn.Module Build(params object?[] kv) => new ModelBuilder().Build(Cfg(kv));

    [Fact]
    public void RetinaHead_SoftmaxLoss_AddsTheBackgroundClass()
    {
        var m = Build("type", "RetinaHead", "num_classes", 3L, "in_channels", 8L, "feat_channels", 8L, "stacked_convs", 1L,
            "loss_cls", Cfg("type", "CrossEntropyLoss", "use_sigmoid", false));
        Assert.Equal(new long[] { 9 * 4, 8, 3, 3 }, Param(m, "retina_cls.weight").shape);
        Assert.Equal(new long[] { 9 * 4, 8, 3, 3 }, Param(m, "retina_reg.weight").shape);
    }

    [Fact]
    public void RetinaHead_ScalesAndRatios_DecideThePriors()
    {
        var m = Build("type", "RetinaHead", "num_classes", 3L, "in_channels", 8L, "feat_channels", 8L, "stacked_convs", 0L,
            "anchor_generator", Cfg("type", "AnchorGenerator", "scales", List(8L), "ratios", List(0.5, 1.0), "strides", List(8L)),
            "loss_cls", Cfg("type", "FocalLoss", "use_sigmoid", true));
        Assert.Equal(6, Param(m, "retina_cls.weight").shape[0]);
    }

    [Fact]
    public void RPNHead_OneScale_OneSigmoidClassThreeAnchors()
    {
        var m = Build("type", "RPNHead", "in_channels", 8L, "feat_channels", 8L,
            "anchor_generator", Cfg("type", "AnchorGenerator", "scales", List(8L), "ratios", List(0.5, 1.0, 2.0), "strides", List(4L, 8L)));
        Assert.Equal(new[] { "rpn_conv.weight", "rpn_conv.bias", "rpn_cls.weight", "rpn_cls.bias", "rpn_reg.weight", "rpn_reg.bias" },
            m.named_parameters().Select(p => p.name));
        Assert.Equal(new long[] { 3, 8, 1, 1 }, Param(m, "rpn_cls.weight").shape);
        Assert.Equal(new long[] { 12, 8, 1, 1 }, Param(m, "rpn_reg.weight").shape);
    }

    [Fact]
    public void RPNHead_TwoConvs_ConvModulesInAPlainSequential()
    {
        var m = Build("type", "RPNHead", "in_channels", 8L, "feat_channels", 8L, "num_convs", 2L);
        Assert.Contains("rpn_conv.1.conv.weight", m.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void ATSSHead_GroupNormStacksAndOneScalePerLevel()
    {
        var m = Build("type", "ATSSHead", "num_classes", 5L, "in_channels", 64L, "feat_channels", 64L, "stacked_convs", 2L,
            "anchor_generator", Cfg("type", "AnchorGenerator", "ratios", List(1.0), "octave_base_scale", 8L, "scales_per_octave", 1L, "strides", List(8L, 16L, 32L)),
            "loss_cls", Cfg("type", "FocalLoss", "use_sigmoid", true));
        var names = m.named_parameters().Select(p => p.name).ToArray();
        Assert.Contains("cls_convs.1.gn.weight", names);
        Assert.DoesNotContain("cls_convs.1.conv.bias", names);
        Assert.Equal(new long[] { 5, 64, 3, 3 }, Param(m, "atss_cls.weight").shape);
        Assert.Equal(3, names.Count(n => n.StartsWith("scales.")));
    }

    [Fact]
    public void FCOSHead_Init_ClassifierGetsThePrior()
    {
        var m = Build("type", "FCOSHead", "num_classes", 4L, "in_channels", 32L, "feat_channels", 32L, "stacked_convs", 1L, "strides", List(8L, 16L));
        new InitEngine().Initialize(m, new InitOptions { Seed = 0 });
        Assert.True(AllEqual(Param(m, "conv_cls.bias"), -Math.Log(0.99 / 0.01)));
        Assert.Equal(new long[] { 1, 32, 3, 3 }, Param(m, "conv_centerness.weight").shape);
        Assert.Equal(2, m.named_parameters().Count(p => p.name.StartsWith("scales.")));
    }

    [Fact]
    public void AnchorHead_UnknownAnchorGenerator_IsInvalidArgumentValue()
    {
        var e = Assert.Throws<InitCfgException>(() => Build("type", "AnchorHead", "num_classes", 2L, "in_channels", 4L,
            "anchor_generator", Cfg("type", "YOLOAnchorGenerator", "base_sizes", List(List(List(1L, 2L))), "strides", List(8L))));
        Assert.Contains(e.Problems, p => p.Path == "model.anchor_generator.type");
    }
}
