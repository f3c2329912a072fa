#nullable enable
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.Bricks;

/// <summary>
/// MMCV's <c>build_conv_layer</c>, <c>build_norm_layer</c> and <c>build_activation_layer</c>: the layer a
/// <c>conv_cfg</c>/<c>norm_cfg</c>/<c>act_cfg</c> dict stands for, and the name MMCV gives a norm layer
/// (<c>bn</c>, <c>gn</c>, <c>in</c>, <c>ln</c> plus a postfix), so state names equal MMDetection's.
/// </summary>
public static class MMCVLayers
{
    /// <summary>Norm types this build knows (MMCV's registry names).</summary>
    public static readonly IReadOnlyList<string> NormTypes = new[] { "BN", "BN1d", "BN2d", "BN3d", "SyncBN", "MMSyncBN", "GN", "IN", "IN1d", "IN2d", "IN3d", "LN",
        "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm", "GroupNorm", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LayerNorm" };

    /// <summary>Activation types this build knows.</summary>
    public static readonly IReadOnlyList<string> ActivationTypes = new[] { "ReLU", "LeakyReLU", "PReLU", "ReLU6", "ELU", "Sigmoid", "Tanh", "GELU", "SiLU", "Swish", "HSigmoid", "HSwish" };

    /// <summary>A plain 2-d convolution as <c>build_conv_layer</c> makes it for <c>conv_cfg</c> None, Conv or Conv2d.</summary>
    public static nn.Module<Tensor, Tensor> Conv(SubConfig? convCfg, long inCh, long outCh, long kernel, long stride = 1, long padding = 0,
        long dilation = 1, long groups = 1, bool bias = true) =>
        Conv(convCfg, inCh, outCh, (kernel, kernel), (stride, stride), (padding, padding), (dilation, dilation), groups, bias);

    /// <summary>A 2-d convolution with per-dimension sizes.</summary>
    public static nn.Module<Tensor, Tensor> Conv(SubConfig? convCfg, long inCh, long outCh, (long, long) kernel, (long, long) stride, (long, long) padding,
        (long, long) dilation, long groups, bool bias)
    {
        var type = convCfg?.Type ?? "Conv2d";
        switch (type)
        {
            case "Conv2d":
                return nn.Conv2d(inCh, outCh, kernel, stride, padding, dilation, groups: groups, bias: bias);
            case "Conv":
                // MMCV registers its wrapper under 'Conv' (wrappers.py overrides conv.py's nn.Conv2d).
                return MMCVWrapper.Conv2d(inCh, outCh, kernel, stride, padding, dilation, groups, bias);
            case "DCN" or "DCNv2":
                long deformGroups = convCfg!.Int("deform_groups", convCfg.Int("deformable_groups", 1));
                if (inCh % groups != 0 || outCh % groups != 0)
                    throw new InitCfgException(ErrorIds.InvalidArgumentValue, convCfg.Path.ToString(),
                        $"in_channels ({inCh}) and out_channels ({outCh}) must be divisible by groups ({groups}).");
                if (type == "DCNv2") return new ModulatedDeformConv2d(inCh, outCh, kernel, stride, padding, dilation, groups, deformGroups, bias, pack: true);
                if (bias) throw new InitCfgException(ErrorIds.InvalidArgumentValue, convCfg.Path.ToString(),
                    "DCN (DeformConv2dPack) does not support bias: MMCV asserts bias=False (a ConvModule without a norm asks for one).");
                return new DeformConv2d(inCh, outCh, kernel, stride, padding, dilation, groups, deformGroups, pack: true);
            default:
                throw new InitCfgException(ErrorIds.InvalidArgumentValue, convCfg!.Path.Key(ConfigKeys.Type).ToString(),
                    $"conv_cfg type '{type}' is not supported here; supported: {string.Join(", ", ConvTypes)}.");
        }
    }

    /// <summary>Conv types this build knows (MMCV's registry names): torch's Conv2d, MMCV's Conv wrapper, DCN, DCNv2.</summary>
    public static readonly IReadOnlyList<string> ConvTypes = new[] { "Conv2d", "Conv", "DCN", "DCNv2" };

    /// <summary>The name <c>build_norm_layer</c> gives a norm of this config (MMCV's abbreviation plus the postfix).</summary>
    public static string NormName(SubConfig cfg, string postfix = "") => cfg.Type switch
    {
        "GN" or "GroupNorm" => "gn",
        "IN" or "IN1d" or "IN2d" or "IN3d" or "InstanceNorm1d" or "InstanceNorm2d" or "InstanceNorm3d" => "in",
        "LN" or "LayerNorm" => "ln",
        _ => "bn",
    } + postfix;

    /// <summary><c>build_norm_layer(norm_cfg, channels, postfix)</c>: the name MMCV registers it under, and the layer.</summary>
    public static (string Name, nn.Module<Tensor, Tensor> Layer) Norm(SubConfig cfg, long channels, string postfix = "")
    {
        var type = cfg.Type;
        double eps = cfg.Float("eps", 1e-5);
        nn.Module<Tensor, Tensor> layer = type switch
        {
            "BN" or "BN2d" or "SyncBN" or "MMSyncBN" or "BatchNorm2d" or "SyncBatchNorm" => (nn.Module<Tensor, Tensor>)nn.BatchNorm2d(channels, eps, cfg.Float("momentum", 0.1), cfg.Bool("affine", true), cfg.Bool("track_running_stats", true)),
            "BN1d" or "BatchNorm1d" => nn.BatchNorm1d(channels, eps, cfg.Float("momentum", 0.1), cfg.Bool("affine", true), cfg.Bool("track_running_stats", true)),
            "BN3d" or "BatchNorm3d" => nn.BatchNorm3d(channels, eps, cfg.Float("momentum", 0.1), cfg.Bool("affine", true), cfg.Bool("track_running_stats", true)),
            "GN" or "GroupNorm" => nn.GroupNorm(cfg.Has("num_groups") ? cfg.Int("num_groups", 0)
                : throw new InitCfgException(ErrorIds.MissingArgument, cfg.Path.ToString(), "a GN norm_cfg needs num_groups."), channels, eps, cfg.Bool("affine", true)),
            "IN" or "IN2d" or "InstanceNorm2d" => nn.InstanceNorm2d(channels, eps, cfg.Float("momentum", 0.1), cfg.Bool("affine", false), cfg.Bool("track_running_stats", false)),
            "IN1d" or "InstanceNorm1d" => nn.InstanceNorm1d(channels, eps, cfg.Float("momentum", 0.1), cfg.Bool("affine", false), cfg.Bool("track_running_stats", false)),
            "IN3d" or "InstanceNorm3d" => nn.InstanceNorm3d(channels, eps, cfg.Float("momentum", 0.1), cfg.Bool("affine", false), cfg.Bool("track_running_stats", false)),
            "LN" or "LayerNorm" => nn.LayerNorm(new[] { channels }, eps, cfg.Bool("elementwise_affine", true)),
            _ => throw new InitCfgException(ErrorIds.InvalidArgumentValue, cfg.Path.Key(ConfigKeys.Type).ToString(),
                $"norm_cfg type '{type}' is not supported; supported: {string.Join(", ", NormTypes)}."),
        };
        if (type is "GN" or "GroupNorm" && channels % cfg.Int("num_groups", 1) != 0)
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, cfg.Path.Key("num_groups").ToString(),
                $"num_channels ({channels}) must be divisible by num_groups ({cfg.Int("num_groups", 1)}).");
        bool requiresGrad = cfg.Bool("requires_grad", true);
        foreach (var p in layer.parameters()) p.requires_grad = requiresGrad;
        return (NormName(cfg, postfix), layer);
    }

