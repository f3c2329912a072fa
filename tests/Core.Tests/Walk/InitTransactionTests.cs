using InitCfg.Core;
using InitCfg.Core.Configs;
using InitCfg.Core.Modules;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Reports;
using InitCfg.Core.Tests.Checkpoints;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Walk;

/// <summary>
/// Every call all or nothing: after any failure or stop, every parameter, buffer, record, load report, init_cfg
/// and initialized mark is as before the call (each case below left a half-written model before).
/// </summary>
public sealed class InitTransactionTests : IDisposable
{
    private readonly InitializerRegistry _registry = BuiltinInitializers.CreateRegistry();
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static nn.Module Toy() => Net("ToyNet", ("conv", nn.Conv2d(3, 4, 3)), ("bn", nn.BatchNorm2d(4)), ("fc", nn.Linear(4, 2)));

    private InitResult Run(nn.Module model, object? cfg, bool force = false, IProgress<InitProgress>? progress = null,
        long undoLimit = InitOptions.DefaultUndoMemoryLimit) =>
        new InitEngine(_registry).Initialize(model, new InitOptions { InitCfg = cfg, Seed = 1, Force = force, Progress = progress, UndoMemoryLimit = undoLimit });

    private static readonly ArgumentSpec[] NoArgs = Array.Empty<ArgumentSpec>();

    [Theory]
    [InlineData(InitOptions.DefaultUndoMemoryLimit)]
    [InlineData(0L)] // every undo copy in the temp file
    [InlineData(100L)] // the conv weight's copy in memory, the rest in the temp file
    public void Initialize_ScriptInitThrowsOnSecondModule_FirstModuleRestored(long undoLimit)
    {
        int calls = 0;
        _registry.RegisterDelegate("Flaky", NoArgs, (m, w, a, g) =>
        {
            w.Fill(7);
            if (++calls == 2) throw new InvalidOperationException("boom");
        });
        var model = Toy();
        var before = ModelFingerprint.Take(model);
        var e = Assert.Throws<InitCfgException>(() => Run(model, Cfg("type", "Flaky", "layer", List("Conv2d", "Linear")), undoLimit: undoLimit));
        Assert.Equal(ErrorIds.UserInitFailed, e.ErrorId);
        Assert.Equal(2, calls);
        Assert.Equal(before, ModelFingerprint.Take(model));
        Assert.All(InitReport.For(model), r => Assert.Null(r.InitInfo));
    }

    [Fact]
    public void Initialize_FailureAfterLargeWritesAtUnalignedUndoOffsets_RestoresEveryByte()
    {
        // Undo copies of 4 KiB and more are written with streaming stores from a 64-byte boundary of the pooled
        // memory: copies that start anywhere in it (after a 12-byte bias), and whose lengths are no multiple of
        // 64 or 256, must come back whole.
        int calls = 0;
        _registry.RegisterDelegate("Flaky", NoArgs, (m, w, a, g) =>
        {
            w.Fill(7);
            if (++calls == 4) throw new InvalidOperationException("boom");
        });
        var model = Net("Wide", ("a", nn.Linear(3, 3)), ("b", nn.Linear(37, 53)), ("c", nn.Linear(53, 1001)), ("d", nn.Linear(1001, 5)));
        var before = ModelFingerprint.Take(model);
        var e = Assert.Throws<InitCfgException>(() => Run(model, Cfg("type", "Flaky", "layer", "Linear")));
        Assert.Equal(ErrorIds.UserInitFailed, e.ErrorId);
        Assert.Equal(4, calls);
        Assert.Equal(before, ModelFingerprint.Take(model));
    }

    [Theory]
    [InlineData("Uniform", "a", -2e38, "b", 2e38)]
    [InlineData("Xavier", "gain", 3e38, "distribution", "normal")]
    [InlineData("Normal", "mean", 0.0, "std", 1e38)]
    public void Initialize_NumbersThatOverflowInLibtorch_RefusedBeforeAnyWrite(string type, string k1, object v1, string k2, object v2)
    {
        var model = Toy();
        var before = ModelFingerprint.Take(model);
        var e = Assert.Throws<InitCfgException>(() => Run(model, List(
            Cfg("type", "Constant", "val", 3, "layer", "BatchNorm2d"),
            Cfg("type", type, k1, v1, k2, v2, "layer", "Conv2d"))));
        Assert.Contains("init_cfg[1]", e.ConfigPath);
        Assert.Equal(before, ModelFingerprint.Take(model));
    }

