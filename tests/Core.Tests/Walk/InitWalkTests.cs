using InitCfg.Core.Modules;
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using TorchSharp.Modules;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Walk;

/// <summary>The init_weights walk (MMEngine's BaseModule.init_weights): order, priority, skipping, records.</summary>
public class InitWalkTests
{
    /// <summary>A layer-like module with its own weight and a child, to see parent-versus-child order.</summary>
    private sealed class Block : BaseModule
    {
        private readonly Linear inner;
        private readonly Parameter weight;

        public Block() : base(nameof(Block))
        {
            inner = nn.Linear(3, 3);
            weight = nn.Parameter(zeros(4));
            RegisterComponents();
        }
    }

    [Fact]
    public void Initialize_OneConfig_DrawsInRegistrationOrder()
    {
        var model = Net("Net", ("a", new InitCfg.Core.Modules.MMEngineSequential(new nn.Module[] { nn.Linear(3, 4), nn.Linear(4, 5) })), ("b", nn.Linear(5, 2)));
        Init(model, Cfg("type", "Normal", "layer", "Linear"), seed: 5);
        using var g = new Generator(5);
        using var scope = NewDisposeScope(); // holds the expected tensors while Equals reads them
        Assert.True(Param(model, "a.0.weight").Equals(empty(4, 3).normal_(0, 1, g)));
        Assert.True(Param(model, "a.1.weight").Equals(empty(5, 4).normal_(0, 1, g)));
        Assert.True(Param(model, "b.weight").Equals(empty(2, 5).normal_(0, 1, g)));
    }

    [Fact]
    public void Initialize_OneConfig_VisitsChildrenBeforeTheirParent()
    {
        var block = new Block();
        Init(block, Cfg("type", "Normal", "layer", List("Block", "Linear")), seed: 9);
        using var g = new Generator(9);
        using var scope = NewDisposeScope(); // holds the expected tensors while Equals reads them
        Assert.True(Param(block, "inner.weight").Equals(empty(3, 3).normal_(0, 1, g)));
        Assert.True(Param(block, "weight").Equals(empty(4).normal_(0, 1, g)));
    }

    [Fact]
    public void Initialize_ConfigList_AppliesInOrderSoTheLaterWins()
    {
        var model = Net("Net", ("fc", nn.Linear(3, 3)));
        Init(model, List(Cfg("type", "Constant", "val", 1, "layer", "Linear"), Cfg("type", "Constant", "val", 2, "layer", "Linear")));
        Assert.True(AllEqual(Param(model, "fc.weight"), 2));
        var record = InitReport.For(model)[0];
        Assert.Equal("ConstantInit: val=2, bias=0", record.InitInfo);
        Assert.Equal("init_cfg[1]", record.ConfigPath);
    }

    [Fact]
    public void Initialize_BadSecondConfig_ChangesNothingAtAll()
    {
        var model = Net("Net", ("conv", nn.Conv2d(2, 2, 3)), ("fc", nn.Linear(3, 3)));
        var before = Snapshot(model);
        var e = Assert.Throws<InitCfgException>(() => Init(model,
            List(Cfg("type", "Constant", "val", 1, "layer", "Linear"), Cfg("type", "Normal", "std", "big", "layer", "Conv2d"))));
        Assert.Equal("init_cfg[1].std", e.ConfigPath);
        AssertUnchanged(model, before);
        Assert.All(InitReport.For(model), r => Assert.Null(r.InitInfo));
        Assert.False(InitAttachment.IsInitialized(model));
    }

    [Fact]
    public void Initialize_ChildConfig_WinsOverParentConfig()
    {
        const string json = """
        {"type": "ModuleList", "init_cfg": {"type": "Constant", "layer": ["Conv1d", "Conv2d"], "val": 4.0, "bias": 5.0},
         "modules": [
          {"type": "Module", "init_cfg": {"type": "Constant", "layer": "Conv1d", "val": 0.0, "bias": 1.0},
           "modules": {"conv1d": {"type": "Conv1d", "in_channels": 4, "out_channels": 1, "kernel_size": 4}}},
          {"type": "Module", "init_cfg": {"type": "Constant", "layer": "Conv2d", "val": 2.0, "bias": 3.0},
           "modules": {"conv2d": {"type": "Conv2d", "in_channels": 3, "out_channels": 1, "kernel_size": 3}}}]}
        """;
        var model = new ModelBuilder().Build(ConfigReader.FromJson(json, ConfigPath.Root("model")));
        Init(model, null);
        Assert.True(AllEqual(Param(model, "0.conv1d.weight"), 0) && AllEqual(Param(model, "0.conv1d.bias"), 1));
        Assert.True(AllEqual(Param(model, "1.conv2d.weight"), 2) && AllEqual(Param(model, "1.conv2d.bias"), 3));
        var r = InitReport.For(model);
        Assert.Equal("ConstantInit: val=0.0, bias=1.0", r[0].InitInfo);
        Assert.Equal("ConstantInit: val=2.0, bias=3.0", r[3].InitInfo);
        Assert.Equal("1", r[3].ModulePath);
        Assert.Equal("1.init_cfg[0]", r[3].ConfigPath);
    }

    [Fact]
    public void Initialize_PlainContainerBetweenConfiguredModules_HidesTheInnerConfigAndWarns()
    {
        var inner = Net("Inner", ("fc", nn.Linear(2, 2)));
        inner.InitCfg = Cfg("type", "Constant", "val", 7, "layer", "Linear");
        var model = Net("Net", ("seq", nn.Sequential(("0", inner))), ("conv", nn.Conv2d(1, 1, 1)));
        var before = Values(Param(model, "seq.0.fc.weight"));
        var result = Init(model, Cfg("type", "Constant", "val", 1, "layer", "Conv2d"));
        Assert.Equal(before, Values(Param(model, "seq.0.fc.weight")));
        Assert.True(AllEqual(Param(model, "conv.weight"), 1));
        var w = Assert.Single(result.Warnings);
        Assert.Equal(InitWarning.ModuleNotReached, w.WarningId);
        Assert.Equal("seq.0", w.Path);
        Assert.Contains("inside seq (Sequential)", w.Message);
    }

