#nullable enable
using InitCfg.Core.Configs;

namespace InitCfg.Core.MMDet.Bricks;

/// <summary>
/// The sub-config arguments most MMDetection modules pass on to their <see cref="ConvModule"/>s, one spec each so
/// that a module's argument table names them instead of repeating them. The module reads them itself
/// (<see cref="SubConfig.Of"/>); None means MMCV's default (Conv2d, no norm).
/// </summary>
public static class CfgArguments
{
    /// <summary><c>conv_cfg</c>: the convolution layer config (None: Conv2d).</summary>
    public static readonly ArgumentSpec ConvCfg = new("conv_cfg", ArgumentKind.Ignored, null, "Conv layer config.", Nullable: true);

    /// <summary><c>norm_cfg</c>: the norm layer config (None: no norm).</summary>
    public static readonly ArgumentSpec NormCfg = new("norm_cfg", ArgumentKind.Ignored, null, "Norm layer config.", Nullable: true);

    /// <summary><c>act_cfg</c> with no activation by default (modules whose default is ReLU spell their own).</summary>
    public static readonly ArgumentSpec ActCfg = new("act_cfg", ArgumentKind.Ignored, null, "Activation config.", Nullable: true);
}