    /// <summary><c>build_activation_layer(act_cfg)</c>; <paramref name="inplace"/> fills <c>inplace</c> where MMCV does.</summary>
    public static nn.Module<Tensor, Tensor> Activation(SubConfig cfg, bool inplace = true)
    {
        bool ip = cfg.Bool("inplace", inplace);
        return cfg.Type switch
        {
            "ReLU" => nn.ReLU(ip),
            "LeakyReLU" => nn.LeakyReLU(cfg.Float("negative_slope", 0.01), ip),
            "PReLU" => nn.PReLU(cfg.Int("num_parameters", 1), cfg.Float("init", 0.25)),
            "ReLU6" => nn.ReLU6(ip),
            "ELU" => nn.ELU(cfg.Float("alpha", 1.0), ip),
            "Sigmoid" => nn.Sigmoid(),
            "Tanh" => nn.Tanh(),
            "GELU" => nn.GELU(),
            "SiLU" or "Swish" => nn.SiLU(ip),
            "HSigmoid" => nn.Hardsigmoid(ip),
            "HSwish" => nn.Hardswish(ip),
            var t => throw new InitCfgException(ErrorIds.InvalidArgumentValue, cfg.Path.Key(ConfigKeys.Type).ToString(),
                $"act_cfg type '{t}' is not supported; supported: {string.Join(", ", ActivationTypes)}."),
        };
    }
}
