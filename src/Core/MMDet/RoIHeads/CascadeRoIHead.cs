#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.RoIHeads;

/// <summary>
/// MMDetection's <c>CascadeRoIHead</c> (mmdet/models/roi_heads/cascade_roi_head.py): <c>num_stages</c> box stages as
/// MMEngine <c>ModuleList</c>s <c>bbox_roi_extractor</c> and <c>bbox_head</c> (built pairwise, extractor then head),
/// then the mask heads in a plain <c>nn.ModuleList</c> (so MMEngine's walk never reaches them) and, when given, the
/// mask RoI extractors in an MMEngine <c>ModuleList</c>. A single config dict stands for every stage, a list gives
/// one per stage. <c>stage_loss_weights</c> and the train/test configs are kept.
/// </summary>
public static class CascadeRoIHead
{
    /// <summary>CascadeRoIHead's arguments.</summary>
    public static readonly S[] Arguments = new S[]
    {
        new("num_stages", K.Int, null, "Number of cascade stages.", Required: true),
        new("stage_loss_weights", K.Ignored, null, "Loss weight of each stage (kept).", Required: true),
    }.Concat(RoIHeads.StandardArguments).ToArray();

    /// <summary>Builds a CascadeRoIHead.</summary>
    public static nn.Module Build(ModuleArguments a)
    {
        long stages = a.Int("num_stages");
        if (stages < 1) throw a.Invalid("num_stages", $"num_stages must be at least 1, but got {stages}.");
        foreach (var key in new[] { "bbox_roi_extractor", "bbox_head" })
            if (a.Raw(key) is null) throw new InitCfgException(ErrorIds.MissingArgument, a.Path.Key(key).ToString(), $"CascadeRoIHead needs {key}.");
        if (a.Raw("shared_head") is not null)
            throw a.Invalid("shared_head", "Shared head is not supported in Cascade RCNN anymore (MMDetection asserts it is None).");
        if (a.Raw("stage_loss_weights") is IReadOnlyList<object?> weights && weights.Count != stages)
            throw a.Invalid("stage_loss_weights", $"stage_loss_weights needs {stages} entries (one per stage), but got {weights.Count}.");

        var extractors = PerStage(a, "bbox_roi_extractor", stages);
        var heads = PerStage(a, "bbox_head", stages);
        var builtExtractors = new List<nn.Module>();
        var builtHeads = new List<nn.Module>();
        for (int i = 0; i < stages; i++)
        {
            builtExtractors.Add(new ModelBuilder().Build(extractors[i].Cfg, extractors[i].Path));
            builtHeads.Add(new ModelBuilder().Build(heads[i].Cfg, heads[i].Path));
        }
        var children = new List<KeyValuePair<string, nn.Module>>
        {
            new("bbox_roi_extractor", new Modules.MMEngineModuleList(builtExtractors)),
            new("bbox_head", new Modules.MMEngineModuleList(builtHeads)),
        };
        bool share = false;
        if (a.Raw("mask_head") is not null)
        {
            var masks = PerStage(a, "mask_head", stages);
            // MMDetection keeps the mask heads in torch's nn.ModuleList: MMEngine's walk stops there.
            children.Add(new("mask_head", nn.ModuleList(masks.Select(m => new ModelBuilder().Build(m.Cfg, m.Path)).ToArray())));
            if (a.Raw("mask_roi_extractor") is not null)
                children.Add(new("mask_roi_extractor", new Modules.MMEngineModuleList(PerStage(a, "mask_roi_extractor", stages)
                    .Select(m => new ModelBuilder().Build(m.Cfg, m.Path)).ToList())));
            else share = true;
        }
        var kept = new ConfigMap();
        foreach (var key in new[] { "num_stages", "stage_loss_weights", "train_cfg", "test_cfg" }) kept.Set(key, a.Raw(key));
        // With no mask_roi_extractor MMDetection registers the box extractors a second time; they hold no state.
        kept.Set("share_roi_extractor", share);
        return new MMDetModule("CascadeRoIHead", children, kept, new[] { "BaseRoIHead" });
    }

    // A dict is repeated for every stage (MMDetection builds it once per stage); a list needs one entry per stage.
    private static (object? Cfg, ConfigPath Path)[] PerStage(ModuleArguments a, string key, long stages)
    {
        var path = a.Path.Key(key);
        if (a.Raw(key) is IReadOnlyList<object?> list)
        {
            if (list.Count != stages)
                throw a.Invalid(key, $"{key} needs {stages} entries (one per stage), but got {list.Count}.");
            return list.Select((c, i) => (c, path.Index(i))).ToArray();
        }
        return Enumerable.Range(0, (int)stages).Select(_ => (a.Raw(key), path)).ToArray();
    }
}
