using InitCfg.Core.Modules;
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Building;

public class ModelBuilderTests
{
    private static readonly ConfigPath Model = ConfigPath.Root("model");

    private static InitCfgException BuildError(object config) => Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(config));

    private static object Json(string text) => ConfigReader.FromJson(text, Model)!;

    [Fact]
    public void Build_SequentialAndModuleList_NameChildrenByIndex()
    {
        foreach (var type in new[] { "Sequential", "ModuleList" })
        {
            var m = new ModelBuilder().Build(Cfg("type", type, "modules", List(
                Cfg("type", "Linear", "in_features", 4, "out_features", 3), Cfg("type", "ReLU"), Cfg("type", "Linear", "in_features", 3, "out_features", 2))));
            Assert.Equal(new[] { "0", "1", "2" }, m.named_children().Select(c => c.name));
            Assert.Equal(type, LayerTypeNames.ClassName(m));
        }
    }

    [Fact]
    public void Build_Sequential_RunsForward()
    {
        var m = (nn.Module<Tensor, Tensor>)new ModelBuilder().Build(Json("""
            {"type": "Sequential", "modules": [{"type": "Linear", "in_features": 4, "out_features": 3}, {"type": "ReLU"}]}
            """));
        Assert.Equal(new long[] { 2, 3 }, m.call(zeros(2, 4)).shape);
    }

    [Fact]
    public void Build_ModuleWithClassName_KeepsChildOrderAndClassName()
    {
        var m = new ModelBuilder().Build(Json("""
            {"type": "Module", "class_name": "ResNetLike", "modules": {
              "stem": {"type": "Conv2d", "in_channels": 3, "out_channels": 4, "kernel_size": 3},
              "bn": {"type": "BatchNorm2d", "num_features": 4},
              "head": {"type": "ModuleDict", "modules": {"fc": {"type": "Linear", "in_features": 4, "out_features": 2}}}}}
            """));
        Assert.Equal(new[] { "stem", "bn", "head" }, m.named_children().Select(c => c.name));
        Assert.Equal("ResNetLike", LayerTypeNames.ClassName(m));
        Assert.Equal("ModuleDict", LayerTypeNames.ClassName(Sub(m, "head")));
        Assert.Equal(new[] { "stem.weight", "stem.bias", "bn.weight", "bn.bias", "head.fc.weight", "head.fc.bias" },
            m.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void Build_ModuleWithoutClassName_IsCalledModule() =>
        Assert.Equal("Module", LayerTypeNames.ClassName(new ModelBuilder().Build(Cfg("type", "Module", "modules", Cfg("fc", Cfg("type", "Identity"))))));

    [Fact]
    public void Build_YamlConfig_BuildsAndCarriesInitCfg()
    {
        const string yaml = """
            type: Module
            class_name: Toy
            init_cfg: {type: Kaiming, layer: Conv2d}
            modules:
              feat: {type: Conv2d, in_channels: 3, out_channels: 16, kernel_size: 3}
              cls:
                type: Linear
                in_features: 16
                out_features: 10
                init_cfg: {type: Normal, std: 0.01}
            """;
        var m = new ModelBuilder().Build(ConfigReader.FromYaml(yaml, Model));
        Assert.Equal("dict(type='Kaiming', layer='Conv2d')", Assert.Single(Fixtures.AttachedConfigs(m)).ToString());
        Assert.Equal("dict(type='Normal', std=0.01)", Assert.Single(Fixtures.AttachedConfigs(Sub(m, "cls"))).ToString());
        Init(m, null);
        Assert.Equal("KaimingInit: a=0, mode=fan_out, nonlinearity=relu, distribution =normal, bias=0",
            InitCfg.Core.Reports.InitReport.For(m)[0].InitInfo);
    }

    [Fact]
    public void Build_UnknownType_NamesNearest()
    {
        var e = BuildError(Cfg("type", "Module", "modules", Cfg("conv", Cfg("type", "Conv2dd", "in_channels", 1))));
        Assert.Equal(ErrorIds.UnknownModuleType, e.ErrorId);
        Assert.Equal("model.conv.type", e.ConfigPath);
        Assert.Contains("Did you mean 'Conv2d'?", e.Message);
    }

    [Fact]
    public void Build_UnknownArgument_HasChildPathAndNearest()
    {
        var e = BuildError(Cfg("type", "Module", "modules", Cfg("fc", Cfg("type", "Linear", "in_features", 4, "out_features", 2, "out_featurs", 3))));
        Assert.Equal(ErrorIds.UnknownArgument, e.ErrorId);
        Assert.Equal("model.fc.out_featurs", e.ConfigPath);
        Assert.Contains("Did you mean 'out_features'?", e.Message);
    }

    [Fact]
    public void Build_MissingRequired_ThrowsMissingArgument()
    {
        var e = BuildError(Cfg("type", "Linear", "out_features", 2));
        Assert.Equal(ErrorIds.MissingArgument, e.ErrorId);
        Assert.Equal("model", e.ConfigPath);
        Assert.Contains("'in_features'", e.Message);
    }

    [Theory]
    [InlineData("kernel_size", "x")]
    [InlineData("in_channels", 1.5)]
    [InlineData("bias", "yes")]
    public void Build_WrongArgumentType_ThrowsInvalidArgumentType(string key, object value)
    {
        var cfg = Cfg("type", "Conv2d", "in_channels", 1, "out_channels", 1, "kernel_size", 3);
        cfg[key] = value;
        var e = BuildError(cfg);
        Assert.Equal(ErrorIds.InvalidArgumentType, e.ErrorId);
        Assert.Equal("model." + key, e.ConfigPath);
    }

    [Fact]
    public void Build_KernelSizeOfWrongLength_ThrowsInvalidArgumentType() =>
        Assert.Equal(ErrorIds.InvalidArgumentType, BuildError(Cfg("type", "Conv2d", "in_channels", 1, "out_channels", 1, "kernel_size", List(3, 3, 3))).ErrorId);

    [Fact]
    public void Build_SeveralProblems_ReportsThemAllAtOnce()
    {
        var e = BuildError(Cfg("type", "Sequential", "foo", 1, "modules", List(
            Cfg("type", "Linear", "in_features", "4", "out_features", 2),
            Cfg("type", "Relu6"),
            7)));
        var paths = e.Problems.Select(p => p.Path).ToArray();
        Assert.Contains("model.foo", paths);
        Assert.Contains("model.0.in_features", paths);
        Assert.Contains("model.1.type", paths);
        Assert.Contains("model.2", paths);
        Assert.Equal(4, e.Problems.Count);
    }

    [Fact]
    public void Build_ModulesOfWrongKind_ThrowsInvalidArgumentType() =>
        Assert.Equal("model.modules", BuildError(Cfg("type", "ModuleDict", "modules", List(Cfg("type", "ReLU")))).ConfigPath);

    [Fact]
    public void Build_NodeWithoutType_ThrowsMissingType() =>
        Assert.Equal(ErrorIds.MissingType, BuildError(Cfg("in_features", 1)).ErrorId);

    [Fact]
    public void Build_BadInitCfg_DoesNotFailBuildButInitializeRefusesIt()
    {
        var builder = new ModelBuilder();
        var m = builder.Build(Cfg("type", "Module", "modules", Cfg("fc",
            Cfg("type", "Linear", "in_features", 2, "out_features", 2, "init_cfg", Cfg("type", "Kaimin", "layer", "Linear")))));
        var problem = Assert.Single(builder.InitCfgProblems);
        Assert.Equal(ErrorIds.UnknownInitializerType, problem.ErrorId);
        Assert.Equal("model.fc.init_cfg.type", problem.Path);
        var before = Snapshot(m);
        var e = Assert.Throws<InitCfgException>(() => Init(m, null));
        Assert.Equal(ErrorIds.UnknownInitializerType, e.ErrorId);
        Assert.Equal("fc.init_cfg.type", e.ConfigPath);
        AssertUnchanged(m, before);
    }

    [Fact]
    public void Build_InitCfgOnLeaf_IsAttachedAndApplied()
    {
        var m = new ModelBuilder().Build(Cfg("type", "Linear", "in_features", 2, "out_features", 2, "init_cfg", Cfg("type", "Constant", "val", 4, "layer", "Linear")));
        Init(m, null);
        Assert.True(AllEqual(Param(m, "weight"), 4));
    }

    // Same root cause as ConfigReaderTests.FromObject_Dictionary_KeepsIntsApartFromFloats.
    [Fact]
    public void Build_GenericDictionaryTree_Builds()
    {
        var m = new ModelBuilder().Build(new Dictionary<string, object?>
        {
            ["type"] = "Module",
            ["modules"] = new Dictionary<string, object?> { ["fc"] = new Dictionary<string, object?> { ["type"] = "Linear", ["in_features"] = 4, ["out_features"] = 2 } },
        });
        Assert.Equal(new long[] { 2, 4 }, Param(m, "fc.weight").shape);
    }

    [Fact]
    public void BuildFile_Json_Builds()
    {
        var file = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json");
        File.WriteAllText(file, """{"type": "Linear", "in_features": 3, "out_features": 2}""");
        try { Assert.Equal(new long[] { 2, 3 }, Param(new ModelBuilder().BuildFile(file), "weight").shape); }
        finally { File.Delete(file); }
    }
}