    [Fact]
    public void Initialize_ForceThenFailure_KeepsMarksAndRootConfig()
    {
        var model = Toy();
        var first = Cfg("type", "Constant", "val", 2, "layer", "Conv2d");
        Run(model, first);
        _registry.RegisterDelegate("Throws", NoArgs, (m, w, a, g) => throw new InvalidOperationException("boom"));
        var before = ModelFingerprint.Take(model);
        Assert.Throws<InitCfgException>(() => Run(model, Cfg("type", "Throws", "layer", "Linear"), force: true));
        Assert.Equal(before, ModelFingerprint.Take(model));
        Assert.True(InitAttachment.IsInitialized(model));
        Assert.Equal("dict(type='Constant', val=2, layer='Conv2d')", Assert.Single(Fixtures.AttachedConfigs(model)).ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Initialize_StoppedMidway_RestoresEverything(int stopAt)
    {
        var model = Toy();
        foreach (var (name, child) in model.named_children())
            InitAttachment.SetConfig(child, Cfg("type", "Normal", "std", 0.5, "layer", name == "bn" ? "BatchNorm2d" : name == "fc" ? "Linear" : "Conv2d"));
        var before = ModelFingerprint.Take(model);
        Assert.Throws<OperationCanceledException>(() => Run(model, null, progress: new StopAtStep(stopAt)));
        Assert.Equal(before, ModelFingerprint.Take(model));
        // The same seed then gives what an uninterrupted run gives.
        var clean = Toy();
        using (no_grad())
            foreach (var ((_, p), (_, q)) in clean.named_parameters().Zip(model.named_parameters())) p.copy_(q);
        foreach (var (name, child) in clean.named_children()) InitAttachment.SetConfig(child, InitAttachment.GetConfig(Sub(model, name)));
        Run(model, null);
        Run(clean, null);
        foreach (var ((n, p), (_, q)) in model.named_parameters().Zip(clean.named_parameters())) Assert.True(p.Equals(q), n);
    }

    private string SaveCheckpoint(string name, nn.Module like, double value)
    {
        var path = Path.Combine(_dir.Path, name);
        var state = ModuleState.Entries(like).Select(e => new KeyValuePair<string, Tensor>(e.Name,
            e.Tensor.dtype == ScalarType.Int64 ? full(e.Tensor.shape, 3L, ScalarType.Int64) : full(e.Tensor.shape, value))).ToArray();
        CheckpointFile.Write(path, state, CheckpointFile.FormatOf(path), overwrite: true);
        GC.KeepAlive(like);
        return path;
    }

    [Fact]
    public void Initialize_PretrainedStoppedAfterLoad_RestoresWeightsAndLoadReport()
    {
        var model = Toy();
        var file = SaveCheckpoint("w.pth", Toy(), 5);
        var before = ModelFingerprint.Take(model);
        // Constant on Linear, then (after the children) the Pretrained load, then the stop on the last step.
        var steps = new InitEngine(_registry).Plan(model, new InitOptions
        {
            InitCfg = List(Cfg("type", "Pretrained", "checkpoint", file), Cfg("type", "Constant", "val", 1, "layer", "Linear")),
        }).Steps.Count(s => s.Kind == InitStepKind.Apply);
        Assert.Throws<OperationCanceledException>(() => Run(model,
            List(Cfg("type", "Pretrained", "checkpoint", file), Cfg("type", "Constant", "val", 1, "layer", "Linear")), progress: new StopAtStep(steps)));
        Assert.Equal(before, ModelFingerprint.Take(model));
        Assert.Empty(ParameterWrites.GetLoads(model));
        Assert.False(InitAttachment.IsInitialized(model));
    }

    [Theory]
    [InlineData("w.safetensors", "truncate")]
    [InlineData("w.pth", "truncate")]
    [InlineData("w.safetensors", "replace")]
    [InlineData("w.pth", "replace")]
    public void Initialize_CheckpointChangedBetweenPlanAndLoad_TypedErrorModelUntouched(string name, string how)
    {
        var model = Toy();
        var file = SaveCheckpoint(name, Toy(), 5);
        // An earlier config of the same list changes the file after it was planned (as another process could).
        _registry.RegisterDelegate("Tamper", NoArgs, (m, w, a, g) =>
        {
            w.Fill(9);
            if (how == "truncate")
            {
                using var fs = new FileStream(file, FileMode.Open, FileAccess.Write);
                fs.SetLength(fs.Length / 2);
            }
            else
            {
                var other = SaveCheckpoint("other-" + name, Toy(), 6);
                File.SetLastWriteTimeUtc(other, DateTime.UtcNow.AddMinutes(1));
                File.Move(other, file, overwrite: true);
            }
        });
        var before = ModelFingerprint.Take(model);
        var e = Assert.Throws<InitCfgException>(() => Run(model,
            List(Cfg("type", "Tamper", "layer", "Linear"), Cfg("type", "Pretrained", "checkpoint", file))));
        Assert.Equal(ErrorIds.CheckpointChanged, e.ErrorId);
        Assert.Equal("init_cfg[1].checkpoint", e.ConfigPath);
        Assert.Equal(before, ModelFingerprint.Take(model));
    }

    [Theory]
    [InlineData("dispose", InitOptions.DefaultUndoMemoryLimit)]
    [InlineData("replace", InitOptions.DefaultUndoMemoryLimit)]
    [InlineData("dispose", 0L)]
    [InlineData("replace", 0L)]
    public void Initialize_ScriptDisposesOrReplacesWeight_UserInitFailedModelRestored(string how, long undoLimit)
    {
        _registry.RegisterDelegate("Evil", NoArgs, (m, w, a, g) =>
        {
            if (how == "dispose") w.Dispose();
            else ((TorchSharp.Modules.Linear)m).weight = new TorchSharp.Modules.Parameter(zeros(2, 4));
        });
        var model = Toy();
        var before = ModelFingerprint.Take(model, identity: false);
        var e = Assert.Throws<InitCfgException>(() => Run(model, Cfg("type", "Evil", "layer", "Linear"), undoLimit: undoLimit));
        Assert.Equal(ErrorIds.UserInitFailed, e.ErrorId);
        Assert.Contains("fc.weight", e.Message);
        Assert.Equal(before, ModelFingerprint.Take(model, identity: false));
        Assert.False(((TorchSharp.Modules.Linear)Sub(model, "fc")).weight.IsInvalid);
        Assert.Equal(6, model.parameters().Count());
        // The restored weight is the one forward uses.
        using var y = ((TorchSharp.Modules.Linear)Sub(model, "fc")).forward(ones(1, 4));
        Assert.Equal(2, y.shape[1]);
    }

    [Fact]
    public void Initialize_Committed_ReportsUndoBytesOfWhatItWrote()
    {
        var model = Toy();
        var result = Run(model, Cfg("type", "Constant", "val", 1, "layer", "Linear"));
        Assert.Equal((4 * 2 + 2) * 4, result.UndoBytes);
    }

    [Theory]
    [InlineData(InitOptions.DefaultUndoMemoryLimit, 0)]
    [InlineData(0L, (4 * 2 + 2) * 4)]
    public void Initialize_Committed_ReportsUndoBytesSpilledBeyondTheMemoryLimit(long undoLimit, long spilled)
    {
        var result = Run(Toy(), Cfg("type", "Constant", "val", 1, "layer", "Linear"), undoLimit: undoLimit);
        Assert.Equal((4 * 2 + 2) * 4, result.UndoBytes);
        Assert.Equal(spilled, result.UndoSpilledBytes);
    }

    [Theory]
    [InlineData(InitOptions.DefaultUndoMemoryLimit)]
    [InlineData(20L << 20)] // the big weight's copy in the temp file, the biases' in memory
    public void Initialize_WeightLargerThanAnUndoChunkThenFailure_RestoredExactly(long undoLimit)
    {
        // 4096 x 2304 floats = 36 MiB: the undo copy spans three 16 MiB chunks.
        var model = Net("Big", ("fc", nn.Linear(2304, 4096)), ("head", nn.Linear(4096, 2)));
        using (var scope = NewDisposeScope())
        using (no_grad())
            ((TorchSharp.Modules.Linear)Sub(model, "fc")).weight!.copy_(arange(4096L * 2304).reshape(4096, 2304).to(ScalarType.Float32).sin_());
        _registry.RegisterDelegate("FailsOnHead", NoArgs, (m, w, a, g) =>
        {
            w.Fill(3);
            if (w.shape[0] == 2) throw new InvalidOperationException("boom");
        });
        var before = ModelFingerprint.Take(model);
        Assert.Throws<InitCfgException>(() => Run(model, Cfg("type", "FailsOnHead", "layer", "Linear"), undoLimit: undoLimit));
        Assert.Equal(before, ModelFingerprint.Take(model));
    }

    [Fact]
    public void Initialize_UndoSpillCannotBeWritten_UndoSpillFailedModelUntouched()
    {
        var model = Toy();
        var before = ModelFingerprint.Take(model);
        var e = Assert.Throws<InitCfgException>(() => new InitEngine(_registry).Initialize(model, new InitOptions
        {
            InitCfg = List(Cfg("type", "Constant", "val", 2, "layer", "Conv2d"), Cfg("type", "Constant", "val", 3, "layer", "Linear")),
            UndoMemoryLimit = 0,
            UndoFolder = Path.Combine(_dir.Path, "no-such-folder"),
        }));
        Assert.Equal(ErrorIds.UndoSpillFailed, e.ErrorId);
        Assert.Contains("no-such-folder", e.Message);
        Assert.Equal(before, ModelFingerprint.Take(model));
    }
}
