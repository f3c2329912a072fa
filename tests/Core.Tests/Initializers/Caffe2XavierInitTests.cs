using InitCfg.Core.Errors;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

public class Caffe2XavierInitTests
{
    [Fact]
    public void Describe_Defaults_MatchMmengine() =>
        Assert.Equal("Caffe2XavierInit: a=1, mode=fan_in, nonlinearity=leaky_relu, distribution =uniform, bias=0",
            Build("type", "Caffe2Xavier").Describe());

    [Fact]
    public void Apply_Conv_IsUniformWithinOneOverSqrtFanInTimesSqrt3()
    {
        var conv = nn.Conv2d(64, 128, 3);
        Init(conv, Cfg("type", "Caffe2Xavier", "layer", "Conv2d"));
        double bound = Math.Sqrt(3.0) / Math.Sqrt(64 * 9);
        var m = Moments(conv.weight!);
        Assert.InRange(m.Min, -bound, bound);
        Assert.InRange(m.Max, -bound, bound);
        AssertWithin(bound / Math.Sqrt(3.0), m.Std);
        Assert.True(AllEqual(conv.bias!, 0));
    }

    [Fact]
    public void Build_KaimingArgument_IsRefusedAsUnknown()
    {
        var e = ParseError(Cfg("type", "Caffe2Xavier", "mode", "fan_out", "layer", "Conv2d"));
        Assert.Equal(ErrorIds.UnknownArgument, e.ErrorId);
        Assert.Equal("init_cfg.mode", e.ConfigPath);
    }

    [Fact]
    public void Describe_Bias_IsTaken() =>
        Assert.EndsWith("bias=0.5", Build("type", "Caffe2Xavier", "bias", 0.5).Describe());
}
