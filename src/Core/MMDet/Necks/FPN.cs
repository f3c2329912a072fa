#nullable enable
using InitCfg.Core.Initializers;
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.MMDet.Bricks;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.Necks;

/// <summary>
/// MMDetection's <c>FPN</c> neck (mmdet/models/necks/fpn.py): <c>lateral_convs</c> and <c>fpn_convs</c>, plain
/// <c>nn.ModuleList</c>s of <see cref="ConvModule"/>s built lateral/fpn in turn, then the extra convs
/// (<c>add_extra_convs</c> on_input/on_lateral/on_output); default init_cfg Xavier (uniform) on Conv2d.
/// </summary>
public static class FPN
{
    /// <summary>The constructor arguments, MMDetection's names and defaults.</summary>
    public static readonly S[] Arguments =
    {
        new("in_channels", K.IntList, null, "Channels of each backbone output.", Required: true),
        new("out_channels", K.Int, null, "Channels of every output level.", Required: true),
        new("num_outs", K.Int, null, "Number of output levels.", Required: true),
        new("start_level", K.Int, 0L, "First backbone level used."),
        new("end_level", K.Int, -1L, "Last backbone level used (-1: the last)."),
        new("add_extra_convs", K.Ignored, false, "False, True (= on_input), 'on_input', 'on_lateral' or 'on_output'."),
        new("relu_before_extra_convs", K.Bool, false, "ReLU before the extra convs (forward only; kept)."),
        new("no_norm_on_lateral", K.Bool, false, "No norm on the lateral convs."),
        CfgArguments.ConvCfg,
        CfgArguments.NormCfg,
        new("act_cfg", K.Ignored, null, "Activation config (None: no activation).", Nullable: true),
        new("upsample_cfg", K.Ignored, null, "Upsampling config (forward only; kept).", Nullable: true),
    };

    /// <summary>Builds the neck.</summary>
    public static nn.Module Build(ModuleArguments a)
    {
        var inChannels = a.Ints("in_channels");
        long outCh = a.Int("out_channels"), numOuts = a.Int("num_outs"), start = a.Int("start_level"), end = a.Int("end_level");
        int numIns = inChannels.Length;
        long backboneEnd;
        if (end == -1 || end == numIns - 1)
        {
            backboneEnd = numIns;
            if (numOuts < numIns - start) throw a.Invalid("num_outs", $"num_outs ({numOuts}) must be at least len(in_channels) - start_level ({numIns - start}).");
        }
        else
        {
            backboneEnd = end + 1;
            if (end >= numIns || numOuts != end - start + 1)
                throw a.Invalid("end_level", $"end_level ({end}) must be below len(in_channels) and num_outs must equal end_level - start_level + 1.");
        }
        if (start < 0 || start >= backboneEnd) throw a.Invalid("start_level", $"start_level must be in [0, {backboneEnd}), but got {start}.");
        string? extra = a.Raw("add_extra_convs") switch
        {
            false or null => null,
            true => "on_input",
            "on_input" or "on_lateral" or "on_output" => (string)a.Raw("add_extra_convs")!,
            var v => throw a.Invalid("add_extra_convs", $"add_extra_convs must be a bool or one of 'on_input', 'on_lateral', 'on_output', but got {PyRepr.TypeAndValue(v)}."),
        };
        var convCfg = SubConfig.Of(a.Raw("conv_cfg"), a.Path.Key("conv_cfg"));
        var normCfg = SubConfig.Of(a.Raw("norm_cfg"), a.Path.Key("norm_cfg"));
        var actCfg = SubConfig.Of(a.Raw("act_cfg"), a.Path.Key("act_cfg"));

        var lateral = new List<nn.Module>();
        var fpn = new List<nn.Module>();
        for (long i = start; i < backboneEnd; i++)
        {
            lateral.Add(new ConvModule(inChannels[i], outCh, 1, convCfg: convCfg, normCfg: a.Bool("no_norm_on_lateral") ? null : normCfg,
                actCfg: actCfg, inplace: false));
            fpn.Add(new ConvModule(outCh, outCh, 3, padding: 1, convCfg: convCfg, normCfg: normCfg, actCfg: actCfg, inplace: false));
        }
        long extraLevels = numOuts - backboneEnd + start;
        if (extra is not null && extraLevels >= 1)
            for (long i = 0; i < extraLevels; i++)
            {
                long ch = i == 0 && extra == "on_input" ? inChannels[backboneEnd - 1] : outCh;
                fpn.Add(new ConvModule(ch, outCh, 3, stride: 2, padding: 1, convCfg: convCfg, normCfg: normCfg, actCfg: actCfg, inplace: false));
            }

        var settings = new ConfigMap();
        settings.Set("add_extra_convs", extra);
        foreach (var key in new[] { "relu_before_extra_convs", "upsample_cfg" }) settings.Set(key, a.Raw(key));
        var neck = new MMDetModule("FPN", new KeyValuePair<string, nn.Module>[]
        {
            new("lateral_convs", nn.ModuleList(lateral.ToArray())),
            new("fpn_convs", nn.ModuleList(fpn.ToArray())),
        }, settings);
        if (!a.InitCfgGiven) neck.InitCfg = SubConfig.Dict(("type", "Xavier"), ("layer", "Conv2d"), ("distribution", "uniform"));
        return neck;
    }

}
