using InitCfg.Core.Errors;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

public class DiracInitTests
{
    [Fact]
    public void Describe_Defaults_GroupsOneBiasZero() =>
        Assert.Equal("DiracInit: groups=1, bias=0", Build("type", "Dirac").Describe());

    [Fact]
    public void Apply_Conv2d_GivesIdentityConvolution()
    {
        var conv = nn.Conv2d(4, 4, 3, padding: 1);
        Init(conv, Cfg("type", "Dirac", "layer", "Conv2d"));
        using var x = rand(2, 4, 6, 6);
        using var y = conv.call(x);
        Assert.True(y.allclose(x, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Apply_Conv1dMoreOutputsThanInputs_CopiesInputsAndZerosTheRest()
    {
        var conv = nn.Conv1d(2, 3, 3, padding: 1);
        Init(conv, Cfg("type", "Dirac", "layer", "Conv1d"));
        using var x = rand(1, 2, 5);
        using var y = conv.call(x);
        using var copied = y.narrow(1, 0, 2);
        using var zeroed = y.narrow(1, 2, 1);
        Assert.True(copied.allclose(x, rtol: 0, atol: 1e-6));
        Assert.True(AllEqual(zeroed, 0));
    }

    [Fact]
    public void Apply_Groups_GivesIdentityGroupedConvolution()
    {
        var conv = nn.Conv2d(4, 4, 3, padding: 1, groups: 2);
        Init(conv, Cfg("type", "Dirac", "groups", 2, "layer", "Conv2d"));
        using var x = rand(1, 4, 5, 5);
        using var y = conv.call(x);
        Assert.True(y.allclose(x, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Apply_LinearWeight_IsRefusedBeforeAnyChange()
    {
        var model = Net("Net", ("conv", nn.Conv2d(2, 2, 3)), ("fc", nn.Linear(4, 4)));
        var before = Snapshot(model);
        var e = Assert.Throws<InitCfgException>(() => Init(model, Cfg("type", "Dirac", "layer", List("Conv2d", "Linear"))));
        Assert.Equal(ErrorIds.TensorNotSupported, e.ErrorId);
        Assert.Contains("fc.weight", e.Message);
        AssertUnchanged(model, before);
    }

    [Fact]
    public void Apply_OutputsNotDivisibleByGroups_IsRefused() =>
        Assert.Equal(ErrorIds.TensorNotSupported, Assert.Throws<InitCfgException>(() =>
            Init(nn.Conv2d(4, 4, 3), Cfg("type", "Dirac", "groups", 3, "layer", "Conv2d"))).ErrorId);

    [Fact]
    public void Build_GroupsZero_ThrowsInvalidArgumentValueAtGroups()
    {
        var e = ParseError(Cfg("type", "Dirac", "groups", 0, "layer", "Conv2d"));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("init_cfg.groups", e.ConfigPath);
    }
}
