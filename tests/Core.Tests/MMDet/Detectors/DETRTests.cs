using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;

namespace InitCfg.Core.Tests.MMDet.Detectors;

/// <summary>
/// A small DETR (MMDetection 3.3's layout; the full-size one is compared with MMDetection's own build and init in
/// GeneratedReferenceTests): names, the embed_dims check, batch_first, and DETR's own init_weights.
/// </summary>
[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class DETRTests
{
    private static object Attn(object? batchFirst = null) => batchFirst is null
        ? Cfg("embed_dims", 16L, "num_heads", 2L, "dropout", 0.1)
        : Cfg("embed_dims", 16L, "num_heads", 2L, "dropout", 0.1, "batch_first", batchFirst);

    private static object Detr(long numFeats = 8, object? decoderAttn = null) => Cfg("type", "DETR", "num_queries", 5L,
        "backbone", Cfg("type", "ResNet", "depth", 18L, "num_stages", 1L, "out_indices", List(0L)),
        "neck", Cfg("type", "ChannelMapper", "in_channels", List(64L), "kernel_size", 1L, "out_channels", 16L, "act_cfg", null, "norm_cfg", null, "num_outs", 1L),
        "encoder", Cfg("num_layers", 1L, "layer_cfg", Cfg("self_attn_cfg", Attn(), "ffn_cfg", Cfg("embed_dims", 16L, "feedforward_channels", 32L))),
        "decoder", Cfg("num_layers", 2L, "layer_cfg", Cfg("self_attn_cfg", Attn(), "cross_attn_cfg", decoderAttn ?? Attn(),
            "ffn_cfg", Cfg("embed_dims", 16L, "feedforward_channels", 32L))),
        "positional_encoding", Cfg("num_feats", numFeats, "normalize", true),
        "bbox_head", Cfg("type", "DETRHead", "num_classes", 3L, "embed_dims", 16L));

    [Fact]
    public void Build_SmallDetr_MmdetectionNamesInMmdetectionOrder()
    {
        var m = new ModelBuilder().Build(Detr());
        Assert.Equal("DETR", LayerTypeNames.ClassName(m));
        Assert.Equal(new[] { "backbone", "neck", "bbox_head", "positional_encoding", "encoder", "decoder", "query_embedding" }, m.named_children().Select(c => c.name));
        var names = m.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("decoder.layers.1.cross_attn.attn.out_proj.weight", names);
        Assert.Contains("encoder.layers.0.ffn.layers.0.0.weight", names);
        Assert.Contains("decoder.post_norm.bias", names);
        Assert.Equal(new long[] { 4, 16 }, Param(m, "bbox_head.fc_cls.weight").shape); // num_classes + 1 (softmax)
        Assert.Equal(new long[] { 5, 16 }, Param(m, "query_embedding.weight").shape);
    }

    [Fact]
    public void Build_NumFeatsNotHalfOfEmbedDims_InvalidArgumentValueAtNumFeats()
    {
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(Detr(numFeats: 4)));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("model.positional_encoding.num_feats", e.ConfigPath);
    }

    [Fact]
    public void Build_BatchFirstFalse_InvalidArgumentValueAtItsPath()
    {
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(Detr(decoderAttn: Attn(false))));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("model.decoder.layer_cfg.cross_attn_cfg.batch_first", e.ConfigPath);
    }

    [Fact]
    public void Build_UnknownLayerKey_UnknownArgumentAtItsPath()
    {
        var cfg = (System.Collections.Specialized.OrderedDictionary)Detr();
        cfg["encoder"] = Cfg("num_layers", 1L, "layer_cfg", Cfg("self_attn_cfg", Attn(), "cross_attn_cfg", Attn()));
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(cfg));
        Assert.Equal(ErrorIds.UnknownArgument, e.ErrorId);
        Assert.Equal("model.encoder.layer_cfg.cross_attn_cfg", e.ConfigPath);
    }

    [Fact]
    public void Build_TypedPositionalEncoding_UnknownArgumentAtType()
    {
        var cfg = (System.Collections.Specialized.OrderedDictionary)Detr();
        cfg["positional_encoding"] = Cfg("type", "SinePositionalEncoding", "num_feats", 8L);
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(cfg));
        Assert.Equal(ErrorIds.UnknownArgument, e.ErrorId);
        Assert.Equal("model.positional_encoding.type", e.ConfigPath);
    }

    [Fact]
    public void Build_DecoderPostNormNone_InvalidArgumentValueAtItsPath()
    {
        var cfg = (System.Collections.Specialized.OrderedDictionary)Detr();
        cfg["decoder"] = Cfg("num_layers", 1L, "post_norm_cfg", null, "layer_cfg", Cfg("self_attn_cfg", Attn(), "cross_attn_cfg", Attn()));
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(cfg));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("model.decoder.post_norm_cfg", e.ConfigPath);
    }

    [Fact]
    public void Init_SmallDetr_EncoderAndDecoderMatricesXavierUniformVectorsUntouched()
    {
        var m = new ModelBuilder().Build(Detr());
        using var bias = Param(m, "encoder.layers.0.norms.0.weight").detach().clone();
        using var query = Param(m, "query_embedding.weight").detach().clone();
        using var before = Param(m, "encoder.layers.0.ffn.layers.0.0.weight").detach().clone();
        new InitEngine().Initialize(m, new InitOptions { Seed = 0 });
        // xavier_uniform_ bound for a [32, 16] matrix: sqrt(6 / 48).
        var w = Param(m, "encoder.layers.0.ffn.layers.0.0.weight");
        Assert.True(w.abs().max().item<float>() <= Math.Sqrt(6.0 / 48));
        Assert.False(w.allclose(before, 0, 0));
        Assert.True(Param(m, "encoder.layers.0.norms.0.weight").allclose(bias, 0, 0));
        Assert.True(Param(m, "query_embedding.weight").allclose(query, 0, 0)); // outside encoder/decoder: its construction draw stays
    }
}
