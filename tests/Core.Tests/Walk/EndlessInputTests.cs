using InitCfg.Core.Errors;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Walk;

/// <summary>Models and configs without an end are refused with a path, never a stack overflow.</summary>
public class EndlessInputTests
{
    [Fact]
    public void Initialize_ModuleRegisteredAsItsOwnChild_IsModelCycleNamingThePath()
    {
        var inner = Net("Inner", ("fc", nn.Linear(2, 2)));
        var model = Net("Outer", ("body", inner));
        inner.register_module("loop", model);
        var e = Assert.Throws<InitCfgException>(() => Init(model, Cfg("type", "Constant", "val", 1, "layer", "Linear")));
        Assert.Equal(ErrorIds.ModelCycle, e.ErrorId);
        Assert.Equal("body.loop", e.ConfigPath);
        Assert.Contains("the model itself", e.Message);
    }

    [Fact]
    public void Initialize_ModulesNestedTooDeep_IsConfigTooLarge()
    {
        nn.Module model = nn.Linear(1, 1);
        for (int i = 0; i < ModelLock.MaxModuleDepth + 5; i++) model = Net("N", ("c", model));
        Assert.Equal(ErrorIds.ConfigTooLarge, Assert.Throws<InitCfgException>(() => Init(model, null)).ErrorId);
    }

    [Fact]
    public void Initialize_Config200000Deep_IsConfigTooLarge()
    {
        object? cfg = Cfg("type", "Constant", "val", 1, "layer", "Linear");
        for (int i = 0; i < 200_000; i++) cfg = new List<object?> { cfg };
        var model = Net("M", ("fc", nn.Linear(2, 2)));
        Assert.Equal(ErrorIds.ConfigTooLarge, Assert.Throws<InitCfgException>(() => Init(model, cfg)).ErrorId);
    }

    [Fact]
    public void Initialize_ConfigThatContainsItself_IsConfigTooLarge()
    {
        var cfg = Cfg("type", "Constant", "val", 1);
        cfg["layer"] = cfg;
        var model = Net("M", ("fc", nn.Linear(2, 2)));
        Assert.Equal(ErrorIds.ConfigTooLarge, Assert.Throws<InitCfgException>(() => Init(model, cfg)).ErrorId);
    }
}
