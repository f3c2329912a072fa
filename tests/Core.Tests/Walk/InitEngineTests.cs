using InitCfg.Core.Modules;
using InitCfg.Core.Errors;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Walk;

/// <summary>The entry point: second calls, Force, Strict, warnings, plans, progress and results.</summary>
public class InitEngineTests
{
    private sealed class ListProgress : IProgress<InitProgress>
    {
        public List<InitProgress> Items { get; } = new();
        public void Report(InitProgress value) => Items.Add(value);
    }


    [Fact]
    public void Initialize_SecondCall_IsSkippedWithWarningAndChangesNothing()
    {
        var model = ToyNet();
        Init(model, Cfg("type", "Kaiming", "layer", "Conv2d"), seed: 1);
        var before = Snapshot(model);
        var result = Init(model, Cfg("type", "Constant", "val", 5, "layer", "Conv2d"), seed: 2);
        Assert.True(result.Skipped);
        Assert.Equal(InitWarning.AlreadyInitialized, Assert.Single(result.Warnings).WarningId);
        Assert.Equal(0, result.ParametersWritten);
        AssertUnchanged(model, before);
    }

    [Fact]
    public void Initialize_SecondCallWithLayerMatchingNothing_WarnsOnlyThatNothingChanged()
    {
        var model = ToyNet();
        var cfg = List(Cfg("type", "Kaiming", "layer", "Conv2d"), Cfg("type", "Constant", "val", 1, "layer", "GroupNorm"));
        Assert.Equal(InitWarning.LayerMatchesNothing, Assert.Single(Init(model, cfg).Warnings).WarningId);
        var again = Init(model, cfg);
        Assert.True(again.Skipped);
        var w = Assert.Single(again.Warnings);
        Assert.Equal(InitWarning.AlreadyInitialized, w.WarningId);
        Assert.Contains("nothing was changed (pass force: true to initialize it again)", w.Message);
    }

    [Fact]
    public void Initialize_SecondCallStrictWithLayerMatchingNothing_DoesNothingWithoutError()
    {
        var model = ToyNet();
        Init(model, Cfg("type", "Kaiming", "layer", "Conv2d"));
        var before = Snapshot(model);
        var result = Init(model, Cfg("type", "Constant", "val", 1, "layer", "GroupNorm"), strict: true);
        Assert.True(result.Skipped);
        Assert.Equal(InitWarning.AlreadyInitialized, Assert.Single(result.Warnings).WarningId);
        AssertUnchanged(model, before);
    }

    [Fact]
    public void Plan_InitializedModel_SaysWhatACallWouldDo()
    {
        var model = ToyNet();
        Init(model, Cfg("type", "Kaiming", "layer", "Conv2d"));
        var plan = new InitEngine().Plan(model, new InitOptions { InitCfg = Cfg("type", "Constant", "val", 1, "layer", "GroupNorm") });
        var w = Assert.Single(plan.Warnings);
        Assert.Equal(InitWarning.AlreadyInitialized, w.WarningId);
        Assert.Equal("init_weights of ToyNet has already been called, so calling it again would change nothing; pass force: true to initialize it again.", w.Message);
        Assert.DoesNotContain("nothing was changed", w.Message);
    }

    [Fact]
    public void Initialize_Force_ReinitializesWithTheAttachedConfig()
    {
        var model = ToyNet();
        Init(model, Cfg("type", "Kaiming", "layer", "Conv2d"), seed: 4);
        var first = CopyOf(Param(model, "conv.weight"));
        using (no_grad()) Param(model, "conv.weight").zero_();
        var result = Init(model, null, seed: 4, force: true);
        Assert.False(result.Skipped);
        Assert.True(Param(model, "conv.weight").Equals(first));
    }

    [Fact]
    public void Initialize_InitCfgOption_BecomesTheModelConfigAndMarksItInitialized()
    {
        var model = ToyNet();
        Init(model, Cfg("type", "Kaiming", "layer", "Conv2d"));
        Assert.NotNull(InitAttachment.GetConfig(model));
        Assert.Equal("dict(type='Kaiming', layer='Conv2d')", Assert.Single(Fixtures.AttachedConfigs(model)).ToString());
        Assert.True(InitAttachment.IsInitialized(model));
        // A plain layer has no init_weights of its own: MMEngine neither walks into it nor marks it.
        Assert.False(InitAttachment.IsInitialized(Sub(model, "conv")));
    }

