#nullable enable
using InitCfg.Core.Configs;
using InitCfg.Core.Initializers;
using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.MMDet.Bricks;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.Necks;

/// <summary>
/// MMDetection's <c>ChannelMapper</c> neck: one ConvModule per input in <c>convs</c>, and stride-2
/// <c>extra_convs</c> up to <c>num_outs</c> (both plain <c>nn.ModuleList</c>s); default init_cfg Xavier (uniform) on Conv2d.
/// </summary>
public static class ChannelMapper
{
    /// <summary>The constructor arguments, MMDetection's names and defaults.</summary>
    public static readonly S[] Arguments =
    {
        new("in_channels", K.IntList, null, "Channels of each input.", Required: true),
        new("out_channels", K.Int, null, "Channels of every output.", Required: true),
        new("kernel_size", K.Int, 3L, "Kernel size of the mapping convs."),
        CfgArguments.ConvCfg,
        CfgArguments.NormCfg,
        new("act_cfg", K.Ignored, SubConfig.Dict(("type", "ReLU")), "Activation config.", Nullable: true),
        new("bias", K.Ignored, "auto", "'auto' (none with a norm), True or False."),
        new("num_outs", K.Int, null, "Number of outputs (default: len(in_channels)).", Nullable: true),
    };

    /// <summary>Builds the neck.</summary>
    public static nn.Module Build(ModuleArguments a)
    {
        var inCh = a.Ints("in_channels");
        long outCh = a.Int("out_channels"), k = a.Int("kernel_size"), numOuts = a.IntOrNull("num_outs") ?? inCh.Length;
        bool? bias = a.Raw("bias") switch
        {
            "auto" => null,
            bool b => b,
            var v => throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("bias").ToString(), $"bias must be 'auto' or a bool, but got {PyRepr.TypeAndValue(v)}."),
        };
        var conv = SubConfig.Of(a.Raw("conv_cfg"), a.Path.Key("conv_cfg"));
        var norm = SubConfig.Of(a.Raw("norm_cfg"), a.Path.Key("norm_cfg"));
        var act = SubConfig.Of(a.Raw("act_cfg"), a.Path.Key("act_cfg"));
        var convs = inCh.Select(c => (nn.Module)new ConvModule(c, outCh, k, padding: (k - 1) / 2, bias: bias, convCfg: conv, normCfg: norm, actCfg: act)).ToArray();
        var children = new List<KeyValuePair<string, nn.Module>> { new("convs", nn.ModuleList(convs)) };
        if (numOuts > inCh.Length)
        {
            var extra = new List<nn.Module>();
            for (long i = inCh.Length; i < numOuts; i++)
                extra.Add(new ConvModule(i == inCh.Length ? inCh[^1] : outCh, outCh, 3, 2, 1, bias: bias, convCfg: conv, normCfg: norm, actCfg: act));
            children.Add(new("extra_convs", nn.ModuleList(extra.ToArray())));
        }
        var neck = new MMDetModule("ChannelMapper", children);
        if (!a.InitCfgGiven) neck.InitCfg = SubConfig.Dict(("type", "Xavier"), ("layer", "Conv2d"), ("distribution", "uniform"));
        return neck;
    }
}
