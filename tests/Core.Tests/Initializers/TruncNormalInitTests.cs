using InitCfg.Core.Errors;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

public class TruncNormalInitTests
{
    [Fact]
    public void Describe_Defaults_MatchMmengine() =>
        Assert.Equal("TruncNormalInit: a=-2, b=2, mean=0, std=1, bias=0", Build("type", "TruncNormal").Describe());

    [Fact]
    public void Apply_Defaults_StayWithinAbsoluteCutoffsWithTruncatedStd()
    {
        var fc = nn.Linear(1000, 1000);
        Init(fc, Cfg("type", "TruncNormal", "layer", "Linear"));
        var m = Moments(fc.weight!);
        Assert.InRange(m.Min, -2.0, 2.0);
        Assert.InRange(m.Max, -2.0, 2.0);
        Assert.True(Math.Abs(m.Mean) < 0.003, $"mean {m.Mean}");
        // Var of N(0,1) truncated to [-2, 2] is 1 - 2*2*phi(2)/(2*Phi(2)-1).
        double phi2 = Math.Exp(-2.0) / Math.Sqrt(2 * Math.PI);
        AssertWithin(Math.Sqrt(1 - 4 * phi2 / 0.9544997361036416), m.Std);
    }

    [Fact]
    public void Apply_SmallStdWithDefaultCutoffs_IsPlainNormalBecauseCutoffsAreAbsolute()
    {
        var fc = nn.Linear(1000, 1000);
        Init(fc, Cfg("type", "TruncNormal", "std", 0.02, "layer", "Linear"));
        AssertWithin(0.02, Moments(fc.weight!).Std);
    }

    [Fact]
    public void Apply_AsymmetricCutoffs_AreRespected()
    {
        var fc = nn.Linear(500, 500);
        Init(fc, Cfg("type", "TruncNormal", "mean", 0.2, "a", -0.5, "b", 1, "layer", "Linear"));
        var m = Moments(fc.weight!);
        Assert.InRange(m.Min, -0.5, 1.0);
        Assert.InRange(m.Max, -0.5, 1.0);
        Assert.True(m.Min < -0.49 && m.Max > 0.99);
    }

    [Fact]
    public void Build_AAtLeastB_ThrowsInvalidArgumentValue() =>
        Assert.Equal("init_cfg.a", ParseError(Cfg("type", "TruncNormal", "a", 1, "b", 1, "layer", "Linear")).ConfigPath);

    [Fact]
    public void Build_ZeroStd_ThrowsInvalidArgumentValueAtStd()
    {
        var e = ParseError(Cfg("type", "TruncNormal", "std", 0, "layer", "Linear"));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("init_cfg.std", e.ConfigPath);
    }
}
