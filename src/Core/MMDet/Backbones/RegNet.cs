#nullable enable
using System.Globalization;
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.MMDet.Bricks;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.Backbones;

/// <summary>
/// MMDetection's <c>RegNet</c> backbone (mmdet/models/backbones/regnet.py): an arch string (<c>'regnetx_3.2gf'</c>)
/// or an arch dict (<c>w0</c>, <c>wa</c>, <c>wm</c>, <c>group_w</c>, <c>depth</c>, <c>bot_mul</c>) gives the stage widths,
/// block counts and groups exactly as MMDetection computes them (quantized linear widths, numpy's rounding); a 3x3
/// stride-2 stem (<c>conv1</c>, <c>bn1</c>, no max-pool); stages of ResNeXt Bottlenecks with expansion 1, built in
/// MMDetection's order so seeded construction draws agree; ResNet's default init_cfg and <c>zero_init_residual</c>.
/// </summary>
public static class RegNet
{
    private static readonly Dictionary<string, (long W0, double Wa, double Wm, long GroupW, long Depth, double BotMul)> ArchSettings = new()
    {
        ["regnetx_400mf"] = (24, 24.48, 2.54, 16, 22, 1.0),
        ["regnetx_800mf"] = (56, 35.73, 2.28, 16, 16, 1.0),
        ["regnetx_1.6gf"] = (80, 34.01, 2.25, 24, 18, 1.0),
        ["regnetx_3.2gf"] = (88, 26.31, 2.25, 48, 25, 1.0),
        ["regnetx_4.0gf"] = (96, 38.65, 2.43, 40, 23, 1.0),
        ["regnetx_6.4gf"] = (184, 60.83, 2.07, 56, 17, 1.0),
        ["regnetx_8.0gf"] = (80, 49.56, 2.88, 120, 23, 1.0),
        ["regnetx_12gf"] = (168, 73.36, 2.37, 112, 19, 1.0),
    };

    /// <summary>The constructor arguments, MMDetection's names and defaults: ResNet's, with <c>arch</c> for <c>depth</c>
    /// and <c>num_stages</c>, and RegNet's own defaults.</summary>
    public static readonly S[] Arguments = new[]
    {
        new S("arch", K.Ignored, null, "An arch name (regnetx_400mf ... regnetx_12gf) or a dict w0, wa, wm, group_w, depth, bot_mul.", Required: true),
    }.Concat(ResNet.Arguments(false).Where(s => s.Name is not ("depth" or "num_stages")).Select(s => s.Name switch
    {
        "stem_channels" => s with { Default = 32L, Nullable = false, Description = "Stem channels." },
        "base_channels" => s with { Default = 32L, Description = "Kept (RegNet's widths come from arch)." },
        "strides" => s with { Default = new List<object?> { 2L, 2L, 2L, 2L } },
        "deep_stem" => s with { Description = "Kept: RegNet's stem is always one 3x3 conv, as in MMDetection." },
        _ => s,
    })).ToArray();

    /// <summary>
    /// MMDetection's stage computation for an arch: the width of each stage, its block count and its groups width
    /// (<c>generate_regnet</c>, <c>get_stages_from_blocks</c>, <c>adjust_width_group</c>).
    /// </summary>
    public static (long[] Widths, long[] Blocks, long[] GroupWidths, double BotMul) Stages(long w0, double wa, double wm, long groupW, long depth, double botMul)
    {
        const long divisor = 8;
        var widths = new long[depth];
        for (long i = 0; i < depth; i++)
        {
            double cont = i * wa + w0;
            double ks = Math.Round(Math.Log(cont / w0) / Math.Log(wm), MidpointRounding.ToEven);
            double w = w0 * Math.Pow(wm, ks);
            widths[i] = (long)(Math.Round(w / divisor, MidpointRounding.ToEven) * divisor);
        }
        var stageWidths = new List<long>();
        var starts = new List<long>();
        for (int i = 0; i <= widths.Length; i++)
        {
            long cur = i < widths.Length ? widths[i] : 0, prev = i > 0 ? widths[i - 1] : 0;
            if (cur == prev) continue;
            if (i < widths.Length) stageWidths.Add(cur);
            starts.Add(i);
        }
        var blocks = starts.Zip(starts.Skip(1), (a, b) => b - a).ToArray();
        var groups = new long[stageWidths.Count];
        var adjusted = new long[stageWidths.Count];
        for (int i = 0; i < stageWidths.Count; i++)
        {
            long bottleneck = (long)(stageWidths[i] * botMul);
            groups[i] = Math.Min(groupW, bottleneck);
            long quantized = (long)(Math.Round((double)bottleneck / groups[i], MidpointRounding.ToEven) * groups[i]);
            adjusted[i] = (long)(quantized / botMul);
        }
        return (adjusted, blocks, groups, botMul);
    }

