using InitCfg.Core.Building;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.MMDet.Detectors;

public class TwoStageTests
{
    // configs/_base_/models/mask-rcnn_r50_fpn.py, backbone cut to two stages to keep the test small.
    private static object MaskRcnn() => Cfg("type", "MaskRCNN",
        "backbone", Cfg("type", "ResNet", "depth", 50L, "num_stages", 2L, "out_indices", List(0L, 1L), "frozen_stages", 1L),
        "neck", Cfg("type", "FPN", "in_channels", List(256L, 512L), "out_channels", 256L, "num_outs", 3L),
        "rpn_head", Cfg("type", "RPNHead", "in_channels", 256L, "feat_channels", 256L,
            "anchor_generator", Cfg("type", "AnchorGenerator", "scales", List(8L), "ratios", List(0.5, 1.0, 2.0), "strides", List(4L, 8L, 16L)),
            "loss_cls", Cfg("type", "CrossEntropyLoss", "use_sigmoid", true, "loss_weight", 1.0)),
        "roi_head", Cfg("type", "StandardRoIHead",
            "bbox_roi_extractor", Cfg("type", "SingleRoIExtractor", "roi_layer", Cfg("type", "RoIAlign", "output_size", 7L, "sampling_ratio", 0L),
                "out_channels", 256L, "featmap_strides", List(4L, 8L, 16L, 32L)),
            "bbox_head", Cfg("type", "Shared2FCBBoxHead", "in_channels", 256L, "fc_out_channels", 1024L, "roi_feat_size", 7L, "num_classes", 80L),
            "mask_roi_extractor", Cfg("type", "SingleRoIExtractor", "roi_layer", Cfg("type", "RoIAlign", "output_size", 14L, "sampling_ratio", 0L),
                "out_channels", 256L, "featmap_strides", List(4L, 8L, 16L, 32L)),
            "mask_head", Cfg("type", "FCNMaskHead", "num_convs", 4L, "in_channels", 256L, "conv_out_channels", 256L, "num_classes", 80L)),
        "train_cfg", Cfg("rpn", Cfg("debug", false), "rcnn", Cfg("mask_size", 28L)),
        "test_cfg", Cfg("rpn", Cfg("nms_pre", 1000L), "rcnn", Cfg("score_thr", 0.05)));

    [Fact]
    public void Build_MaskRcnn_MmdetectionNamesAndShapes()
    {
        var m = new ModelBuilder().Build(MaskRcnn());
        var shapes = m.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new long[] { 3, 256, 1, 1 }, shapes["rpn_head.rpn_cls.weight"]);
        Assert.Equal(new long[] { 12, 256, 1, 1 }, shapes["rpn_head.rpn_reg.weight"]);
        Assert.Equal(new long[] { 81, 1024 }, shapes["roi_head.bbox_head.fc_cls.weight"]);
        Assert.Equal(new long[] { 320, 1024 }, shapes["roi_head.bbox_head.fc_reg.weight"]);
        Assert.Equal(new long[] { 1024, 12544 }, shapes["roi_head.bbox_head.shared_fcs.0.weight"]);
        Assert.Equal(new long[] { 256, 256, 2, 2 }, shapes["roi_head.mask_head.upsample.weight"]);
        Assert.Equal(new long[] { 80, 256, 1, 1 }, shapes["roi_head.mask_head.conv_logits.weight"]);
        var bboxHead = shapes.Keys.Where(k => k.StartsWith("roi_head.bbox_head.")).ToArray();
        Assert.Equal(new[] { "fc_cls.weight", "fc_cls.bias", "fc_reg.weight", "fc_reg.bias", "shared_fcs.0.weight", "shared_fcs.0.bias", "shared_fcs.1.weight", "shared_fcs.1.bias" },
            bboxHead.Select(k => k["roi_head.bbox_head.".Length..]));
    }

    [Fact]
    public void Init_MaskRcnn_LabelsAsMmengine()
    {
        var m = new ModelBuilder().Build(MaskRcnn());
        var result = new InitEngine().Initialize(m, new InitOptions { Seed = 0 });
        Assert.Empty(result.Warnings);
        var r = InitReport.For(m).ToDictionary(x => x.Name);
        Assert.Equal("NormalInit: mean=0, std=0.01, bias=0", r["roi_head.bbox_head.fc_cls.weight"].InitInfo);
        Assert.Equal("NormalInit: mean=0, std=0.001, bias=0", r["roi_head.bbox_head.fc_reg.weight"].InitInfo);
        Assert.Equal("XavierInit: gain=1, distribution=uniform, bias=0", r["roi_head.bbox_head.shared_fcs.1.weight"].InitInfo);
        // The mask head's convs sit in an MMEngine ModuleList: reached, so ConvModule's own init runs.
        Assert.Equal(ParameterWrites.UserDefinedText("ConvModule"), r["roi_head.mask_head.convs.0.conv.weight"].InitInfo);
        Assert.Equal(ParameterWrites.UserDefinedText("FCNMaskHead"), r["roi_head.mask_head.conv_logits.weight"].InitInfo);
        Assert.Equal(ParameterWrites.UserDefinedText("FCNMaskHead"), r["roi_head.mask_head.upsample.weight"].InitInfo);
        Assert.True(AllEqual(Param(m, "roi_head.mask_head.upsample.bias"), 0));
        Assert.Equal("NormalInit: mean=0, std=0.01, bias=0", r["rpn_head.rpn_conv.weight"].InitInfo);
    }
}
