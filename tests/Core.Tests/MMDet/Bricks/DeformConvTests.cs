using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.MMDet.Bricks;

[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class DeformConvTests
{
    [Fact]
    public void Build_Dcn_WeightWithoutBiasAndZeroOffsets()
    {
        var m = new ModelBuilder().Build(Cfg("type", "DCN", "in_channels", 8L, "out_channels", 16L, "kernel_size", 3L, "padding", 1L));
        Assert.Equal(new[] { "weight", "conv_offset.weight", "conv_offset.bias" }, m.named_parameters().Select(p => p.name));
        Assert.Equal(new long[] { 18, 8, 3, 3 }, Param(m, "conv_offset.weight").shape);
        Assert.True(AllEqual(Param(m, "conv_offset.weight"), 0));
        // kaiming_uniform_(nonlinearity='relu'): bound sqrt(6 / fan_in).
        double bound = Math.Sqrt(6.0 / (8 * 9));
        Assert.True(Param(m, "weight").abs().max().item<float>() <= bound);
        var e = Assert.Throws<InitCfgException>(() => ((nn.Module<Tensor, Tensor>)m).call(zeros(1, 8, 5, 5)));
        Assert.Equal(ErrorIds.ForwardNotSupported, e.ErrorId);
    }

    [Fact]
    public void Build_DcnWithBias_InvalidArgumentValue()
    {
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(Cfg("type", "DCN", "in_channels", 8L, "out_channels", 16L, "kernel_size", 3L, "bias", true)));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
    }

    [Fact]
    public void Build_Seeded_DcnV2DrawsAsMmcv()
    {
        // ModulatedDeformConv2dPack: uniform(weight) in the base constructor, then conv_offset (Conv2d draws), then
        // uniform(weight) again; the final weight is the fourth draw in that order.
        var m = GlobalGenerator.Build(3, () => new ModelBuilder().Build(Cfg("type", "DCNv2", "in_channels", 4L, "out_channels", 6L, "kernel_size", 3L, "deform_groups", 2L)));
        Assert.Equal(new long[] { 54, 4, 3, 3 }, Param(m, "conv_offset.weight").shape);
        Assert.True(AllEqual(Param(m, "bias"), 0));
        using var expected = GlobalGenerator.Use(() =>
        {
            using var saved = get_rng_state();
            random.manual_seed(3);
            var w = empty(6, 4, 3, 3);
            double stdv = 1.0 / Math.Sqrt(4 * 9);
            w.uniform_(-stdv, stdv);
            using (var offset = nn.Conv2d(4, 54, 3, bias: true)) { }
            w.uniform_(-stdv, stdv);
            set_rng_state(saved);
            return w;
        });
        Assert.Equal(Values(expected), Values(Param(m, "weight")));
    }

    [Fact]
    public void Init_ResNetWithDcnV2_OwnInitWeightsRunsAndLabels()
    {
        var m = new ModelBuilder().Build(Cfg("type", "ResNet", "depth", 50L, "num_stages", 2L, "out_indices", List(0L, 1L), "strides", List(1L, 2L), "dilations", List(1L, 1L),
            "dcn", Cfg("type", "DCNv2", "deform_groups", 1L, "fallback_on_stride", false), "stage_with_dcn", List(false, true)));
        Assert.Contains("layer2.0.conv2.conv_offset.weight", m.named_parameters().Select(p => p.name));
        Assert.DoesNotContain("layer1.0.conv2.conv_offset.weight", m.named_parameters().Select(p => p.name));
        var result = new InitEngine().Initialize(m, new InitOptions { Seed = 0 });
        var r = InitReport.For(m).ToDictionary(x => x.Name);
        Assert.Equal(ParameterWrites.UserDefinedText("ModulatedDeformConv2dPack"), r["layer2.0.conv2.weight"].InitInfo);
        Assert.True(AllEqual(Param(m, "layer2.0.conv2.conv_offset.weight"), 0));
    }

    [Fact]
    public void Build_DcnOnBasicBlock_InvalidArgumentValue()
    {
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(Cfg("type", "ResNet", "depth", 18L,
            "dcn", Cfg("type", "DCN"), "stage_with_dcn", List(false, true, true, true))));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
    }

    [Fact]
    public void Build_ConvCfgConv_MmcvWrapperNamedConv2dNotConvNd()
    {
        var conv = InitCfg.Core.MMDet.Bricks.MMCVLayers.Conv(new InitCfg.Core.MMDet.SubConfig(InitCfg.Core.MMDet.SubConfig.Dict(("type", "Conv")),
            InitCfg.Core.Configs.ConfigPath.Root("conv_cfg")), 4, 4, 1);
        Assert.Equal(new[] { "Conv2d" }, InitCfg.Core.Layers.LayerTypeNames.Of(conv));
    }
}
