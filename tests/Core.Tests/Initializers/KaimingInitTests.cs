using InitCfg.Core.Initializers;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

public class KaimingInitTests
{
    [Fact]
    public void Describe_Defaults_MatchMmengineIncludingItsSpacing() =>
        Assert.Equal("KaimingInit: a=0, mode=fan_out, nonlinearity=relu, distribution =normal, bias=0",
            Build("type", "Kaiming").Describe());

    [Fact]
    public void Defaults_AreMmengineNotTorchSharp()
    {
        var k = Assert.IsType<KaimingInit>(Build("type", "Kaiming"));
        Assert.Equal(0, k.A);
        Assert.Equal("fan_out", k.Mode);
        Assert.Equal("relu", k.Nonlinearity);
        Assert.Equal("normal", k.Distribution);
    }

    [Fact]
    public void Describe_GivenArguments_PrintAsPython() =>
        Assert.Equal("KaimingInit: a=0.1, mode=fan_in, nonlinearity=leaky_relu, distribution =uniform, bias=0.5",
            Build("type", "Kaiming", "a", 0.1, "mode", "fan_in", "nonlinearity", "leaky_relu", "distribution", "uniform", "bias", 0.5).Describe());

    [Fact]
    public void Apply_DefaultsOnConv_StdIsReluGainOverSqrtFanOut()
    {
        var conv = nn.Conv2d(64, 128, 3);
        Init(conv, Cfg("type", "Kaiming", "layer", "Conv2d"));
        var m = Moments(conv.weight!);
        Assert.True(Math.Abs(m.Mean) < 0.002, $"mean {m.Mean}");
        AssertWithin(Math.Sqrt(2.0) / Math.Sqrt(128 * 9), m.Std);
        Assert.True(AllEqual(conv.bias!, 0));
    }

    [Fact]
    public void Apply_FanInUniform_RespectsBoundAndStd()
    {
        var conv = nn.Conv2d(64, 128, 3);
        Init(conv, Cfg("type", "Kaiming", "mode", "fan_in", "distribution", "uniform", "layer", "Conv2d"));
        double std = Math.Sqrt(2.0) / Math.Sqrt(64 * 9), bound = Math.Sqrt(3.0) * std;
        var m = Moments(conv.weight!);
        Assert.InRange(m.Min, -bound, bound);
        Assert.InRange(m.Max, -bound, bound);
        Assert.True(m.Max > 0.99 * bound && m.Min < -0.99 * bound);
        AssertWithin(std, m.Std);
    }

    [Fact]
    public void Apply_LeakyReluWithSlope_UsesLeakyGain()
    {
        var fc = nn.Linear(1000, 1000);
        Init(fc, Cfg("type", "Kaiming", "a", 0.2, "mode", "fan_in", "nonlinearity", "leaky_relu", "layer", "Linear"));
        AssertWithin(Math.Sqrt(2.0 / (1 + 0.04)) / Math.Sqrt(1000), Moments(fc.weight!).Std);
    }

    [Fact]
    public void Apply_SameSeed_GivesIdenticalTensors()
    {
        var a = nn.Conv2d(16, 32, 3);
        var b = nn.Conv2d(16, 32, 3);
        Init(a, Cfg("type", "Kaiming", "layer", "Conv2d"), seed: 7);
        Init(b, Cfg("type", "Kaiming", "layer", "Conv2d"), seed: 7);
        Assert.True(a.weight!.Equals(b.weight!));
    }

    [Fact]
    public void Apply_Seed_DrawsLikeNormalFromAGeneratorSeededThatWay()
    {
        var fc = nn.Linear(30, 20);
        Init(fc, Cfg("type", "Kaiming", "layer", "Linear"), seed: 3);
        using var g = new Generator(3);
        var expected = empty(20, 30).normal_(0, Math.Sqrt(2.0) / Math.Sqrt(20), g);
        Assert.True(fc.weight!.Equals(expected));
    }
}
