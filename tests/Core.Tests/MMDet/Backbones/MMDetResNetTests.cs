using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.MMDet.Backbones;

public class MMDetResNetTests
{
    private static nn.Module Build(params object?[] kv) => new ModelBuilder().Build(Cfg(kv));

    [Fact]
    public void Build_GroupNorm_NamesNormsGnAndZeroesGn3()
    {
        var m = Build("type", "ResNet", "depth", 50L, "num_stages", 1L, "norm_cfg", Cfg("type", "GN", "num_groups", 32L));
        Assert.Contains("layer1.0.gn3.weight", m.named_parameters().Select(p => p.name));
        Assert.Contains("gn1.weight", m.named_parameters().Select(p => p.name));
        new WeightInitializer().Initialize(m, new InitOptions { Seed = 0 });
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
    public void Build_Dcn_IsRefusedWithItsPath()
    {
        var e = Assert.Throws<InitCfgException>(() => Build("type", "ResNet", "depth", 50L, "dcn", Cfg("type", "DCNv2")));
        Assert.Contains(e.Problems, p => p.Path == "model.dcn");
    }
}
