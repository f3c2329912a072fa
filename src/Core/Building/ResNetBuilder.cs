#nullable enable
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Modules;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core.Building;

/// <summary>
/// MMDetection's <c>ResNet</c> backbone (<c>type: ResNet, depth: 50</c>): the torchvision layout and parameter names
/// without the classifier, and, when the node has no init_cfg, MMDetection's default one (Kaiming for convolutions,
/// Constant 1 for BatchNorms, the last norm of each block zeroed when <c>zero_init_residual</c>).
/// </summary>
public static class ResNetBuilder
{
    private static readonly Dictionary<long, (bool Bottleneck, int[] Blocks)> Arch = new()
    {
        [18] = (false, new[] { 2, 2, 2, 2 }),
        [34] = (false, new[] { 3, 4, 6, 3 }),
        [50] = (true, new[] { 3, 4, 6, 3 }),
        [101] = (true, new[] { 3, 4, 23, 3 }),
        [152] = (true, new[] { 3, 8, 36, 3 }),
    };

    /// <summary>The arguments, under MMDetection's names.</summary>
    public static readonly ModuleArgumentSpec[] Arguments =
    {
        new("depth", ModuleArgumentKind.Int, null, "18, 34, 50, 101 or 152.", Required: true),
        new("in_channels", ModuleArgumentKind.Int, 3L, "Input channels."),
        new("base_channels", ModuleArgumentKind.Int, 64L, "Channels of the stem; stage i has base_channels * 2^i."),
        new("num_stages", ModuleArgumentKind.Int, 4L, "Number of stages (1-4)."),
        new("strides", ModuleArgumentKind.IntList, new List<object?> { 1L, 2L, 2L, 2L }, "Stride of each stage."),
        new("dilations", ModuleArgumentKind.IntList, new List<object?> { 1L, 1L, 1L, 1L }, "Dilation of each stage."),
        new("style", ModuleArgumentKind.Text, "pytorch", "pytorch (stride on the 3x3 conv) or caffe (on the first 1x1)."),
        new("zero_init_residual", ModuleArgumentKind.Bool, true, "Zero the last norm of each block in the default init_cfg."),
        new("out_indices", ModuleArgumentKind.Ignored, null, "Ignored (forward is not built).", Nullable: true),
        new("frozen_stages", ModuleArgumentKind.Ignored, null, "Ignored (training only).", Nullable: true),
        new("norm_eval", ModuleArgumentKind.Ignored, null, "Ignored (training only).", Nullable: true),
        new("norm_cfg", ModuleArgumentKind.Ignored, null, "Ignored: BatchNorm2d is used.", Nullable: true),
        new("with_cp", ModuleArgumentKind.Ignored, null, "Ignored (training only).", Nullable: true),
    };

