#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.RoIHeads;

/// <summary>
/// MMDetection's <c>StandardRoIHead</c> (<c>bbox_roi_extractor</c>, <c>bbox_head</c>, <c>mask_roi_extractor</c>,
/// <c>mask_head</c>, built in that order) and <c>SingleRoIExtractor</c> (no parameters: its RoI layers are kept as config).
/// </summary>
public static class RoIHeads
{
    /// <summary>StandardRoIHead's arguments.</summary>
    public static readonly S[] StandardArguments =
    {
        new("bbox_roi_extractor", K.Ignored, null, "RoI extractor of the box branch.", Nullable: true),
        new("bbox_head", K.Ignored, null, "Box head.", Nullable: true),
        new("mask_roi_extractor", K.Ignored, null, "RoI extractor of the mask branch (None: shares the box one).", Nullable: true),
        new("mask_head", K.Ignored, null, "Mask head.", Nullable: true),
        new("shared_head", K.Ignored, null, "Shared head (not supported in this build: must be None).", Nullable: true),
        new("train_cfg", K.Ignored, null, "Kept.", Nullable: true),
        new("test_cfg", K.Ignored, null, "Kept.", Nullable: true),
    };

    /// <summary>SingleRoIExtractor's arguments.</summary>
    public static readonly S[] ExtractorArguments =
    {
        new("roi_layer", K.Ignored, null, "RoI layer (RoIAlign; no parameters).", Required: true),
        new("out_channels", K.Int, null, "Output channels.", Required: true),
        new("featmap_strides", K.IntList, null, "Strides of the input feature maps.", Required: true),
        new("finest_scale", K.Int, 56L, "Kept."),
    };

    /// <summary>Builds a StandardRoIHead.</summary>
    public static nn.Module BuildStandard(ModuleArguments a)
    {
        if (a.Raw("shared_head") is not null)
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("shared_head").ToString(), "shared_head is not supported in this build.");
        var children = new List<KeyValuePair<string, nn.Module>>();
        void Add(string key)
        {
            if (a.Raw(key) is { } cfg) children.Add(new(key, new ModelBuilder().Build(cfg, a.Path.Key(key))));
        }
        if (a.Raw("bbox_head") is not null) { Add("bbox_roi_extractor"); Add("bbox_head"); }
        if (a.Raw("mask_head") is not null) { Add("mask_roi_extractor"); Add("mask_head"); }
        var kept = new ConfigMap();
        foreach (var key in new[] { "train_cfg", "test_cfg" }) kept.Set(key, a.Raw(key));
        // With no mask_roi_extractor MMDetection registers the box extractor a second time; it holds no state.
        kept.Set("share_roi_extractor", a.Raw("mask_head") is not null && a.Raw("mask_roi_extractor") is null);
        return new MMDetModule("StandardRoIHead", children, kept, new[] { "BaseRoIHead" });
    }

    /// <summary>Builds a SingleRoIExtractor (no parameters).</summary>
    public static nn.Module BuildExtractor(ModuleArguments a)
    {
        var kept = new ConfigMap();
        foreach (var key in new[] { "roi_layer", "out_channels", "featmap_strides", "finest_scale" }) kept.Set(key, a.Raw(key));
        return new MMDetModule("SingleRoIExtractor", Array.Empty<KeyValuePair<string, nn.Module>>(), kept, new[] { "BaseRoIExtractor" });
    }
}
