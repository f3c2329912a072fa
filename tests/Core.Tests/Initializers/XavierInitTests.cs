using InitCfg.Core.Errors;
using InitCfg.Core.Modules;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

public class XavierInitTests
{
    [Fact]
    public void Describe_Defaults_MatchMmengine() =>
        Assert.Equal("XavierInit: gain=1, distribution=normal, bias=0", Build("type", "Xavier").Describe());

    [Fact]
    public void Apply_DefaultsOnLinear_StdIsSqrtTwoOverFanSum()
    {
        var fc = nn.Linear(1000, 1000);
        Init(fc, Cfg("type", "Xavier", "layer", "Linear"));
        var m = Moments(fc.weight!);
        Assert.True(Math.Abs(m.Mean) < 0.001, $"mean {m.Mean}");
        AssertWithin(Math.Sqrt(2.0 / 2000), m.Std);
        // PyTorch's xavier_normal_ is a normal: values well beyond the uniform bound sqrt(3)*std appear.
        Assert.True(m.Max > 2 * Math.Sqrt(3.0) * Math.Sqrt(2.0 / 2000));
    }

    [Fact]
    public void Apply_UniformWithGain_RespectsBound()
    {
        var fc = nn.Linear(500, 1000);
        Init(fc, Cfg("type", "Xavier", "gain", 2, "distribution", "uniform", "layer", "Linear"));
        double std = 2 * Math.Sqrt(2.0 / 1500), bound = Math.Sqrt(3.0) * std;
        var m = Moments(fc.weight!);
        Assert.InRange(m.Min, -bound, bound);
        Assert.InRange(m.Max, -bound, bound);
        AssertWithin(std, m.Std);
    }

    [Fact]
    public void Apply_BatchNormHitByWholeModuleOverride_IsRefusedBeforeAnyChange()
    {
        var model = Net("Net", ("conv", nn.Conv2d(3, 4, 3)), ("block", new MMEngineSequential(new nn.Module[] { nn.Conv2d(4, 4, 3), nn.BatchNorm2d(4) })));
        var before = Snapshot(model);
        var e = Assert.Throws<InitCfgException>(() => Init(model,
            Cfg("type", "Xavier", "layer", "Conv2d", "override", Cfg("name", "block"))));
        Assert.Equal(ErrorIds.TensorNotSupported, e.ErrorId);
        Assert.Equal("init_cfg[0].override[0]", e.ConfigPath);
        Assert.Contains("block.1.weight", e.Message);
        AssertUnchanged(model, before);
    }
}
