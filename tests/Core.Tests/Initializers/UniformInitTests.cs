using InitCfg.Core.Errors;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

public class UniformInitTests
{
    [Fact]
    public void Describe_Defaults_MatchMmengine() =>
        Assert.Equal("UniformInit: a=0, b=1, bias=0", Build("type", "Uniform").Describe());

    [Fact]
    public void Apply_Bounds_AreRespectedAndMomentsMatch()
    {
        var fc = nn.Linear(1000, 1000);
        Init(fc, Cfg("type", "Uniform", "a", -0.1, "b", 0.3, "layer", "Linear"));
        var m = Moments(fc.weight!);
        Assert.InRange(m.Min, -0.1, 0.3);
        Assert.InRange(m.Max, -0.1, 0.3);
        Assert.True(Math.Abs(m.Mean - 0.1) < 0.001, $"mean {m.Mean}");
        AssertWithin(0.4 / Math.Sqrt(12), m.Std);
    }

    [Fact]
    public void Apply_Seed_DrawsLikeUniformFromAGeneratorSeededThatWay()
    {
        var fc = nn.Linear(8, 4);
        Init(fc, Cfg("type", "Uniform", "layer", "Linear"), seed: 0);
        using var g = new Generator(0);
        Assert.True(fc.weight!.Equals(empty(4, 8).uniform_(0, 1, g)));
    }

    [Fact]
    public void Build_AAboveB_ThrowsInvalidArgumentValueAtA()
    {
        var e = ParseError(Cfg("type", "Uniform", "a", 2, "b", 1, "layer", "Linear"));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("init_cfg.a", e.ConfigPath);
    }
}
