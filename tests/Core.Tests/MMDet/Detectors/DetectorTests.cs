using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using InitCfg.Core.MMDet;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.MMDet.Detectors;

public class DetectorTests
{
    private static object Retina(object? head = null) => Cfg("type", "RetinaNet",
        "data_preprocessor", Cfg("type", "DetDataPreprocessor", "mean", List(1.0, 2.0, 3.0)),
        "backbone", Cfg("type", "ResNet", "depth", 18L, "num_stages", 2L, "out_indices", List(0L, 1L)),
        "neck", Cfg("type", "FPN", "in_channels", List(64L, 128L), "out_channels", 16L, "num_outs", 3L, "add_extra_convs", "on_input"),
        "bbox_head", head ?? Cfg("type", "RetinaHead", "num_classes", 2L, "in_channels", 16L, "feat_channels", 16L, "stacked_convs", 1L,
            "loss_cls", Cfg("type", "FocalLoss", "use_sigmoid", true)),
        "train_cfg", Cfg("assigner", Cfg("type", "MaxIoUAssigner")),
        "test_cfg", Cfg("score_thr", 0.05));

    [Fact]
    public void Build_RetinaNet_PartsUnderMmdetectionNamesAndConfigKept()
    {
        var m = new ModelBuilder().Build(Retina());
        Assert.Equal(new[] { "backbone", "neck", "bbox_head" }, m.named_children().Select(c => c.name));
        Assert.Equal("RetinaNet", LayerTypeNames.ClassName(m));
        var settings = ((MMDetModule)m).Settings;
        Assert.NotNull(settings["data_preprocessor"]);
        Assert.NotNull(settings["train_cfg"]);
        var head = (MMDetModule)m.named_children().First(c => c.name == "bbox_head").module;
        Assert.NotNull(head.Settings["train_cfg"]);
    }

    [Fact]
    public void Init_RetinaNet_NoWarningsAndEveryConvWritten()
    {
        var m = new ModelBuilder().Build(Retina());
        var result = new InitEngine().Initialize(m, new InitOptions { Seed = 0, Strict = true });
        Assert.Empty(result.Warnings);
        Assert.True(AllEqual(Param(m, "backbone.layer1.0.bn2.weight"), 0));
    }

    [Fact]
    public void Build_BadPartDeepInside_ReportsItsFullPath()
    {
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(Retina(Cfg("type", "RetinaHead", "num_classes", 2L, "in_channels", 16L, "stacked_convs", "four"))));
        Assert.Contains(e.Problems, p => p.Path == "model.bbox_head.stacked_convs");
    }

    [Fact]
    public void Build_UnknownHeadType_NamesTheNearest()
    {
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(Retina(Cfg("type", "RetinaHed"))));
        Assert.Equal(ErrorIds.UnknownModuleType, e.ErrorId);
        Assert.Contains("RetinaHead", e.Message);
    }
}
