using InitCfg.Core.Layers;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Layers;

public class ModuleParametersTests
{
    [Fact]
    public void WeightAndBias_Linear_AreItsOwnParameters()
    {
        var fc = nn.Linear(2, 3);
        var (w, b) = ModuleParameters.WeightAndBias(fc);
        Assert.Same(fc.weight, w);
        Assert.Same(fc.bias, b);
    }

    [Fact]
    public void WeightAndBias_Container_HasNoneOfItsChildren()
    {
        var net = Net("Net", ("fc", nn.Linear(2, 2)));
        Assert.Equal((null, null), ModuleParameters.WeightAndBias(net));
        Assert.False(ModuleParameters.HasWeightOrBias(net));
    }

    [Fact]
    public void WeightAndBias_ConvWithoutBias_HasOnlyWeight()
    {
        var (w, b) = ModuleParameters.WeightAndBias(nn.Conv2d(1, 1, 1, bias: false));
        Assert.NotNull(w);
        Assert.Null(b);
    }

    [Fact]
    public void Initialize_MatchedModuleWithOtherParameterNames_TouchesNothing()
    {
        var model = Net("Net", ("attn", nn.MultiheadAttention(8, 2)));
        var before = Snapshot(model);
        var result = Init(model, Cfg("type", "Constant", "val", 1, "layer", "MultiheadAttention"));
        AssertUnchanged(model, before);
        Assert.Equal(0, result.ParametersWritten);
    }

    // PyTorch's MultiheadAttention holds out_proj as a Linear child, so MMEngine's whole-module override (and
    // layer='Linear') sets out_proj.weight/bias and leaves in_proj_weight alone. TorchSharp's own registers
    // "out_proj.weight" on the attention itself; InitCfg's MultiheadAttention has PyTorch's layout.
    [Fact]
    public void Initialize_WholeModuleOverrideOnAttention_TouchesOnlyItsSubmodulesWeightAndBias()
    {
        var model = Net("Net", ("attn", new InitCfg.Core.Transformer.MultiheadAttention(8, 2)));
        var inProj = CopyOf(Param(model, "attn.in_proj_weight"));
        Init(model, Cfg("type", "Constant", "val", 1, "override", Cfg("name", "attn")));
        Assert.True(Param(model, "attn.in_proj_weight").Equals(inProj));
        Assert.True(AllEqual(Param(model, "attn.out_proj.weight"), 1));
    }

    [Fact]
    public void Initialize_LayerLinearOnAttention_ReachesOutProjOnly()
    {
        var model = Net("Net", ("attn", new InitCfg.Core.Transformer.MultiheadAttention(8, 2)));
        var inProj = Param(model, "attn.in_proj_weight").detach().clone();
        var result = Init(model, Cfg("type", "Constant", "val", 2, "bias", 3, "layer", "Linear"));
        Assert.True(Param(model, "attn.in_proj_weight").Equals(inProj));
        Assert.True(AllEqual(Param(model, "attn.out_proj.weight"), 2));
        Assert.True(AllEqual(Param(model, "attn.out_proj.bias"), 3));
        Assert.Equal(2, result.ParametersWritten);
    }
}
