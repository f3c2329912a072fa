using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using InitCfg.Core.Transformer;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Transformer;

[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class MultiheadAttentionTests
{
    private static string Layout(nn.Module m) =>
        string.Join(";", m.state_dict().Select(kv => $"{kv.Key}:[{string.Join(",", kv.Value.shape)}]"));

    [Fact]
    public void Constructor_Defaults_HasPyTorchNamesOrderAndOutProjChild()
    {
        var m = new MultiheadAttention(8, 2);
        Assert.Equal("in_proj_weight:[24,8];in_proj_bias:[24];out_proj.weight:[8,8];out_proj.bias:[8]", Layout(m));
        var child = Assert.Single(m.named_children());
        Assert.Equal("out_proj", child.name);
        Assert.Equal(new[] { "NonDynamicallyQuantizableLinear", "Linear" }, LayerTypeNames.Of(child.module));
        Assert.Equal(0, m.OutProj.Bias!.abs().sum().item<float>());
    }

    [Fact]
    public void Constructor_KdimVdimAndBiasKV_SeparateProjectionsAndBiasKV()
    {
        var m = new MultiheadAttention(8, 2, addBiasKV: true, kdim: 4, vdim: 6);
        Assert.Equal("q_proj_weight:[8,8];k_proj_weight:[8,4];v_proj_weight:[8,6];in_proj_bias:[24];bias_k:[1,1,8];bias_v:[1,1,8];out_proj.weight:[8,8];out_proj.bias:[8]", Layout(m));
    }

    [Fact]
    public void Constructor_NoBias_HasNoBiases()
    {
        Assert.Equal("in_proj_weight:[24,8];out_proj.weight:[8,8]", Layout(new MultiheadAttention(8, 2, bias: false)));
    }

    [Fact]
    public void Build_EmbedDimNotDivisible_InvalidArgumentValueAtTheArgument()
    {
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(
            System.Text.Json.JsonDocument.Parse("""{"type": "MultiheadAttention", "embed_dim": 10, "num_heads": 3}""").RootElement));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("model.embed_dim", e.ConfigPath);
    }

    [Fact]
    public void Forward_WrongEmbeddingDimension_InvalidArgumentValue()
    {
        var m = new MultiheadAttention(8, 2);
        var x = zeros(3, 1, 4);
        var e = Assert.Throws<InitCfgException>(() => m.call(x, x, x, null, true, null));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
    }

    [Fact]
    public void Forward_Unbatched_ShapesAsPyTorch()
    {
        var m = new MultiheadAttention(8, 2);
        var (output, weights) = m.Forward(randn(5, 8), randn(7, 8), randn(7, 8));
        Assert.Equal(new long[] { 5, 8 }, output.shape);
        Assert.Equal(new long[] { 5, 7 }, weights!.shape);
    }

    [Fact]
    public void EncoderLayer_Defaults_HasPyTorchNamesInOrder()
    {
        var names = string.Join(",", new TransformerEncoderLayer(8, 2, 16).state_dict().Keys);
        Assert.Equal("self_attn.in_proj_weight,self_attn.in_proj_bias,self_attn.out_proj.weight,self_attn.out_proj.bias,linear1.weight,linear1.bias,"
            + "linear2.weight,linear2.bias,norm1.weight,norm1.bias,norm2.weight,norm2.bias", names);
    }

    [Fact]
    public void DecoderLayer_Defaults_HasPyTorchNamesInOrder()
    {
        var names = new TransformerDecoderLayer(8, 2, 16).state_dict().Keys.ToArray();
        Assert.Equal(18, names.Length);
        Assert.Equal("multihead_attn.out_proj.bias", names[7]);
        Assert.Equal("norm3.bias", names[^1]);
    }
}
