using System.Text;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Modules;
using InitCfg.Core.Reports;
using InitCfg.Core.Tests.Checkpoints;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

public sealed class PretrainedInitTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly string _cache;

    public PretrainedInitTests() => _cache = Directory.CreateDirectory(_dir.File("hub")).FullName;

    public void Dispose() => _dir.Dispose();

    /// <summary>Full state of the backbone: every float tensor filled with its index + 1 (so each key is told apart), under a prefix.</summary>
    private static List<KeyValuePair<string, Tensor>> BackboneState(string prefix = "", params string[] skip)
    {
        var state = new List<KeyValuePair<string, Tensor>>();
        int i = 0;
        foreach (var e in ModuleState.Entries(Backbone()))
        {
            i++;
            if (skip.Contains(e.Name)) continue;
            var t = e.Tensor.dtype == ScalarType.Int64 ? full(e.Tensor.shape, 42L, ScalarType.Int64) : full(e.Tensor.shape, (double)i);
            state.Add(new(prefix + e.Name, t));
        }
        return state;
    }

    private string Save(string name, IEnumerable<KeyValuePair<string, Tensor>> state, string? folder = null)
    {
        var path = Path.Combine(folder ?? _dir.Path, name);
        CheckpointFile.Write(path, state.ToArray(), CheckpointFile.FormatOf(path), overwrite: true);
        return path;
    }

    private InitResult Init(nn.Module model, object? initCfg, bool strict = false) =>
        new InitEngine().Initialize(model, new InitOptions
        {
            InitCfg = initCfg,
            Seed = 0,
            Strict = strict,
            Environment = new InitEnvironment { Checkpoints = new CheckpointLocator(_cache, _dir.Path) },
        });

    private InitCfgException InitFails(nn.Module model, object? initCfg) => Assert.Throws<InitCfgException>(() => Init(model, initCfg));

    private static ParameterInitRecord Rec(nn.Module model, string name) => InitReport.For(model).First(r => r.Name == name);

    private static Tensor Buffer(nn.Module model, string name) => model.named_buffers().First(b => b.name == name).buffer;

    [Fact]
    public void Init_PlainStateDict_LoadsParametersAndBuffersExactly()
    {
        var model = Backbone();
        var file = Save("plain.pth", BackboneState());
        var result = Init(model, Cfg("type", "Pretrained", "checkpoint", file));

        Assert.True(AllEqual(Param(model, "conv1.weight"), 1));
        Assert.True(AllEqual(Param(model, "fc.bias"), 9));
        Assert.True(AllEqual(Buffer(model, "bn1.running_mean"), 5));
        Assert.True(AllEqual(Buffer(model, "bn1.running_var"), 6));
        Assert.Equal(42L, Buffer(model, "bn1.num_batches_tracked").item<long>());
        Assert.Equal($"PretrainedInit: load from {file}", Rec(model, "conv1.weight").InitInfo);
        Assert.Equal("Pretrained", Rec(model, "bn1.bias").Initializer);
        var load = Assert.Single(result.LoadReports);
        Assert.True(load.IsComplete);
        Assert.Equal(9, load.Loaded.Count);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("w.safetensors")]
    [InlineData("w.dat")]
    public void Init_OtherFormats_LoadTheSame(string name)
    {
        var model = Backbone();
        Init(model, Cfg("type", "Pretrained", "checkpoint", Save(name, BackboneState())));
        Assert.True(AllEqual(Param(model, "bn1.weight"), 3));
        Assert.True(AllEqual(Buffer(model, "bn1.running_var"), 6));
    }

    [Fact]
    public void Init_PrefixBackbone_LoadsOnlyKeysUnderItWithPrefixRemoved()
    {
        var model = Backbone();
        var state = BackboneState("backbone.");
        state.Add(new("neck.conv.weight", ones(4, 4, 1, 1)));
        state.Add(new("head.fc.weight", ones(2, 4)));
        state.Add(new("conv1.weight", full(4, 3, 3, 3, -1f))); // same name, but not under the prefix
        var file = Save("detector.pth", state);

        var result = Init(model, Cfg("type", "Pretrained", "checkpoint", file, "prefix", "backbone."));

        Assert.True(AllEqual(Param(model, "conv1.weight"), 1));
        var load = Assert.Single(result.LoadReports);
        Assert.Equal("backbone.", load.Prefix);
        Assert.True(load.IsComplete, load.ToString());
        Assert.Equal(9, load.Loaded.Count);
    }

    [Fact]
    public void Init_PrefixWithoutTrailingDot_LoadsLikeMmengine()
    {
        // MMEngine's _load_checkpoint_with_prefix appends '.' to a prefix that lacks it.
        var model = Backbone();
        var state = BackboneState("backbone.");
        state.Add(new("backbone_extra.weight", ones(1)));
        var result = Init(model, Cfg("type", "Pretrained", "checkpoint", Save("nodot.pth", state), "prefix", "backbone"));
        Assert.True(AllEqual(Param(model, "conv1.weight"), 1));
        Assert.True(Assert.Single(result.LoadReports).IsComplete);
    }

    [Fact]
    public void Init_PrefixMatchingNothing_WarnsAndChangesNothing()
    {
        var model = Backbone();
        var before = Snapshot(model);
        var result = Init(model, Cfg("type", "Pretrained", "checkpoint", Save("d.pth", BackboneState("backbone.")), "prefix", "neck."));
        AssertUnchanged(model, before);
        Assert.Contains(result.Warnings, w => w.WarningId == InitWarning.CheckpointLoadsNothing && w.Message.Contains("'neck.'"));
    }

    [Fact]
    public void Init_PretrainedListedFirst_StillRunsAfterTheOtherConfigsAndTheChildren()
    {
        var model = Backbone();
        // The child's own config, and a later root config, both write conv1; Pretrained must win where it has keys.
        InitAttachment.SetConfig(Sub(model, "conv1"), Cfg("type", "Constant", "val", 7, "layer", "Conv2d"));
        var file = Save("partial.pth", BackboneState("", "conv1.bias", "fc.weight", "fc.bias"));

        Init(model, List(
            Cfg("type", "Pretrained", "checkpoint", file),
            Cfg("type", "Constant", "val", 5, "bias", 3, "layer", List("Conv2d", "Linear"))));

        Assert.True(AllEqual(Param(model, "conv1.weight"), 1));
        Assert.StartsWith("PretrainedInit", Rec(model, "conv1.weight").InitInfo);
        // Keys the checkpoint lacks keep what ran before it: the child's config wins over the root's.
        Assert.True(AllEqual(Param(model, "conv1.bias"), 0));
        Assert.Equal("ConstantInit: val=7, bias=0", Rec(model, "conv1.bias").InitInfo);
        Assert.True(AllEqual(Param(model, "fc.weight"), 5));
        Assert.True(AllEqual(Param(model, "fc.bias"), 3));
    }

    [Fact]
    public void Init_PretrainedOnAChild_RunsAfterTheParentsConfigs()
    {
        var inner = Backbone();
        var model = Net("Detector", ("backbone", inner), ("head", nn.Linear(2, 2)));
        InitAttachment.SetConfig(inner, Cfg("type", "Pretrained", "checkpoint", Save("bb.pth", BackboneState())));

        Init(model, Cfg("type", "Constant", "val", 5, "layer", List("Conv2d", "Linear")));

        Assert.True(AllEqual(Param(model, "backbone.conv1.weight"), 1));
        Assert.True(AllEqual(Param(model, "backbone.fc.weight"), 8));
        Assert.True(AllEqual(Param(model, "head.weight"), 5));
        var load = Assert.Single(ParameterWrites.GetLoads(model));
        Assert.Equal("backbone", load.ModulePath);
    }

    [Fact]
    public void Init_OverrideInsidePretrained_AppliesRightAfterLoading()
    {
        var model = Backbone();
        var file = Save("all.pth", BackboneState());
        Init(model, Cfg("type", "Pretrained", "checkpoint", file,
            "override", Cfg("name", "fc", "type", "Constant", "val", 0, "bias", 1)));

        Assert.True(AllEqual(Param(model, "conv1.weight"), 1));
        Assert.True(AllEqual(Param(model, "fc.weight"), 0));
        Assert.True(AllEqual(Param(model, "fc.bias"), 1));
        Assert.Equal("ConstantInit: val=0, bias=1", Rec(model, "fc.weight").InitInfo);
    }

    [Fact]
    public void Init_PretrainedAsOverride_LoadsIntoTheNamedChild()
    {
        var model = Net("Detector", ("backbone", Backbone()), ("head", nn.Linear(2, 2)));
        var file = Save("det.pth", BackboneState("backbone."));
        var result = Init(model, Cfg("type", "Constant", "val", 3, "layer", "Linear",
            "override", Cfg("name", "backbone", "type", "Pretrained", "checkpoint", file, "prefix", "backbone.")));

        Assert.True(AllEqual(Param(model, "backbone.bn1.weight"), 3));
        Assert.True(AllEqual(Param(model, "head.weight"), 3));
        Assert.True(Assert.Single(result.LoadReports).IsComplete);
    }

    [Fact]
    public void Init_ShapeMismatch_SkipsTheKeyWithAWarningAndLoadsTheRest()
    {
        var model = Backbone();
        var fcBefore = CopyOf(Param(model, "fc.weight"));
        var state = BackboneState("", "fc.weight");
        state.Add(new("fc.weight", ones(10, 4))); // a 10-class head
        state.Add(new("extra.weight", ones(1)));
        var file = Save("mismatch.pth", state);

        var result = Init(model, Cfg("type", "Pretrained", "checkpoint", file), strict: true);

        Assert.True(Param(model, "fc.weight").Equals(fcBefore));
        Assert.True(AllEqual(Param(model, "fc.bias"), 9));
        Assert.Contains(result.Warnings, w => w.WarningId == InitWarning.CheckpointShapeMismatch && w.Message.Contains("fc.weight: checkpoint [10, 4] vs model [2, 4]"));
        Assert.Contains(result.Warnings, w => w.WarningId == InitWarning.CheckpointUnexpectedKeys && w.Message.Contains("extra.weight"));
        var load = Assert.Single(ParameterWrites.GetLoads(model));
        Assert.Equal("fc.weight", Assert.Single(load.ShapeMismatched).Name);
        Assert.Equal(new[] { "extra.weight" }, load.Unexpected);
        Assert.Empty(load.Missing);
    }

    [Fact]
    public void Init_MissingKeys_WarnsNamingThem()
    {
        var model = Backbone();
        var result = Init(model, Cfg("type", "Pretrained", "checkpoint", Save("m.pth", BackboneState("", "bn1.running_mean", "fc.bias"))));
        var w = Assert.Single(result.Warnings, w => w.WarningId == InitWarning.CheckpointMissingKeys);
        Assert.Contains("bn1.running_mean, fc.bias", w.Message);
        Assert.StartsWith("init_cfg", w.Path);
    }

    [Fact]
    public void Init_NonFiniteValues_Warn()
    {
        var model = Backbone();
        var state = BackboneState("", "fc.bias");
        state.Add(new("fc.bias", tensor(new[] { float.NaN, 1f })));
        var result = Init(model, Cfg("type", "Pretrained", "checkpoint", Save("nan.safetensors", state)));
        Assert.Contains(result.Warnings, w => w.WarningId == InitWarning.CheckpointNonFinite && w.Message.Contains("fc.bias"));
    }

    [Fact]
    public void Init_MissingFile_StopsTheWholeCallBeforeAnyChange()
    {
        var model = Backbone();
        var before = Snapshot(model);
        var missing = _dir.File("nowhere.pth");
        var e = InitFails(model, List(Cfg("type", "Constant", "val", 9, "layer", "Conv2d"), Cfg("type", "Pretrained", "checkpoint", missing)));

        Assert.Equal(ErrorIds.CheckpointNotFound, e.ErrorId);
        Assert.Contains(missing, e.Message);
        Assert.Contains("init_cfg[1].checkpoint", e.Message + e.ConfigPath);
        AssertUnchanged(model, before);
        Assert.All(InitReport.For(model), r => Assert.Null(r.InitInfo));
        Assert.False(InitAttachment.IsInitialized(model));
    }

    public static IEnumerable<object[]> BadFiles() => new[]
    {
        new object[] { "truncated", ErrorIds.CheckpointUnreadable },
        new object[] { "text", ErrorIds.CheckpointUnreadable },
        new object[] { "empty", ErrorIds.CheckpointUnreadable },
        new object[] { "unsafe", ErrorIds.CheckpointUnsafe },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Init_BadFile_StopsTheWholeCallBeforeAnyChange(string kind, string errorId)
    {
        var path = _dir.File(kind + ".pth");
        switch (kind)
        {
            case "truncated":
                Save("good.pth", BackboneState());
                var bytes = File.ReadAllBytes(_dir.File("good.pth"));
                File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
                break;
            case "text": File.WriteAllText(path, "type: Kaiming\nlayer: Conv2d\n"); break;
            case "empty": File.WriteAllBytes(path, Array.Empty<byte>()); break;
            default:
                File.WriteAllBytes(path, PickleBytes.Zip(new PickleBytes().Global("os", "system").Mark().Str("echo pwned").Tuple().Reduce().Stop().ToArray()));
                break;
        }
        var model = Backbone();
        var before = Snapshot(model);
        var runningMean = Buffer(model, "bn1.running_mean").clone();

        var e = InitFails(model, List(Cfg("type", "Constant", "val", 9, "layer", "Conv2d"), Cfg("type", "Pretrained", "checkpoint", path)));

        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(path, e.Message);
        AssertUnchanged(model, before);
        Assert.True(Buffer(model, "bn1.running_mean").Equals(runningMean));
        Assert.Empty(ParameterWrites.GetLoads(model));
    }

    [Fact]
    public void Init_TorchvisionUri_ResolvesInTheCacheFolder()
    {
        var model = Backbone();
        Save("resnet18-f37072fd.pth", BackboneState(), _cache);
        var result = Init(model, Cfg("type", "Pretrained", "checkpoint", "torchvision://resnet18"));
        Assert.True(AllEqual(Param(model, "conv1.weight"), 1));
        Assert.Equal("PretrainedInit: load from torchvision://resnet18", Rec(model, "conv1.weight").InitInfo);
        Assert.Equal(Path.Combine(_cache, "resnet18-f37072fd.pth"), Assert.Single(result.LoadReports).File);
    }

    [Fact]
    public void Init_OpenMmlabUri_ResolvesNameDashHash()
    {
        var model = Backbone();
        Save("backbone_v1-0123abcd.pth", BackboneState(), _cache);
        Init(model, Cfg("type", "Pretrained", "checkpoint", "open-mmlab://backbone_v1"));
        Assert.True(AllEqual(Param(model, "fc.weight"), 8));
    }

    [Fact]
    public void Init_UriMissing_NamesTheExpectedPath()
    {
        var e = InitFails(Backbone(), Cfg("type", "Pretrained", "checkpoint", "torchvision://resnet50"));
        Assert.Equal(ErrorIds.CheckpointNotFound, e.ErrorId);
        Assert.Contains(Path.Combine(_cache, "resnet50-0676ba61.pth"), e.Message);
    }

    [Fact]
    public void Init_UriEscapingTheFolder_Refused() =>
        Assert.Equal(ErrorIds.CheckpointPathEscapes, InitFails(Backbone(), Cfg("type", "Pretrained", "checkpoint", "torchvision://../x")).ErrorId);

    [Fact]
    public void Init_MapLocationNotCpu_IsInvalid()
    {
        var e = InitFails(Backbone(), Cfg("type", "Pretrained", "checkpoint", Save("p.pth", BackboneState()), "map_location", "cuda:0"));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("init_cfg.map_location", e.Problems[0].Path);
    }

    [Fact]
    public void Init_MissingCheckpointArgument_IsMissingArgument() =>
        Assert.Equal(ErrorIds.MissingArgument, InitFails(Backbone(), Cfg("type", "Pretrained")).ErrorId);

    [Fact]
    public void Plan_ReadsTheFileButChangesNothing()
    {
        var model = Backbone();
        var before = Snapshot(model);
        var plan = new InitEngine().Plan(model, new InitOptions
        {
            InitCfg = Cfg("type", "Pretrained", "checkpoint", Save("p.pth", BackboneState("", "fc.bias"))),
            Environment = new InitEnvironment { Checkpoints = new CheckpointLocator(_cache, _dir.Path) },
        });
        AssertUnchanged(model, before);
        Assert.Contains(plan.Warnings, w => w.WarningId == InitWarning.CheckpointMissingKeys);
        Assert.Throws<InitCfgException>(() => new InitEngine().Plan(model, new InitOptions { InitCfg = Cfg("type", "Pretrained", "checkpoint", _dir.File("none.pth")) }));
    }

    [Fact]
    public void Describe_IsMmengineText()
    {
        var init = Parse("type", "Pretrained", "checkpoint", "torchvision://resnet50", "prefix", "backbone.").Initializer;
        var p = Assert.IsType<PretrainedInit>(init);
        Assert.Equal("PretrainedInit: load from torchvision://resnet50", p.Describe());
        Assert.Equal("backbone.", p.Prefix);
        Assert.Equal("cpu", p.MapLocation);
    }

    [Fact]
    public void Init_SafetensorsWithARepeatedKey_FailsCleanlyOrLoads()
    {
        // A hand-made header may name a tensor twice; the load must end in a checkpoint error or a load, never a crash.
        var header = "{\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        var h = Encoding.UTF8.GetBytes(header);
        var path = TorchSaveSamples.WriteTo(_dir.Path, "dup.safetensors",
            BitConverter.GetBytes((ulong)h.Length).Concat(h).Concat(PickleBytes.Floats(1, 2, 3, 4)).ToArray());
        var ex = Record.Exception(() => Init(Backbone(), Cfg("type", "Pretrained", "checkpoint", path)));
        Assert.True(ex is null or InitCfgException, ex?.ToString());
    }
}