    /// <summary>Builds the backbone.</summary>
    public static nn.Module Build(ModuleArguments a)
    {
        var (w0, wa, wm, groupW, depth, botMul) = Arch(a);
        if (wa < 0 || w0 <= 0 || wm <= 1 || w0 % 8 != 0)
            throw a.Invalid("arch", $"arch needs wa >= 0, w0 > 0 and divisible by 8, wm > 1 (MMDetection's asserts), but got w0={w0}, wa={Py(wa)}, wm={Py(wm)}.");
        var (widths, blocks, groupWidths, _) = Stages(w0, wa, wm, groupW, depth, botMul);
        int stages = widths.Length;
        if (stages is < 1 or > 4) throw a.Invalid("arch", $"arch gives {stages} stages; RegNet needs 1 to 4.");
        var strides = a.Ints("strides");
        var dilations = a.Ints("dilations");
        if (strides.Length != stages || dilations.Length != stages)
            throw a.Invalid("strides", $"strides and dilations need {stages} entries (one per stage), but got {strides.Length} and {dilations.Length}.");
        if (a.Ints("out_indices").Any(i => i >= stages))
            throw a.Invalid("out_indices", $"out_indices must be below the number of stages ({stages}).");
        var (style, convCfg, normCfg) = ResNet.Common(a, "RegNet");
        var dcn = ResNetDcn.Of(a, stages, bottleneck: true);
        var blockInit = !a.InitCfgGiven && a.Bool("zero_init_residual")
            ? SubConfig.Dict(("type", "Constant"), ("val", 0L), ("override", SubConfig.Dict(("name", MMCVLayers.NormName(normCfg, "3")))))
            : null;

        long stemCh = a.Int("stem_channels");
        var conv1 = MMCVLayers.Conv(convCfg, a.Int("in_channels"), stemCh, 3, 2, 1, bias: false);
        var (normName, norm1) = MMCVLayers.Norm(normCfg, stemCh, "1");
        var children = new List<KeyValuePair<string, nn.Module>> { new("conv1", conv1), new(normName, norm1), new("relu", nn.ReLU(true)) };
        var frozen = new List<nn.Module> { conv1, norm1 };
        long inplanes = stemCh, frozenStages = a.Int("frozen_stages");
        for (int i = 0; i < stages; i++)
        {
            long planes = widths[i], groupWidth = groupWidths[i];
            long width = (long)Math.Round(planes * botMul, MidpointRounding.ToEven);
            long stageGroups = width / groupWidth;
            var down = ResNet.Downsample(inplanes, planes, strides[i], a.Bool("avg_down"), convCfg, normCfg);
            var layerBlocks = new List<KeyValuePair<string, nn.Module>>();
            for (int b = 0; b < blocks[i]; b++)
            {
                var block = ResNet.Bottleneck(b == 0 ? inplanes : planes, planes, b == 0 ? strides[i] : 1, dilations[i], style, b == 0 ? down : null,
                    convCfg, normCfg, (stageGroups, groupWidth, planes), 1, dcn?.ForStage(i));
                if (blockInit is not null) block.InitCfg = blockInit;
                layerBlocks.Add(new(b.ToString(), block));
            }
            var layer = new MMDetModule("ResLayer", layerBlocks, null, new[] { "Sequential" });
            children.Add(new($"layer{i + 1}", layer));
            if (i < frozenStages) frozen.Add(layer);
            inplanes = planes;
        }
        return ResNet.Finish(a, "RegNet", children, frozen, frozenStages, normCfg);
    }

    private static (long W0, double Wa, double Wm, long GroupW, long Depth, double BotMul) Arch(ModuleArguments a)
    {
        switch (a.Raw("arch"))
        {
            case string name:
                return ArchSettings.TryGetValue(name, out var arch) ? arch
                    : throw a.Invalid("arch", $"\"arch\": \"{name}\" is not one of the arch_settings ({string.Join(", ", ArchSettings.Keys)}).");
            case ConfigMap map:
                var cfg = new SubConfig(map, a.Path.Key("arch"));
                foreach (var key in new[] { "w0", "wa", "wm", "group_w", "depth", "bot_mul" })
                    if (!cfg.Has(key)) throw new Errors.InitCfgException(Errors.ErrorIds.MissingArgument, cfg.Path.Key(key).ToString(), $"arch needs {key}.");
                return (cfg.Int("w0", 0), cfg.Float("wa", 0), cfg.Float("wm", 0), cfg.Int("group_w", 0), cfg.Int("depth", 0), cfg.Float("bot_mul", 1));
            case var v:
                throw new Errors.InitCfgException(Errors.ErrorIds.InvalidArgumentType, a.Path.Key("arch").ToString(),
                    $"Expect \"arch\" to be either a string or a dict, got {PyRepr.TypeAndValue(v)}.");
        }
    }

    private static string Py(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
