using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.MMDet.Backbones;

[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class MMDetResNetTests
{
    private static nn.Module Build(params object?[] kv) => new ModelBuilder().Build(Cfg(kv));

    [Fact]
    public void Build_GroupNorm_NamesNormsGnAndZeroesGn3()
    {
        var m = Build("type", "ResNet", "depth", 50L, "num_stages", 1L, "norm_cfg", Cfg("type", "GN", "num_groups", 32L));
        Assert.Contains("layer1.0.gn3.weight", m.named_parameters().Select(p => p.name));
        Assert.Contains("gn1.weight", m.named_parameters().Select(p => p.name));
        new InitEngine().Initialize(m, new InitOptions { Seed = 0 });
        Assert.True(AllEqual(Param(m, "layer1.0.gn3.weight"), 0));
        Assert.True(AllEqual(Param(m, "layer1.0.gn1.weight"), 1));
    }

    [Fact]
    public void Build_FrozenStages_StemAndFirstStagesWithoutGradient()
    {
        var m = Build("type", "ResNet", "depth", 18L, "frozen_stages", 1L);
        Assert.False(Param(m, "conv1.weight").requires_grad);
        Assert.False(Param(m, "layer1.1.conv2.weight").requires_grad);
        Assert.True(Param(m, "layer2.0.conv1.weight").requires_grad);
    }

    [Fact]
    public void Build_ResNetV1d_DeepStemAndAvgPoolDownsample()
    {
        var m = Build("type", "ResNetV1d", "depth", 50L, "num_stages", 2L);
        var names = m.named_parameters().Select(p => p.name).ToArray();
        Assert.Contains("stem.0.weight", names);
        Assert.Contains("stem.7.weight", names);
        Assert.Equal(new long[] { 512, 256, 1, 1 }, Param(m, "layer2.0.downsample.1.weight").shape);
        Assert.DoesNotContain("conv1.weight", names);
    }

    [Fact]
    public void Build_DcnStagesOfWrongLength_IsRefusedWithItsPath()
    {
        var e = Assert.Throws<InitCfgException>(() => Build("type", "ResNet", "depth", 50L, "dcn", Cfg("type", "DCNv2"), "stage_with_dcn", List(false, true)));
        Assert.Contains(e.Problems, p => p.Path == "model.stage_with_dcn");
    }

    [Fact]
    public void Build_ResNeXt32x4d_GroupedConv2OfWidth128()
    {
        var m = Build("type", "ResNeXt", "depth", 50L, "num_stages", 1L, "groups", 32L, "base_width", 4L);
        Assert.Equal(new long[] { 128, 4, 3, 3 }, Param(m, "layer1.0.conv2.weight").shape);
        Assert.Equal(new long[] { 128, 64, 1, 1 }, Param(m, "layer1.0.conv1.weight").shape);
        Assert.Equal(new long[] { 256, 128, 1, 1 }, Param(m, "layer1.0.conv3.weight").shape);
        Assert.Equal(new long[] { 128 }, Param(m, "layer1.0.bn2.weight").shape);
    }

    [Fact]
    public void Build_ResNeXt_ConsumesResNetsDrawsFirst()
    {
        // As MMDetection: the ResNet Bottleneck is built (and drawn) before ResNeXt replaces its convs.
        random.manual_seed(5);
        var x = Build("type", "ResNeXt", "depth", 50L, "num_stages", 1L, "groups", 1L);
        random.manual_seed(5);
        var r = Build("type", "ResNet", "depth", 50L, "num_stages", 1L);
        Assert.True(Param(x, "conv1.weight").Equals(Param(r, "conv1.weight")));
        Assert.False(Param(x, "layer1.0.conv1.weight").Equals(Param(r, "layer1.0.conv1.weight")));
        Assert.Equal(Param(r, "layer1.0.conv1.weight").shape, Param(x, "layer1.0.conv1.weight").shape);
    }

    [Fact]
    public void Build_ResNeXtDepth18_IsInvalidArgumentValue() =>
        Assert.Contains(Assert.Throws<InitCfgException>(() => Build("type", "ResNeXt", "depth", 18L)).Problems, p => p.Path == "model.depth");
}
