using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using static InitCfg.Core.Tests.Fixtures;

namespace InitCfg.Core.Tests.MMDet.Detectors;

/// <summary>
/// A small Deformable DETR (the full-size ones, plain and refine + two-stage, are compared with MMDetection's own build
/// and init in GeneratedReferenceTests): shared versus copied prediction branches, and the decoder's post_norm check.
/// </summary>
[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class DeformableDETRTests
{
    private static object Attn() => Cfg("embed_dims", 16L, "num_heads", 2L, "num_levels", 1L, "num_points", 1L);

    private static object Model(bool refine, object? postNorm = null) => Cfg("type", "DeformableDETR", "num_queries", 5L, "num_feature_levels", 1L,
        "with_box_refine", refine,
        "backbone", Cfg("type", "ResNet", "depth", 18L, "num_stages", 1L, "out_indices", List(0L)),
        "encoder", Cfg("num_layers", 1L, "layer_cfg", Cfg("self_attn_cfg", Attn(), "ffn_cfg", Cfg("embed_dims", 16L, "feedforward_channels", 32L))),
        "decoder", Cfg("num_layers", 2L, "post_norm_cfg", postNorm, "layer_cfg", Cfg("self_attn_cfg", Cfg("embed_dims", 16L, "num_heads", 2L),
            "cross_attn_cfg", Attn(), "ffn_cfg", Cfg("embed_dims", 16L, "feedforward_channels", 32L))),
        "positional_encoding", Cfg("num_feats", 8L, "normalize", true),
        "bbox_head", Cfg("type", "DeformableDETRHead", "num_classes", 3L, "embed_dims", 16L, "loss_cls", Cfg("type", "FocalLoss", "use_sigmoid", true)));

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Build_WithBoxRefine_CopiesBranchesOtherwiseSharesThem(bool refine, bool shared)
    {
        var m = new ModelBuilder().Build(Model(refine));
        Assert.Equal("DeformableDETR", LayerTypeNames.ClassName(m));
        Assert.Equal("level_embed", m.named_parameters().First().name);
        var head = m.named_children().First(c => c.name == "bbox_head").module;
        var branches = head.named_children().First(c => c.name == "cls_branches").module.named_children().Select(c => c.module).ToList();
        Assert.Equal(2, branches.Count); // num_pred_layer = decoder layers
        Assert.Equal(shared, ReferenceEquals(branches[0], branches[1]));
    }

    [Fact]
    public void Build_DecoderPostNorm_InvalidArgumentValueAtItsPath()
    {
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(Model(false, Cfg("type", "LN"))));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("model.decoder.post_norm_cfg", e.ConfigPath);
    }
}
