using System.Text.Json;
using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.MMDet.Transformer;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.MMDet.Transformer;

[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class TransformerBricksTests
{
    private static nn.Module Build(string json) => new ModelBuilder().Build(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void MultiScaleDeformableAttention_Forward_SaysTheOpIsMissing()
    {
        var m = (MultiScaleDeformableAttention)Build("""{"type": "MultiScaleDeformableAttention", "embed_dims": 32, "num_heads": 4}""");
        var e = Assert.Throws<NotSupportedException>(() => m.call(zeros(1, 4, 32)));
        Assert.Contains("multi_scale_deformable_attn", e.Message);
    }

    [Fact]
    public void MultiScaleDeformableAttention_EmbedDimsNotDivisible_InvalidArgumentValueAtTheArgument()
    {
        var e = Assert.Throws<InitCfgException>(() => Build("""{"type": "MultiScaleDeformableAttention", "embed_dims": 30, "num_heads": 4}"""));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("model.embed_dims", e.ConfigPath);
    }

    [Fact]
    public void FFN_OneFc_InvalidArgumentValue()
    {
        var e = Assert.Throws<InitCfgException>(() => Build("""{"type": "FFN", "num_fcs": 1}"""));
        Assert.Equal("model.num_fcs", e.ConfigPath);
    }

    [Fact]
    public void PatchEmbed_UnknownPadding_InvalidArgumentValue()
    {
        var e = Assert.Throws<InitCfgException>(() => Build("""{"type": "PatchEmbed", "padding": "middle"}"""));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("model.padding", e.ConfigPath);
    }

    [Fact]
    public void MMCVMultiheadAttention_UnknownDropoutLayer_InvalidArgumentValueAtItsType()
    {
        var e = Assert.Throws<InitCfgException>(() => Build("""{"type": "mmcv.MultiheadAttention", "embed_dims": 8, "num_heads": 2, "dropout_layer": {"type": "Drop"}}"""));
        Assert.Equal("model.dropout_layer.type", e.ConfigPath);
    }

    [Fact]
    public void MMCVMultiheadAttention_Forward_IsIdentityPlusPyTorchAttentionOfPositionedInputs()
    {
        var m = (MMCVMultiheadAttention)Build("""{"type": "mmcv.MultiheadAttention", "embed_dims": 8, "num_heads": 2}""");
        var attn = (InitCfg.Core.Transformer.MultiheadAttention)m.named_children().First().module;
        using var scope = NewDisposeScope(); // holds every temporary of the forwards until the check is done
        var q = randn(3, 2, 8);
        var pos = randn(3, 2, 8);
        var expected = q + attn.Forward(q + pos, q + pos, q).Output;
        Assert.True(m.Forward(q, queryPos: pos).allclose(expected));
    }

    [Fact]
    public void FFN_Forward_AddsIdentityToTheLayers()
    {
        var m = (FFN)Build("""{"type": "FFN", "embed_dims": 4, "feedforward_channels": 8}""");
        using var scope = NewDisposeScope(); // holds every temporary of the forwards until the check is done
        var x = randn(2, 4);
        var layers = (InitCfg.Core.Modules.MMEngineSequential)m.named_children().First().module;
        Assert.True(m.Forward(x).allclose(x + layers.call(x)));
    }

    [Fact]
    public void AdaptivePadding_Corner_PadsBottomRightSoTheKernelCoversTheInput()
    {
        var pad = (AdaptivePadding)Build("""{"type": "AdaptivePadding", "kernel_size": 16, "stride": 16}""");
        Assert.Equal(new long[] { 1, 3, 32, 48 }, pad.call(ones(1, 3, 17, 33)).shape);
        Assert.Equal((15L, 15L), pad.PadShape(17, 33));
    }
}
