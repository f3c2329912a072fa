using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.MMDet.Backbones;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.MMDet.Backbones;

[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class RegNetTests
{
    [Fact]
    public void Stages_Regnetx32gf_MmdetectionWidthsBlocksGroups()
    {
        // MMDetection's docstring: RegNet(arch=dict(w0=88, wa=26.31, wm=2.25, group_w=48, depth=25, bot_mul=1.0))
        // outputs 96, 192, 432 and 1008 channels.
        var (widths, blocks, groups, _) = RegNet.Stages(88, 26.31, 2.25, 48, 25, 1.0);
        Assert.Equal(new long[] { 96, 192, 432, 1008 }, widths);
        Assert.Equal(new long[] { 2, 6, 15, 2 }, blocks);
        Assert.Equal(new long[] { 48, 48, 48, 48 }, groups);
    }

    [Fact]
    public void Build_ArchString_StemStagesAndGroupedConvs()
    {
        var m = new ModelBuilder().Build(Cfg("type", "RegNet", "arch", "regnetx_3.2gf", "out_indices", List(0L, 1L, 2L, 3L)));
        var shapes = m.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new long[] { 32, 3, 3, 3 }, shapes["conv1.weight"]);
        Assert.Equal(new long[] { 96, 32, 1, 1 }, shapes["layer1.0.conv1.weight"]);
        Assert.Equal(new long[] { 96, 48, 3, 3 }, shapes["layer1.0.conv2.weight"]); // 2 groups of 48
        Assert.Equal(new long[] { 96, 96, 1, 1 }, shapes["layer1.0.conv3.weight"]); // expansion 1
        Assert.Equal(new long[] { 96, 32, 1, 1 }, shapes["layer1.0.downsample.0.weight"]);
        Assert.Equal(new long[] { 1008, 48, 3, 3 }, shapes["layer4.1.conv2.weight"]);
        Assert.Contains("layer3.14.bn3.weight", shapes.Keys);
        Assert.DoesNotContain(m.named_children(), c => c.name == "maxpool");
    }

    [Fact]
    public void Init_DefaultInitCfg_ZeroInitResidualOnBn3()
    {
        var m = new ModelBuilder().Build(Cfg("type", "RegNet", "arch", Cfg("w0", 24L, "wa", 24.48, "wm", 2.54, "group_w", 16L, "depth", 22L, "bot_mul", 1.0)));
        var result = new InitEngine().Initialize(m, new InitOptions { Seed = 0 });
        Assert.Empty(result.Warnings);
        Assert.True(AllEqual(Param(m, "layer2.0.bn3.weight"), 0));
        Assert.True(AllEqual(Param(m, "layer2.0.bn1.weight"), 1));
    }

    [Fact]
    public void Build_UnknownArch_InvalidArgumentValueAtArch()
    {
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(Cfg("type", "RegNet", "arch", "regnetx_99gf")));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Contains("arch", e.ConfigPath);
    }
}
