using InitCfg.Core.Errors;
using InitCfg.Core.Modules;
using InitCfg.Core.Reports;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Walk;

/// <summary>Overrides: name-only, typed, whole-module, dotted names, missing names.</summary>
public class InitWalkOverrideTests
{
    [Fact]
    public void Initialize_NameOnlyOverride_TakesParentArgumentsAndParentInitializesNothingElse()
    {
        var model = Net("Net", ("a", nn.Linear(3, 3)), ("b", nn.Linear(3, 3)));
        var a = Snapshot(Sub(model, "a"));
        var result = Init(model, Cfg("type", "Constant", "val", 3, "bias", 4, "override", Cfg("name", "b")));
        AssertUnchanged(Sub(model, "a"), a);
        Assert.True(AllEqual(Param(model, "b.weight"), 3) && AllEqual(Param(model, "b.bias"), 4));
        var b = InitReport.For(model).First(r => r.Name == "b.weight");
        Assert.Equal("ConstantInit: val=3, bias=4", b.InitInfo);
        Assert.Equal("init_cfg[0].override[0]", b.ConfigPath);
        Assert.Equal("", b.ModulePath);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Initialize_NameOnlyOverride_DropsParentLayerAndHitsTargetWhole()
    {
        var model = Net("Net", ("conv", nn.Conv2d(1, 1, 1)), ("fc", nn.Linear(2, 2)));
        Init(model, Cfg("type", "Constant", "val", 2, "layer", "Conv2d", "override", Cfg("name", "fc")));
        Assert.True(AllEqual(Param(model, "conv.weight"), 2));
        Assert.True(AllEqual(Param(model, "fc.weight"), 2));
    }

    [Fact]
    public void Initialize_TypedOverride_RunsAfterTheMainConfig()
    {
        var model = Net("Head", ("conv", nn.Conv2d(2, 2, 3)), ("cls", nn.Conv2d(2, 3, 3)));
        Init(model, Cfg("type", "Normal", "std", 0.01, "layer", "Conv2d",
            "override", Cfg("name", "cls", "type", "Normal", "std", 0.01, "bias_prob", 0.01)));
        Assert.True(AllEqual(Param(model, "conv.bias"), 0));
        Assert.True(AllEqual(Param(model, "cls.bias"), -Math.Log(99)));
        Assert.Equal("NormalInit: mean=0, std=0.01, bias=-4.59511985013459", InitReport.For(model).First(r => r.Name == "cls.weight").InitInfo);
    }

    [Fact]
    public void Initialize_WholeModuleOverride_HitsEverySubmoduleWithWeightIncludingNorms()
    {
        var block = new MMEngineSequential(new nn.Module[] { nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.GroupNorm(2, 4) });
        var model = Net("Net", ("stem", nn.Conv2d(3, 3, 1)), ("block", block));
        var stem = Snapshot(Sub(model, "stem"));
        Init(model, Cfg("type", "Constant", "val", 0.5, "bias", 0.25, "override", Cfg("name", "block")));
        foreach (var n in new[] { "block.0", "block.1", "block.3" })
            Assert.True(AllEqual(Param(model, n + ".weight"), 0.5) && AllEqual(Param(model, n + ".bias"), 0.25), n);
        AssertUnchanged(Sub(model, "stem"), stem);
    }

    [Fact]
    public void Initialize_DottedOverrideName_TargetsNestedModule()
    {
        var head = Net("Head", ("cls", nn.Linear(2, 2)), ("reg", nn.Linear(2, 2)));
        var model = Net("Net", ("head", head));
        var reg = Snapshot(Sub(head, "reg"));
        Init(model, Cfg("type", "Constant", "val", 1, "override", Cfg("name", "head.cls")));
        Assert.True(AllEqual(Param(model, "head.cls.weight"), 1));
        AssertUnchanged(Sub(head, "reg"), reg);
    }

    [Fact]
    public void Initialize_OverrideList_AppliesEachInOrder()
    {
        var model = Net("Net", ("a", nn.Linear(2, 2)), ("b", nn.Linear(2, 2)));
        Init(model, Cfg("type", "Constant", "val", 1, "override",
            List(Cfg("name", "a"), Cfg("name", "b", "type", "Constant", "val", 2), Cfg("name", "a", "type", "Constant", "val", 3))));
        Assert.True(AllEqual(Param(model, "a.weight"), 3));
        Assert.True(AllEqual(Param(model, "b.weight"), 2));
        Assert.Equal("init_cfg[0].override[2]", InitReport.For(model)[0].ConfigPath);
    }

    [Fact]
    public void Initialize_OverrideNameNotFound_ThrowsWithHintAndChangesNothing()
    {
        var model = Net("Net", ("head", nn.Linear(2, 2)), ("conv", nn.Conv2d(1, 1, 1)));
        var before = Snapshot(model);
        var e = Assert.Throws<InitCfgException>(() => Init(model,
            Cfg("type", "Constant", "val", 1, "layer", "Conv2d", "override", Cfg("name", "hed", "type", "Constant", "val", 2))));
        Assert.Equal(ErrorIds.OverrideNameNotFound, e.ErrorId);
        Assert.Equal("init_cfg[0].override[0].name", e.ConfigPath);
        Assert.Contains("did not have attribute hed", e.Message);
        Assert.Contains("Did you mean 'head'?", e.Message);
        AssertUnchanged(model, before);
    }

    [Fact]
    public void Initialize_OverrideMissingNameInsideWalk_UsesModelPath()
    {
        var head = Net("Head", ("fc", nn.Linear(2, 2)));
        head.InitCfg = Cfg("type", "Constant", "val", 1, "override", Cfg("type", "Constant", "val", 2));
        var e = Assert.Throws<InitCfgException>(() => Init(Net("Net", ("head", head)), null));
        Assert.Equal(ErrorIds.OverrideMissingName, e.ErrorId);
        Assert.Equal("head.init_cfg.override", e.ConfigPath);
    }
}
