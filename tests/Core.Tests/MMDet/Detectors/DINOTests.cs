using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using static InitCfg.Core.Tests.Fixtures;

namespace InitCfg.Core.Tests.MMDet.Detectors;

/// <summary>
/// A small DINO (the full-size dino-4scale_r50 is compared with MMDetection's own build and init in
/// GeneratedReferenceTests): MMDetection's parts and order, and DINO's own checks, found before anything is built.
/// </summary>
[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class DINOTests
{
    private static object Attn() => Cfg("embed_dims", 16L, "num_heads", 2L, "num_levels", 1L, "num_points", 1L);

    private static object Model(bool twoStage = true, object? dnCfg = null) => Cfg("type", "DINO", "num_queries", 5L, "num_feature_levels", 1L,
        "with_box_refine", true, "as_two_stage", twoStage,
        "backbone", Cfg("type", "ResNet", "depth", 18L, "num_stages", 1L, "out_indices", List(0L)),
        "encoder", Cfg("num_layers", 1L, "layer_cfg", Cfg("self_attn_cfg", Attn(), "ffn_cfg", Cfg("embed_dims", 16L, "feedforward_channels", 32L))),
        "decoder", Cfg("num_layers", 2L, "return_intermediate", true, "post_norm_cfg", null, "layer_cfg", Cfg("self_attn_cfg", Cfg("embed_dims", 16L, "num_heads", 2L),
            "cross_attn_cfg", Attn(), "ffn_cfg", Cfg("embed_dims", 16L, "feedforward_channels", 32L))),
        "positional_encoding", Cfg("num_feats", 8L, "normalize", true),
        "bbox_head", Cfg("type", "DINOHead", "num_classes", 3L, "embed_dims", 16L, "loss_cls", Cfg("type", "FocalLoss", "use_sigmoid", true)),
        "dn_cfg", dnCfg ?? Cfg("label_noise_scale", 0.5, "box_noise_scale", 1.0, "group_cfg", Cfg("dynamic", true, "num_dn_queries", 100L)));

    [Fact]
    public void Build_SmallDino_MMDetectionPartsInOrder()
    {
        var m = new ModelBuilder().Build(Model());
        Assert.Equal("DINO", LayerTypeNames.ClassName(m));
        Assert.Equal("level_embed", m.named_parameters().First().name);
        Assert.Equal(new[] { "backbone", "bbox_head", "positional_encoding", "encoder", "decoder", "query_embedding", "memory_trans_fc", "memory_trans_norm", "dn_query_generator" },
            m.named_children().Select(c => c.name));
        var children = m.named_children().ToDictionary(c => c.name, c => c.module);
        Assert.Equal("DINOHead", LayerTypeNames.ClassName(children["bbox_head"]));
        Assert.Equal(new[] { "layers", "ref_point_head", "norm" }, children["decoder"].named_children().Select(c => c.name));
        Assert.Equal("DinoTransformerDecoder", LayerTypeNames.ClassName(children["decoder"]));
        var state = m.state_dict();
        Assert.Equal(new long[] { 16, 32 }, state["decoder.ref_point_head.layers.0.weight"].shape);
        Assert.Equal(new long[] { 5, 16 }, state["query_embedding.weight"].shape); // content queries only
        Assert.Equal(new long[] { 3, 16 }, state["dn_query_generator.label_embedding.weight"].shape); // the head's num_classes
        var branches = children["bbox_head"].named_children().First(c => c.name == "cls_branches").module.named_children().Select(c => c.module).ToList();
        Assert.Equal(3, branches.Count); // decoder layers + 1 (two stages), copies (box refinement)
        Assert.False(ReferenceEquals(branches[0], branches[1]));
    }

    [Fact]
    public void Build_NotTwoStage_InvalidArgumentValueAtIt()
    {
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(Model(twoStage: false)));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("model.as_two_stage", e.ConfigPath);
    }

    [Theory]
    [InlineData("num_classes", "model.dn_cfg.num_classes")]
    [InlineData("num_queries", "model.dn_cfg.num_queries")]
    public void Build_DnCfgSetsWhatDinoSets_InvalidArgumentValueAtTheKey(string key, string path)
    {
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(Model(dnCfg: Cfg(key, 3L))));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal(path, e.ConfigPath);
    }

    [Fact]
    public void Build_StaticGroupsWithoutNumGroups_InvalidArgumentValueAtGroupCfg()
    {
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(Model(dnCfg: Cfg("group_cfg", Cfg("dynamic", false)))));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("model.dn_cfg.group_cfg", e.ConfigPath);
    }

    [Fact]
    public void Build_UnknownDnCfgKey_UnknownArgumentAtIt()
    {
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(Model(dnCfg: Cfg("noise", 1.0))));
        Assert.Equal(ErrorIds.UnknownArgument, e.ErrorId);
        Assert.Equal("model.dn_cfg.noise", e.ConfigPath);
    }
}
