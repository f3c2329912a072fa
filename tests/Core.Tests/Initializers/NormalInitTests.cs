using InitCfg.Core.Errors;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

public class NormalInitTests
{
    [Fact]
    public void Describe_Defaults_MatchMmengine() =>
        Assert.Equal("NormalInit: mean=0, std=1, bias=0", Build("type", "Normal").Describe());

    [Fact]
    public void Describe_Given_PrintsAsPython() =>
        Assert.Equal("NormalInit: mean=0, std=0.01, bias=0", Build("type", "Normal", "std", 0.01).Describe());

    [Fact]
    public void Apply_MeanAndStd_MatchOnLargeTensor()
    {
        var fc = nn.Linear(1000, 1000);
        Init(fc, Cfg("type", "Normal", "mean", 0.5, "std", 0.01, "bias", 0.1, "layer", "Linear"));
        var m = Moments(fc.weight!);
        Assert.True(Math.Abs(m.Mean - 0.5) < 1e-4, $"mean {m.Mean}");
        AssertWithin(0.01, m.Std);
        Assert.True(AllEqual(fc.bias!, 0.1));
    }

    [Fact]
    public void Apply_DifferentSeeds_GiveDifferentTensors()
    {
        var a = nn.Linear(10, 10);
        var b = nn.Linear(10, 10);
        Init(a, Cfg("type", "Normal", "layer", "Linear"), seed: 1);
        Init(b, Cfg("type", "Normal", "layer", "Linear"), seed: 2);
        Assert.False(a.weight!.Equals(b.weight!));
    }

    [Fact]
    public void Build_NegativeStd_ThrowsInvalidArgumentValueAtStd()
    {
        var e = ParseError(Cfg("type", "Normal", "std", -1, "layer", "Linear"));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("init_cfg.std", e.ConfigPath);
    }

    [Fact]
    public void Build_NanMean_ThrowsInvalidArgumentValue() =>
        Assert.Equal(ErrorIds.InvalidArgumentValue, ParseError(Cfg("type", "Normal", "mean", double.NaN, "layer", "Linear")).ErrorId);
}
