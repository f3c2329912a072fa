using InitCfg.Core.Layers;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Layers;

public class LayerMatcherTests
{
    [Theory]
    [InlineData("Conv2d", true)]
    [InlineData("conv2d", true)]
    [InlineData("_CONVND", true)]
    [InlineData("Conv1d", false)]
    [InlineData("_ConvTransposeNd", false)]
    public void Intersects_Conv2d_MatchesCaseInsensitively(string filter, bool expected) =>
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
    public void Initialize_LowerCaseLayer_MatchesClass()
    {
        var conv = nn.Conv2d(2, 2, 3);
        Init(conv, Cfg("type", "Constant", "val", 3, "layer", "conv2d"));
        Assert.True(AllEqual(conv.weight!, 3));
    }
}
