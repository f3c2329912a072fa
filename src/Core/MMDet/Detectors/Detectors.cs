#nullable enable
using InitCfg.Core.Initializers;
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.Detectors;

/// <summary>
/// MMDetection's single-stage detectors (<c>RetinaNet</c>, <c>FCOS</c>, <c>ATSS</c>: <c>backbone</c>, <c>neck</c>,
/// <c>bbox_head</c>) and the <c>RPN</c> detector (<c>rpn_head</c>), built from their own configs: each part is any
/// registered module type, built in MMDetection's order; <c>data_preprocessor</c>, <c>train_cfg</c> and
/// <c>test_cfg</c> are kept on the model, and handed to the head as MMDetection does.
/// </summary>
public static class Detectors
{
    /// <summary>The single-stage detector types.</summary>
    public static readonly IReadOnlyList<string> SingleStage = new[] { "RetinaNet", "FCOS", "ATSS", "SingleStageDetector" };

    /// <summary>Arguments of a single-stage detector.</summary>
    public static readonly S[] SingleStageArguments = Args("bbox_head");

    /// <summary>Arguments of the RPN detector.</summary>
    public static readonly S[] RPNArguments = Args("rpn_head");

    private static S[] Args(string head) => new S[]
    {
        new("backbone", K.Ignored, null, "The backbone config.", Required: true),
        new("neck", K.Ignored, null, "The neck config.", Nullable: true),
        new(head, K.Ignored, null, "The head config.", Required: head == "rpn_head", Nullable: head != "rpn_head"),
        new("data_preprocessor", K.Ignored, null, "Kept (its mean/std buffers are not saved in a state dict).", Nullable: true),
        new("train_cfg", K.Ignored, null, "Kept, and given to the head.", Nullable: true),
        new("test_cfg", K.Ignored, null, "Kept, and given to the head.", Nullable: true),
        new("pretrained", K.Ignored, null, "Deprecated in MMDetection; use the backbone's init_cfg.", Nullable: true),
    };

    /// <summary>Builds a single-stage detector (or RPN, with <paramref name="head"/> = rpn_head).</summary>
    public static nn.Module Build(ModuleArguments a, string className, string head)
    {
        if (a.Raw("pretrained") is not null)
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("pretrained").ToString(),
                "pretrained is deprecated in MMDetection: use backbone.init_cfg=dict(type='Pretrained', checkpoint=...).");
        var children = new List<KeyValuePair<string, nn.Module>> { new("backbone", Part(a, "backbone")!) };
        if (Part(a, "neck") is { } neck) children.Add(new("neck", neck));
        var headCfg = a.Raw(head) switch
        {
            null => null,
            ConfigMap m => WithTrainTest(m, head == "rpn_head" ? Sub(a.Raw("train_cfg"), "rpn") : a.Raw("train_cfg"),
                head == "rpn_head" ? Sub(a.Raw("test_cfg"), "rpn") : a.Raw("test_cfg")),
            var v => throw new InitCfgException(ErrorIds.ConfigNotMapping, a.Path.Key(head).ToString(), $"{head} must be a dict, but got {PyRepr.TypeAndValue(v)}."),
        };
        if (headCfg is not null) children.Add(new(head, new ModelBuilder().Build(headCfg, a.Path.Key(head))));
        var settings = new ConfigMap();
        foreach (var key in new[] { "data_preprocessor", "train_cfg", "test_cfg" }) settings.Set(key, a.Raw(key));
        return new MMDetModule(className, children, settings);
    }

    /// <summary>The two-stage detector types.</summary>
    public static readonly IReadOnlyList<string> TwoStage = new[] { "FasterRCNN", "MaskRCNN", "FastRCNN", "CascadeRCNN", "TwoStageDetector" };

    /// <summary>Arguments of a two-stage detector.</summary>
    public static readonly S[] TwoStageArguments = Args("rpn_head").Select(s => s.Name == "rpn_head" ? s with { Required = false, Nullable = true } : s)
        .Append(new S("roi_head", K.Ignored, null, "The RoI head config.", Nullable: true)).ToArray();

    /// <summary>
    /// Builds a two-stage detector: backbone, neck, rpn_head (given train_cfg.rpn, test_cfg.rpn and num_classes=1),
    /// roi_head (given train_cfg.rcnn, test_cfg.rcnn), in MMDetection's order.
    /// </summary>
    public static nn.Module BuildTwoStage(ModuleArguments a, string className)
    {
        var children = new List<KeyValuePair<string, nn.Module>> { new("backbone", Part(a, "backbone")!) };
        if (Part(a, "neck") is { } neck) children.Add(new("neck", neck));
        if (a.Raw("rpn_head") is ConfigMap rpn)
        {
            var cfg = WithTrainTest(rpn, Sub(a.Raw("train_cfg"), "rpn"), Sub(a.Raw("test_cfg"), "rpn"));
            cfg.Set("num_classes", 1L);
            children.Add(new("rpn_head", new ModelBuilder().Build(cfg, a.Path.Key("rpn_head"))));
        }
        else if (a.Raw("rpn_head") is { } bad)
            throw new InitCfgException(ErrorIds.ConfigNotMapping, a.Path.Key("rpn_head").ToString(), $"rpn_head must be a dict, but got {PyRepr.TypeAndValue(bad)}.");
        if (a.Raw("roi_head") is ConfigMap roi)
            children.Add(new("roi_head", new ModelBuilder().Build(WithTrainTest(roi, Sub(a.Raw("train_cfg"), "rcnn"), Sub(a.Raw("test_cfg"), "rcnn")), a.Path.Key("roi_head"))));
        else if (a.Raw("roi_head") is { } bad)
            throw new InitCfgException(ErrorIds.ConfigNotMapping, a.Path.Key("roi_head").ToString(), $"roi_head must be a dict, but got {PyRepr.TypeAndValue(bad)}.");
        var settings = new ConfigMap();
        foreach (var key in new[] { "data_preprocessor", "train_cfg", "test_cfg" }) settings.Set(key, a.Raw(key));
        return new MMDetModule(className, children, settings);
    }

    internal static nn.Module? Part(ModuleArguments a, string key) =>
        a.Raw(key) is { } cfg ? new ModelBuilder().Build(cfg, a.Path.Key(key)) : null;

    internal static object? Sub(object? cfg, string key) => cfg is ConfigMap m ? m[key] : null;

    // MMDetection's detectors update the head config with train_cfg and test_cfg (None included).
    internal static ConfigMap WithTrainTest(ConfigMap head, object? train, object? test)
    {
        var m = head.Without();
        m.Set("train_cfg", train);
        m.Set("test_cfg", test);
        return m;
    }
}
