using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.MMDet.Necks;

public class FPNTests
{
    private static nn.Module Fpn(params object?[] extra) =>
        new ModelBuilder().Build(Cfg(new object?[] { "type", "FPN", "in_channels", List(8L, 16L, 32L), "out_channels", 4L }.Concat(extra.Length == 0 || !extra.Contains("num_outs") ? extra.Concat(new object?[] { "num_outs", 5L }) : extra).ToArray()));

    [Theory]
    [InlineData("on_input", 32L)]
    [InlineData("on_output", 4L)]
    [InlineData("on_lateral", 4L)]
    public void Build_ExtraConvs_FirstExtraTakesItsSource(string where, long channels)
    {
        var m = Fpn("add_extra_convs", where);
        Assert.Equal(new long[] { 4, channels, 3, 3 }, Param(m, "fpn_convs.3.conv.weight").shape);
        Assert.Equal(new long[] { 4, 4, 3, 3 }, Param(m, "fpn_convs.4.conv.weight").shape);
        Assert.Equal(3, m.named_parameters().Count(p => p.name.StartsWith("lateral_convs.") && p.name.EndsWith(".weight")));
    }

    [Fact]
    public void Build_NoExtraConvs_OnlyOneFpnConvPerLevel()
    {
        var m = Fpn("start_level", 1L, "num_outs", 2L);
        Assert.Equal(new[] { "lateral_convs.0.conv.weight", "lateral_convs.0.conv.bias", "lateral_convs.1.conv.weight", "lateral_convs.1.conv.bias" },
            m.named_parameters().Where(p => p.name.StartsWith("lateral")).Select(p => p.name));
        Assert.Equal(new long[] { 4, 16, 1, 1 }, Param(m, "lateral_convs.0.conv.weight").shape);
    }

    [Fact]
    public void Build_BadAddExtraConvs_IsInvalidArgumentValue()
    {
        var e = Assert.Throws<InitCfgException>(() => Fpn("add_extra_convs", "on_top"));
        Assert.Contains(e.Problems, p => p.Path == "model.add_extra_convs");
    }

    [Fact]
    public void Build_ChannelMapper_ExtraConvFromTheLastInput()
    {
        var m = new ModelBuilder().Build(Cfg("type", "ChannelMapper", "in_channels", List(8L, 16L), "out_channels", 4L, "num_outs", 3L, "kernel_size", 1L,
            "norm_cfg", Cfg("type", "GN", "num_groups", 2L)));
        Assert.Equal(new long[] { 4, 16, 3, 3 }, Param(m, "extra_convs.0.conv.weight").shape);
        Assert.Equal(new long[] { 4, 8, 1, 1 }, Param(m, "convs.0.conv.weight").shape);
        Assert.Contains("convs.0.gn.weight", m.named_parameters().Select(p => p.name));
    }
}