    /// <summary>Builds the backbone.</summary>
    public static nn.Module Build(ModuleArguments a)
    {
        long depth = a.Int("depth");
        if (!Arch.TryGetValue(depth, out var arch))
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("depth").ToString(), $"depth must be one of 18, 34, 50, 101, 152, but got {depth}.");
        int stages = (int)a.Int("num_stages");
        if (stages is < 1 or > 4)
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("num_stages").ToString(), $"num_stages must be 1 to 4, but got {stages}.");
        var strides = a.Ints("strides");
        var dilations = a.Ints("dilations");
        if (strides.Length < stages || dilations.Length < stages)
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("strides").ToString(), "strides and dilations need one entry per stage.");
        var style = a.Text("style");
        if (style is not ("pytorch" or "caffe"))
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("style").ToString(), $"style must be 'pytorch' or 'caffe', but got '{style}'.");

        int expansion = arch.Bottleneck ? 4 : 1;
        long baseCh = a.Int("base_channels");
        var blockInit = !a.InitCfgGiven && a.Bool("zero_init_residual") ? ZeroLastNorm(arch.Bottleneck ? "bn3" : "bn2") : null;
        var children = new List<KeyValuePair<string, nn.Module>>
        {
            new("conv1", nn.Conv2d(a.Int("in_channels"), baseCh, (7, 7), (2, 2), (3, 3), bias: false)),
            new("bn1", nn.BatchNorm2d(baseCh)),
            new("relu", nn.ReLU()),
            new("maxpool", nn.MaxPool2d(3, 2, 1)),
        };
        long inplanes = baseCh;
        for (int i = 0; i < stages; i++)
        {
            long planes = baseCh << i;
            var blocks = new List<nn.Module>();
            for (int b = 0; b < arch.Blocks[i]; b++)
            {
                long stride = b == 0 ? strides[i] : 1;
                nn.Module? down = null;
                if (b == 0 && (stride != 1 || inplanes != planes * expansion))
                    down = new Sequential(new nn.Module[] { nn.Conv2d(inplanes, planes * expansion, (1, 1), (stride, stride), bias: false), nn.BatchNorm2d(planes * expansion) });
                var block = arch.Bottleneck
                    ? Bottleneck(inplanes, planes, stride, dilations[i], style, down)
                    : BasicBlock(inplanes, planes, stride, dilations[i], down);
                if (blockInit is not null) InitAttachment.SetConfig(block, blockInit);
                blocks.Add(block);
                inplanes = planes * expansion;
            }
            children.Add(new($"layer{i + 1}", new Sequential(blocks)));
        }
        var resnet = new ConfigModule("ResNet", children);
        if (!a.InitCfgGiven)
            InitAttachment.SetConfig(resnet, new List<object?>
            {
                Map(("type", "Kaiming"), ("layer", "Conv2d")),
                // MMDetection also lists GroupNorm (for norm_cfg=GN); this build only makes BatchNorm2d, and a
                // layer name that matches nothing would warn on every call.
                Map(("type", "Constant"), ("val", 1L), ("layer", "_BatchNorm")),
            });
        return resnet;
    }

    private static ConfigModule Bottleneck(long inplanes, long planes, long stride, long dilation, string style, nn.Module? down)
    {
        long s1 = style == "caffe" ? stride : 1, s2 = style == "caffe" ? 1 : stride;
        var c = new List<KeyValuePair<string, nn.Module>>
        {
            new("conv1", nn.Conv2d(inplanes, planes, (1, 1), (s1, s1), bias: false)),
            new("bn1", nn.BatchNorm2d(planes)),
            new("conv2", nn.Conv2d(planes, planes, (3, 3), (s2, s2), (dilation, dilation), (dilation, dilation), bias: false)),
            new("bn2", nn.BatchNorm2d(planes)),
            new("conv3", nn.Conv2d(planes, planes * 4, (1, 1), bias: false)),
            new("bn3", nn.BatchNorm2d(planes * 4)),
            new("relu", nn.ReLU()),
        };
        if (down is not null) c.Add(new("downsample", down));
        return new ConfigModule("Bottleneck", c);
    }

    private static ConfigModule BasicBlock(long inplanes, long planes, long stride, long dilation, nn.Module? down)
    {
        var c = new List<KeyValuePair<string, nn.Module>>
        {
            new("conv1", nn.Conv2d(inplanes, planes, (3, 3), (stride, stride), (dilation, dilation), (dilation, dilation), bias: false)),
            new("bn1", nn.BatchNorm2d(planes)),
            new("conv2", nn.Conv2d(planes, planes, (3, 3), (1, 1), (1, 1), bias: false)),
            new("bn2", nn.BatchNorm2d(planes)),
            new("relu", nn.ReLU()),
        };
        if (down is not null) c.Add(new("downsample", down));
        return new ConfigModule("BasicBlock", c);
    }

    // MMDetection writes override name 'norm3' (a property); the registered child is 'bn3'.
    private static ConfigMap ZeroLastNorm(string norm) =>
        Map(("type", "Constant"), ("val", 0L), ("override", Map(("name", norm))));

    private static ConfigMap Map(params (string Key, object? Value)[] entries)
    {
        var m = new ConfigMap();
        foreach (var (k, v) in entries) m.Set(k, v);
        return m;
    }
}
