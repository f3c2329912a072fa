#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.MMDet.Bricks;

namespace InitCfg.Core.MMDet.Backbones;

/// <summary>
/// A ResNet-family backbone's <c>dcn</c> and <c>stage_with_dcn</c>: the conv config of the Bottlenecks' deformable
/// conv2 and the stages that have one. MMDetection hands every block the same dict and each block pops
/// <c>fallback_on_stride</c> from it, so only the first block that asks sees the configured value; this reproduces that.
/// </summary>
public sealed class ResNetDcn
{
    private readonly bool[] _stages;
    private bool _fallbackPending;

    private ResNetDcn(SubConfig config, bool[] stages)
    {
        Config = config;
        _stages = stages;
        _fallbackPending = config.Bool("fallback_on_stride", false);
    }

    /// <summary>The dcn conv config (type DCN or DCNv2, deform_groups...).</summary>
    public SubConfig Config { get; }

    /// <summary>Reads <c>dcn</c>/<c>stage_with_dcn</c>; null without dcn. Errors as MMDetection's asserts, at their paths.</summary>
    public static ResNetDcn? Of(ModuleArguments a, int numStages, bool bottleneck)
    {
        var cfg = SubConfig.Of(a.Raw("dcn"), a.Path.Key("dcn"));
        if (cfg is null) return null;
        if (!MMCVLayers.ConvTypes.Contains(cfg.Type) || cfg.Type is "Conv" or "Conv2d")
            throw a.Invalid("dcn", $"dcn type must be DCN or DCNv2, but got '{cfg.Type}'.");
        if (!bottleneck) throw a.Invalid("dcn", "dcn is not implemented for BasicBlock (depth 18 and 34), as in MMDetection.");
        if (a.Raw("conv_cfg") is not null) throw a.Invalid("conv_cfg", "conv_cfg must be None for DCN.");
        var stages = a.Raw("stage_with_dcn") switch
        {
            IReadOnlyList<object?> l when l.All(x => x is bool) => l.Cast<bool>().ToArray(),
            var v => throw a.Invalid("stage_with_dcn", $"stage_with_dcn must be a list of bools, but got {Configs.PyRepr.TypeAndValue(v)}."),
        };
        if (stages.Length != numStages)
            throw a.Invalid("stage_with_dcn", $"stage_with_dcn needs {numStages} entries (one per stage), but got {stages.Length}.");
        return new ResNetDcn(cfg, stages);
    }

    /// <summary>This dcn for stage <paramref name="index"/>, or null when the stage has none.</summary>
    public ResNetDcn? ForStage(int index) => _stages[index] ? this : null;

    /// <summary>MMDetection's <c>dcn.pop('fallback_on_stride', False)</c>: the configured value once, then False.</summary>
    public bool PopFallback()
    {
        bool value = _fallbackPending;
        _fallbackPending = false;
        return value;
    }
}
