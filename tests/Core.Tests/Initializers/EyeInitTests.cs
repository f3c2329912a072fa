using InitCfg.Core.Errors;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

public class EyeInitTests
{
    [Fact]
    public void Describe_Defaults_BiasOnly() => Assert.Equal("EyeInit: bias=0", Build("type", "Eye").Describe());

    [Fact]
    public void Apply_SquareLinear_IsIdentityMap()
    {
        var fc = nn.Linear(4, 4);
        Init(fc, Cfg("type", "Eye", "layer", "Linear"));
        using var x = rand(3, 4);
        using var y = fc.call(x);
        Assert.True(y.allclose(x, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Apply_RectangularLinear_IsRectangularEye()
    {
        var fc = nn.Linear(3, 5);
        Init(fc, Cfg("type", "Eye", "bias", 1, "layer", "Linear"));
        Assert.True(fc.weight!.Equals(eye(5, 3)));
        Assert.True(AllEqual(fc.bias!, 1));
    }

    [Fact]
    public void Apply_ConvWeight_IsRefusedBeforeAnyChange()
    {
        var conv = nn.Conv2d(2, 2, 3);
        var before = Snapshot(conv);
        var e = Assert.Throws<InitCfgException>(() => Init(conv, Cfg("type", "Eye", "layer", "Conv2d")));
        Assert.Equal(ErrorIds.TensorNotSupported, e.ErrorId);
        AssertUnchanged(conv, before);
    }
}