    [Fact]
    public void Initialize_UnmatchedLayer_WarnsNamingNearestPresentType()
    {
        var result = Init(ToyNet(), Cfg("type", "Kaiming", "layer", List("Conv2d", "Conv3d")));
        var w = Assert.Single(result.Warnings);
        Assert.Equal(InitWarning.LayerMatchesNothing, w.WarningId);
        Assert.Equal("init_cfg[0].layer", w.Path);
        Assert.Contains("'Conv3d'", w.Message);
        Assert.Equal("'Conv3d' matches no layer; did you mean 'Conv2d'?", w.Message);
    }

    [Fact]
    public void Initialize_ConfigWithoutLayerOrOverride_WarnsItDoesNothing()
    {
        var model = ToyNet();
        var before = Snapshot(model);
        var result = Init(model, Cfg("type", "Constant", "val", 1));
        Assert.Equal(InitWarning.ConfigDoesNothing, Assert.Single(result.Warnings).WarningId);
        AssertUnchanged(model, before);
    }

    [Fact]
    public void Initialize_StrictWithUnmatchedLayer_ThrowsAndChangesNothing()
    {
        var model = ToyNet();
        var before = Snapshot(model);
        var e = Assert.Throws<InitCfgException>(() => Init(model, List(Cfg("type", "Constant", "val", 1, "layer", "Linear"),
            Cfg("type", "Kaiming", "layer", "Conv3d")), strict: true));
        Assert.Equal(ErrorIds.StrictWarning, e.ErrorId);
        Assert.Equal("init_cfg[1].layer", e.ConfigPath);
        Assert.Equal(ErrorKind.Strict, e.Kind);
        AssertUnchanged(model, before);
        Assert.False(InitAttachment.IsInitialized(model));
    }

    [Fact]
    public void Initialize_StrictWithConfigDoingNothing_Throws() =>
        Assert.Equal(ErrorIds.StrictWarning, Assert.Throws<InitCfgException>(() =>
            Init(ToyNet(), Cfg("type", "Constant", "val", 1), strict: true)).ErrorId);

    [Fact]
    public void Initialize_StrictWithoutWarnings_Runs() =>
        Assert.Empty(Init(ToyNet(), Cfg("type", "Kaiming", "layer", "Conv2d"), strict: true).Warnings);

    [Fact]
    public void Initialize_Result_CountsWrittenParametersAndElements()
    {
        var result = Init(ToyNet(), Cfg("type", "Constant", "val", 1, "layer", List("Conv2d", "BatchNorm2d")));
        Assert.False(result.Skipped);
        Assert.Equal(4, result.ParametersWritten);
        Assert.Equal(4 * 3 * 3 * 3 + 4 + 4 + 4, result.ElementsWritten);
        Assert.Contains(result.Steps, s => s.Kind == InitStepKind.Apply && s.Target.Path == "bn");
    }

    [Fact]
    public void Initialize_Progress_ReportsEveryWriteUpToTheTotal()
    {
        var progress = new ListProgress();
        new InitEngine().Initialize(ToyNet(), new InitOptions { InitCfg = Cfg("type", "Kaiming", "layer", List("Conv2d", "Linear")), Seed = 0, Progress = progress });
        Assert.Equal(new[] { "conv", "fc" }, progress.Items.Select(p => p.ModulePath));
        Assert.Equal(100, progress.Items[^1].Percent);
        Assert.Equal(progress.Items[^1].ElementsTotal, progress.Items[^1].ElementsDone);
    }

    [Fact]
    public void Plan_ValidConfig_ListsStepsAndChangesNothing()
    {
        var model = ToyNet();
        var before = Snapshot(model);
        var plan = new InitEngine().Plan(model, new InitOptions { InitCfg = Cfg("type", "Kaiming", "layer", "Conv2d") });
        Assert.Single(plan.Steps, s => s.Kind == InitStepKind.Apply);
        AssertUnchanged(model, before);
        Assert.False(InitAttachment.IsInitialized(model));
        Assert.All(InitReport.For(model), r => Assert.Null(r.InitInfo));
    }

    [Fact]
    public void Plan_BadConfig_Throws() =>
        Assert.Equal(ErrorIds.UnknownInitializerType, Assert.Throws<InitCfgException>(() =>
            new InitEngine().Plan(ToyNet(), new InitOptions { InitCfg = Cfg("type", "Kaimin") })).ErrorId);

    [Fact]
    public void Initialize_InitCfgOfWrongKind_ThrowsInvalidType() =>
        Assert.Equal(ErrorKind.InvalidType, Assert.Throws<InitCfgException>(() => Init(ToyNet(), 3)).Kind);
}
