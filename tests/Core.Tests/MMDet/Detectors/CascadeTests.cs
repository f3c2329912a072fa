using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.MMDet.Detectors;

[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class CascadeTests
{
    private static object Extractor(long size) => Cfg("type", "SingleRoIExtractor", "roi_layer", Cfg("type", "RoIAlign", "output_size", size, "sampling_ratio", 0L),
        "out_channels", 256L, "featmap_strides", List(4L, 8L, 16L, 32L));

    private static object BBox(double std) => Cfg("type", "Shared2FCBBoxHead", "in_channels", 256L, "fc_out_channels", 1024L, "roi_feat_size", 7L,
        "num_classes", 80L, "reg_class_agnostic", true, "bbox_coder", Cfg("type", "DeltaXYWHBBoxCoder", "target_stds", List(std, std, 0.2, 0.2)));

    // configs/_base_/models/cascade-mask-rcnn_r50_fpn.py, backbone cut to two stages to keep the test small.
    private static object CascadeMaskRcnn(object? maskExtractor) => Cfg("type", "CascadeRCNN",
        "backbone", Cfg("type", "ResNet", "depth", 50L, "num_stages", 2L, "out_indices", List(0L, 1L), "frozen_stages", 1L),
        "neck", Cfg("type", "FPN", "in_channels", List(256L, 512L), "out_channels", 256L, "num_outs", 3L),
        "rpn_head", Cfg("type", "RPNHead", "in_channels", 256L, "feat_channels", 256L,
            "anchor_generator", Cfg("type", "AnchorGenerator", "scales", List(8L), "ratios", List(0.5, 1.0, 2.0), "strides", List(4L, 8L, 16L))),
        "roi_head", Cfg("type", "CascadeRoIHead", "num_stages", 3L, "stage_loss_weights", List(1.0, 0.5, 0.25),
            "bbox_roi_extractor", Extractor(7),
            "bbox_head", List(BBox(0.1), BBox(0.05), BBox(0.033)),
            "mask_roi_extractor", maskExtractor,
            "mask_head", Cfg("type", "FCNMaskHead", "num_convs", 4L, "in_channels", 256L, "conv_out_channels", 256L, "num_classes", 80L)),
        "train_cfg", Cfg("rpn", Cfg("debug", false), "rcnn", List(Cfg("pos_weight", -1L), Cfg("pos_weight", -1L), Cfg("pos_weight", -1L))),
        "test_cfg", Cfg("rpn", Cfg("nms_pre", 1000L), "rcnn", Cfg("score_thr", 0.05)));

    [Fact]
    public void Build_CascadeMaskRcnn_MmdetectionNamesPerStage()
    {
        var m = new ModelBuilder().Build(CascadeMaskRcnn(Extractor(14)));
        var names = m.named_parameters().Select(p => p.name).ToArray();
        var shapes = m.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        for (int s = 0; s < 3; s++)
        {
            Assert.Equal(new long[] { 81, 1024 }, shapes[$"roi_head.bbox_head.{s}.fc_cls.weight"]);
            Assert.Equal(new long[] { 4, 1024 }, shapes[$"roi_head.bbox_head.{s}.fc_reg.weight"]);
            Assert.Equal(new long[] { 80, 256, 1, 1 }, shapes[$"roi_head.mask_head.{s}.conv_logits.weight"]);
        }
        var roi = m.named_children().First(c => c.name == "roi_head").module;
        Assert.Equal(new[] { "bbox_roi_extractor", "bbox_head", "mask_head", "mask_roi_extractor" }, roi.named_children().Select(c => c.name));
        Assert.Equal(3, roi.named_children().First(c => c.name == "mask_roi_extractor").module.named_children().Count());
    }

    [Fact]
    public void Init_CascadeMaskRcnn_MaskHeadsHiddenByPlainModuleList()
    {
        var m = new ModelBuilder().Build(CascadeMaskRcnn(null));
        var result = new InitEngine().Initialize(m, new InitOptions { Seed = 0 });
        var r = InitReport.For(m).ToDictionary(x => x.Name);
        Assert.Equal("NormalInit: mean=0, std=0.01, bias=0", r["roi_head.bbox_head.2.fc_cls.weight"].InitInfo);
        Assert.Equal("XavierInit: gain=1, distribution=uniform, bias=0", r["roi_head.bbox_head.1.shared_fcs.0.weight"].InitInfo);
        // MMDetection keeps the cascade's mask heads in torch's nn.ModuleList: MMEngine never calls their init_weights.
        Assert.False(r["roi_head.mask_head.0.conv_logits.weight"].Written);
        Assert.False(r["roi_head.mask_head.2.convs.0.conv.weight"].Written);
        Assert.True(r["roi_head.bbox_head.0.fc_reg.weight"].Written);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Build_WrongStageCount_InvalidArgumentValueAtBboxHead()
    {
        var cfg = (System.Collections.Specialized.OrderedDictionary)CascadeMaskRcnn(null);
        var roi = (System.Collections.Specialized.OrderedDictionary)cfg["roi_head"]!;
        roi["bbox_head"] = List(BBox(0.1), BBox(0.05));
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(cfg));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("model.roi_head.bbox_head", e.ConfigPath);
    }
}
