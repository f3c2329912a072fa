using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.MMDet;
using InitCfg.Core.MMDet.Bricks;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.MMDet.Bricks;

[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class ConvModuleTests
{
    private static SubConfig Sub(params (string, object?)[] kv) => new(SubConfig.Dict(kv), ConfigPath.Root("norm_cfg"));

    [Fact]
    public void Build_GroupNorm_NamesChildrenAsMmcvAndDropsTheBias()
    {
        var m = new ConvModule(4, 8, 3, padding: 1, normCfg: Sub(("type", "GN"), ("num_groups", 2L)), actCfg: Sub(("type", "ReLU")));
        Assert.Equal(new[] { "conv", "gn", "activate" }, m.named_children().Select(c => c.name));
        Assert.Equal(new[] { "conv.weight", "gn.weight", "gn.bias" }, m.named_parameters().Select(p => p.name));
        Assert.Equal("gn", m.NormName);
    }

    [Fact]
    public void Build_BatchNormWithoutActivation_HasBnAndNoActivate()
    {
        var m = new ConvModule(4, 8, 1, normCfg: Sub(("type", "SyncBN"), ("requires_grad", false)));
        Assert.Equal(new[] { "conv", "bn" }, m.named_children().Select(c => c.name));
        Assert.False(Param(m, "bn.weight").requires_grad);
    }

    [Fact]
    public void Build_NormBeforeConv_NormHasInputChannels()
    {
        var m = new ConvModule(4, 8, 1, normCfg: Sub(("type", "BN")), order: new[] { "norm", "conv", "act" });
        Assert.Equal(new long[] { 4 }, Param(m, "bn.weight").shape);
    }

    [Fact]
    public void Build_Construction_RunsKaimingFanOutAndZeroBias()
    {
        random.manual_seed(3);
        var m = new ConvModule(16, 32, 3, padding: 1);
        Assert.True(AllEqual(Param(m, "conv.bias"), 0));
        AssertWithin(Math.Sqrt(2.0 / (32 * 9)), Moments(Param(m, "conv.weight")).Std, 0.05);

        // The same draws as kaiming_normal_ after PyTorch's own Conv2d init, from the same seed.
        random.manual_seed(3);
        var conv = nn.Conv2d(16, 32, 3, padding: 1);
        using (no_grad()) conv.weight!.normal_(0, Math.Sqrt(2.0) / Math.Sqrt(32 * 9));
        Assert.True(conv.weight!.Equals(Param(m, "conv.weight")));
    }

    [Fact]
    public void InitWeights_Reached_LabelsAsUserDefinedInConvModule()
    {
        var m = new ConvModule(2, 2, 1, actCfg: Sub(("type", "LeakyReLU")));
        var model = Net("Net", ("block", m));
        new InitEngine().Initialize(model, new InitOptions { Seed = 0 });
        Assert.Equal(ParameterWrites.UserDefinedText("ConvModule"), InitReport.For(model).First(r => r.Name == "block.conv.weight").InitInfo);
    }

    [Theory]
    [InlineData("XN")]
    [InlineData("Foo")]
    public void Build_UnknownNormType_IsInvalidArgumentValueAtItsPath(string type)
    {
        var e = Assert.Throws<InitCfgException>(() => new ConvModule(2, 2, 1, normCfg: Sub(("type", type))));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Contains("norm_cfg.type", e.Problems[0].Path);
    }

    [Fact]
    public void Scale_HoldsOneFloatScalar()
    {
        var s = new Scale(2.5);
        var (name, p) = Assert.Single(s.named_parameters());
        Assert.Equal("scale", name);
        Assert.Empty(p.shape);
        Assert.Equal(2.5f, p.item<float>());
    }
}
