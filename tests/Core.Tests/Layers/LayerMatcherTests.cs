using InitCfg.Core.Modules;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Layers;

/// <summary>
/// Layer names match exactly, as MMEngine's <c>layer in _get_bases_name(m)</c> (the golden scenario
/// f8_layer_typo_silent_noop: <c>layer='conv2d'</c> writes nothing in MMEngine, so it must write nothing here).
/// </summary>
public class LayerMatcherTests
{
    private static nn.Module Toy() => Net("ToyNet", ("conv", nn.Conv2d(3, 4, 3)), ("fc", nn.Linear(4, 2)));

    [Theory]
    [InlineData("Conv2d", true)]
    [InlineData("conv2d", false)]
    [InlineData("CONV2D", false)]
    [InlineData("_ConvNd", true)]
    [InlineData("_CONVND", false)]
    [InlineData("Conv1d", false)]
    [InlineData("_ConvTransposeNd", false)]
    public void Intersects_Conv2d_MatchesExactly(string filter, bool expected) =>
        Assert.Equal(expected, LayerMatcher.Intersects(new[] { filter }, LayerTypeNames.Of(nn.Conv2d(1, 1, 1))));

    [Fact]
    public void Intersects_EmptyFilter_MatchesNothing() =>
        Assert.False(LayerMatcher.Intersects(Array.Empty<string>(), new[] { "Linear" }));

    [Fact]
    public void Initialize_ConvNdFilter_SkipsTransposedConvolutions()
    {
        var model = Net("Net", ("conv", nn.Conv2d(2, 2, 3)), ("up", nn.ConvTranspose2d(2, 2, 3)));
        var up = Snapshot(Sub(model, "up"));
        Init(model, Cfg("type", "Constant", "val", 1, "layer", "_ConvNd"));
        Assert.True(AllEqual(Param(model, "conv.weight"), 1));
        AssertUnchanged(Sub(model, "up"), up);
    }

    [Fact]
    public void Initialize_LowerCaseLayer_MatchesNothing()
    {
        var conv = nn.Conv2d(2, 2, 3);
        var before = Snapshot(conv);
        Init(conv, Cfg("type", "Constant", "val", 3, "layer", "conv2d"));
        AssertUnchanged(conv, before);
    }

    [Fact]
    public void Initialize_LowercaseLayer_WritesNothingAndWarnsWithNearestName()
    {
        var model = Toy();
        var before = Snapshot(model);
        var result = Init(model, Cfg("type", "Constant", "val", 5, "layer", "conv2d"));
        AssertUnchanged(model, before);
        var w = Assert.Single(result.Warnings, x => x.WarningId == InitWarning.LayerMatchesNothing);
        Assert.Equal("'conv2d' matches no layer; did you mean 'Conv2d'?", w.Message);
        Assert.Equal("init_cfg[0].layer", w.Path);
        Assert.All(InitReport.For(model), r => Assert.False(r.Written));
    }

    [Fact]
    public void Initialize_LowercaseLayerStrict_IsStrictWarningAndChangesNothing()
    {
        var model = Toy();
        var before = Snapshot(model);
        var e = Assert.Throws<InitCfgException>(() => Init(model, Cfg("type", "Constant", "val", 5, "layer", "conv2d"), strict: true));
        Assert.Equal(ErrorIds.StrictWarning, e.ErrorId);
        Assert.Contains("did you mean 'Conv2d'?", e.Message);
        AssertUnchanged(model, before);
        Assert.False(InitAttachment.IsInitialized(model));
    }

    [Fact]
    public void Initialize_ConfigKeysInAnyCase_StillRead()
    {
        var model = Toy();
        Init(model, Cfg("TYPE", "Constant", "Val", 5, "Layer", "Conv2d"));
        Assert.True(AllEqual(Param(model, "conv.weight"), 5));
        Assert.False(AllEqual(Param(model, "fc.weight"), 5));
    }
}
