using InitCfg.Core.Errors;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

public class ConstantInitTests
{
    [Fact]
    public void Describe_ValAndBiasInts_MatchesMmengine() =>
        Assert.Equal("ConstantInit: val=1, bias=2", Build("type", "Constant", "val", 1, "bias", 2).Describe());

    [Fact]
    public void Describe_DefaultBias_IsIntZero() =>
        Assert.Equal("ConstantInit: val=0.5, bias=0", Build("type", "Constant", "val", 0.5).Describe());

    [Fact]
    public void Describe_Floats_PrintWithDecimalPoint() =>
        Assert.Equal("ConstantInit: val=1.0, bias=0.0", Build("type", "Constant", "val", 1.0, "bias", 0.0).Describe());

    [Fact]
    public void Apply_Conv2d_FillsWeightAndBiasExactly()
    {
        var conv = nn.Conv2d(3, 8, 3);
        Init(conv, Cfg("type", "Constant", "val", 0.25, "bias", -3, "layer", "Conv2d"));
        Assert.True(AllEqual(conv.weight!, 0.25));
        Assert.True(AllEqual(conv.bias!, -3));
    }

    [Fact]
    public void Apply_BatchNormViaPrivateBase_FillsWeightAndBias()
    {
        var model = Net("Net", ("bn1", nn.BatchNorm1d(4)), ("bn2", nn.BatchNorm2d(6)), ("fc", nn.Linear(2, 2)));
        var fc = Snapshot(Sub(model, "fc"));
        Init(model, Cfg("type", "Constant", "val", 1, "bias", 0, "layer", "_BatchNorm"));
        Assert.True(AllEqual(Param(model, "bn1.weight"), 1) && AllEqual(Param(model, "bn1.bias"), 0));
        Assert.True(AllEqual(Param(model, "bn2.weight"), 1) && AllEqual(Param(model, "bn2.bias"), 0));
        AssertUnchanged(Sub(model, "fc"), fc);
    }

    [Fact]
    public void Apply_WeightWithoutBias_FillsOnlyWeight()
    {
        var conv = nn.Conv2d(3, 4, 3, bias: false);
        Init(conv, Cfg("type", "Constant", "val", 2, "layer", "Conv2d"));
        Assert.True(AllEqual(conv.weight!, 2));
        Assert.Single(conv.parameters());
    }

    [Fact]
    public void Build_ValString_ThrowsInvalidArgumentTypeAtVal()
    {
        var e = ParseError(Cfg("type", "Constant", "val", "1", "layer", "Linear"));
        Assert.Equal(ErrorIds.InvalidArgumentType, e.ErrorId);
        Assert.Equal("init_cfg.val", e.ConfigPath);
    }
}