    [Fact]
    public void Initialize_IncludeUnreached_RunsTheHiddenConfig()
    {
        var inner = Net("Inner", ("fc", nn.Linear(2, 2)));
        inner.InitCfg = Cfg("type", "Constant", "val", 7, "layer", "Linear");
        var model = Net("Net", ("seq", nn.Sequential(("0", inner))));
        var result = new InitEngine().Initialize(model, new InitOptions { Seed = 0, IncludeUnreached = true });
        Assert.True(AllEqual(Param(model, "seq.0.fc.weight"), 7));
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("nn.ModuleList", false)]
    [InlineData("nn.Sequential", false)]
    [InlineData("ModuleList", true)]
    [InlineData("Sequential", true)]
    public void Initialize_ConfigContainers_OnlyMmengineOnesAreEntered(string container, bool entered)
    {
        var model = new ModelBuilder().Build(Cfg("type", "Module", "modules", Cfg("box", Cfg("type", container, "modules",
            List(Cfg("type", "Linear", "in_features", 2L, "out_features", 2L, "init_cfg", Cfg("type", "Constant", "val", 5L, "layer", "Linear")))))));
        var result = Init(model, null);
        Assert.Equal(entered, AllEqual(Param(model, "box.0.weight"), 5));
        Assert.Equal(entered ? 0 : 1, result.Warnings.Count(w => w.WarningId == InitWarning.ModuleNotReached && w.Path == "box.0"));
    }

    [Fact]
    public void Initialize_PlainContainerOfMmengineModules_LeavesTheirOwnInitUnrun()
    {
        // FPN's ConvModules sit in an nn.ModuleList: the parent's Xavier writes them, their own Kaiming init does not run.
        var conv = new global::InitCfg.Core.MMDet.Bricks.ConvModule(2, 2, 1, actCfg: null);
        var model = Net("Neck", ("lateral_convs", nn.ModuleList(conv)));
        Init(model, Cfg("type", "Constant", "val", 3, "layer", "Conv2d"));
        Assert.True(AllEqual(Param(model, "lateral_convs.0.conv.weight"), 3));
        Assert.False(InitAttachment.IsInitialized(conv));
    }

    [Fact]
    public void Initialize_ModuleMarkedInitialized_IsSkippedWithItsSubtree()
    {
        var deep = nn.Linear(2, 2);
        InitAttachment.SetConfig(deep, Cfg("type", "Constant", "val", 8, "layer", "Linear"));
        var a = Net("A", ("fc", nn.Linear(2, 2)), ("deep", deep));
        a.InitCfg = Cfg("type", "Constant", "val", 9, "layer", "Linear");
        a.IsInit = true;
        var model = Net("Net", ("a", a), ("b", nn.Linear(2, 2)));
        var before = Snapshot(a);
        Init(model, Cfg("type", "Constant", "val", 1, "override", Cfg("name", "b")));
        AssertUnchanged(a, before);
        Assert.True(AllEqual(Param(model, "b.weight"), 1));
        Assert.Equal("The value is the same before and after calling `init_weights` of Net ",
            InitReport.For(model).First(r => r.Name == "a.fc.weight").InitInfo);
    }

    [Fact]
    public void Initialize_Records_CarryOwnerModulePathAndConfigPath()
    {
        var head = Net("Head", ("fc", nn.Linear(2, 2)), ("conv", nn.Conv2d(1, 1, 1)));
        head.InitCfg = Cfg("type", "Constant", "val", 1, "layer", "Linear");
        var model = Net("Net", ("head", head));
        Init(model, Cfg("type", "Kaiming", "layer", "Conv2d"));
        var r = InitReport.For(model).ToDictionary(x => x.Name);
        Assert.Equal(("head", "head.init_cfg[0]", "Constant"), (r["head.fc.weight"].ModulePath, r["head.fc.weight"].ConfigPath, r["head.fc.weight"].Initializer));
        Assert.Equal(("", "init_cfg[0]", "Kaiming"), (r["head.conv.weight"].ModulePath, r["head.conv.weight"].ConfigPath, r["head.conv.weight"].Initializer));
        Assert.Equal(1L, r["head.fc.weight"].Arguments!["val"]);
        Assert.True(r["head.fc.bias"].Written);
    }

    [Fact]
    public void Initialize_UntouchedParameters_ReportSameTextWithRootClass()
    {
        var model = Net("ToyNet", ("conv", nn.Conv2d(1, 1, 1)), ("fc", nn.Linear(2, 2)));
        Init(model, Cfg("type", "Constant", "val", 1, "layer", "Linear"));
        var conv = InitReport.For(model).First(r => r.Name == "conv.weight");
        Assert.Equal("The value is the same before and after calling `init_weights` of ToyNet ", conv.InitInfo);
        Assert.False(conv.Written);
        Assert.Null(conv.Initializer);
    }

    [Fact]
    public void Initialize_ExactRecord_NamesLastWriterEvenWhenValueUnchanged()
    {
        var fc = nn.Linear(2, 2);
        Init(fc, List(Cfg("type", "Constant", "val", 1, "layer", "Linear"), Cfg("type", "Constant", "val", 1, "bias", 0.0, "layer", "Linear")));
        Assert.Equal("ConstantInit: val=1, bias=0.0", InitReport.For(fc)[0].InitInfo);
    }
}
