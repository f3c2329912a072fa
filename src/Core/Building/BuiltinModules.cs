#nullable enable
using InitCfg.Core.Configs;

using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.Building;

/// <summary>The layers and containers <c>New-InitModel</c> builds, with PyTorch's argument names and defaults.</summary>
public static class BuiltinModules
{
    /// <summary>A registry with every built-in module type.</summary>
    public static ModuleRegistry CreateRegistry()
    {
        var r = new ModuleRegistry();
        foreach (var d in Convolutions()) r.Register(d);
        r.Register(new("Linear", "y = x W^T + b.",
            new S[] { new("in_features", K.Int, null, Required: true), new("out_features", K.Int, null, Required: true), new("bias", K.Bool, true) },
            a => nn.Linear(a.Int("in_features"), a.Int("out_features"), a.Bool("bias"))));
        foreach (var (name, dims) in new[] { ("BatchNorm1d", 1), ("BatchNorm2d", 2), ("BatchNorm3d", 3) })
            r.Register(new(name, "Batch normalization.", NormArgs(affine: true, track: true), a => dims switch
            {
                1 => nn.BatchNorm1d(a.Int("num_features"), a.Number("eps"), a.Number("momentum"), a.Bool("affine"), a.Bool("track_running_stats")),
                2 => nn.BatchNorm2d(a.Int("num_features"), a.Number("eps"), a.Number("momentum"), a.Bool("affine"), a.Bool("track_running_stats")),
                _ => (nn.Module)nn.BatchNorm3d(a.Int("num_features"), a.Number("eps"), a.Number("momentum"), a.Bool("affine"), a.Bool("track_running_stats")),
            }));
        foreach (var (name, dims) in new[] { ("InstanceNorm1d", 1), ("InstanceNorm2d", 2), ("InstanceNorm3d", 3) })
            r.Register(new(name, "Instance normalization.", NormArgs(affine: false, track: false), a => dims switch
            {
                1 => nn.InstanceNorm1d(a.Int("num_features"), a.Number("eps"), a.Number("momentum"), a.Bool("affine"), a.Bool("track_running_stats")),
                2 => nn.InstanceNorm2d(a.Int("num_features"), a.Number("eps"), a.Number("momentum"), a.Bool("affine"), a.Bool("track_running_stats")),
                _ => (nn.Module)nn.InstanceNorm3d(a.Int("num_features"), a.Number("eps"), a.Number("momentum"), a.Bool("affine"), a.Bool("track_running_stats")),
            }));
        r.Register(new("GroupNorm", "Group normalization.",
            new S[] { new("num_groups", K.Int, null, Required: true), new("num_channels", K.Int, null, Required: true), new("eps", K.Number, 1e-5), new("affine", K.Bool, true) },
            a => GroupNormAsPyTorch(nn.GroupNorm(a.Int("num_groups"), a.Int("num_channels"), a.Number("eps"), a.Bool("affine")))));
        r.Register(new("LayerNorm", "Layer normalization over the last dimensions.",
            new S[] { new("normalized_shape", K.IntList, null, Required: true), new("eps", K.Number, 1e-5), new("elementwise_affine", K.Bool, true), new("bias", K.Bool, true) },
            a => nn.LayerNorm(a.Ints("normalized_shape"), a.Number("eps"), a.Bool("elementwise_affine"), a.Bool("bias"))));
        r.Register(new("Embedding", "A lookup table of embeddings.",
            new S[] { new("num_embeddings", K.Int, null, Required: true), new("embedding_dim", K.Int, null, Required: true), new("padding_idx", K.Int, null, Nullable: true) },
            a => nn.Embedding(a.Int("num_embeddings"), a.Int("embedding_dim"), a.IntOrNull("padding_idx"))));
        Transformer.TransformerModules.Register(r);

        var inplace = new S[] { new("inplace", K.Bool, false) };
        r.Register(new("ReLU", "Rectified linear unit.", inplace, a => nn.ReLU(a.Bool("inplace"))));
        r.Register(new("GELU", "Gaussian error linear unit.", Array.Empty<S>(), _ => nn.GELU()));
        r.Register(new("SiLU", "Sigmoid linear unit.", inplace, a => nn.SiLU(a.Bool("inplace"))));
        r.Register(new("Sigmoid", "Logistic sigmoid.", Array.Empty<S>(), _ => nn.Sigmoid()));
        r.Register(new("Tanh", "Hyperbolic tangent.", Array.Empty<S>(), _ => nn.Tanh()));
        r.Register(new("Identity", "Returns its input.", Array.Empty<S>(), _ => nn.Identity()));
        r.Register(new("Dropout", "Zeroes elements with probability p while training.",
            new S[] { new("p", K.Number, 0.5), new("inplace", K.Bool, false) }, a => nn.Dropout(a.Number("p"), a.Bool("inplace"))));
        r.Register(new("MaxPool2d", "2-d max pooling.",
            new S[] { new("kernel_size", K.Ints, null, Required: true), new("stride", K.Ints, null, Nullable: true), new("padding", K.Ints, 0L), new("dilation", K.Ints, 1L), new("ceil_mode", K.Bool, false) },
            a => nn.MaxPool2d(a.Ints("kernel_size"), a.Has("stride") ? a.Ints("stride") : null, a.Ints("padding"), a.Ints("dilation"), a.Bool("ceil_mode")), dimensions: 2));
        r.Register(new("AvgPool2d", "2-d average pooling.",
            new S[] { new("kernel_size", K.Ints, null, Required: true), new("stride", K.Ints, null, Nullable: true), new("padding", K.Ints, 0L), new("ceil_mode", K.Bool, false), new("count_include_pad", K.Bool, true) },
            a => nn.AvgPool2d(a.Ints("kernel_size"), a.Has("stride") ? a.Ints("stride") : null, a.Ints("padding"), a.Bool("ceil_mode"), a.Bool("count_include_pad")), dimensions: 2));
        r.Register(new("AdaptiveAvgPool2d", "2-d adaptive average pooling.",
            new S[] { new("output_size", K.Ints, null, Required: true) }, a => nn.AdaptiveAvgPool2d(a.Ints("output_size")), dimensions: 2));
        r.Register(new("Flatten", "Flattens a range of dimensions.",
            new S[] { new("start_dim", K.Int, 1L), new("end_dim", K.Int, -1L) }, a => nn.Flatten(a.Int("start_dim"), a.Int("end_dim"))));

        foreach (var depth in new[] { 18, 34, 50, 101, 152 })
        {
            var name = $"resnet{depth}";
            r.Register(new(name, $"torchvision's {name} (TorchVision package): torchvision's layout and parameter names, so its checkpoints load.",
                new S[] { new("num_classes", K.Int, 1000L), new("zero_init_residual", K.Bool, false) },
                a => TorchVision(name, (int)a.Int("num_classes"), a.Bool("zero_init_residual"))));
        }
        MMDet.MMDetModules.Register(r);
        MMDet.Transformer.TransformerBricks.Register(r);

        r.Register(new("Sequential", "Children run in order; modules is a list (children 0, 1, ...).", Array.Empty<S>(), _ => throw new InvalidOperationException()) { Container = ContainerKind.List });
        r.Register(new("ModuleList", "A list of children; modules is a list (children 0, 1, ...).", Array.Empty<S>(), _ => throw new InvalidOperationException()) { Container = ContainerKind.List });
        r.Register(new("ModuleDict", "Named children; modules is an ordered map.", Array.Empty<S>(), _ => throw new InvalidOperationException()) { Container = ContainerKind.Map });
        r.Register(new("nn.Sequential", "PyTorch's plain nn.Sequential: MMEngine's init walk does not enter it (a warning names configured modules inside).", Array.Empty<S>(), _ => throw new InvalidOperationException()) { Container = ContainerKind.List });
        r.Register(new("nn.ModuleList", "PyTorch's plain nn.ModuleList (as inside MMDetection's FPN and heads): the init walk does not enter it.", Array.Empty<S>(), _ => throw new InvalidOperationException()) { Container = ContainerKind.List });
        r.Register(new("nn.ModuleDict", "PyTorch's plain nn.ModuleDict: the init walk does not enter it.", Array.Empty<S>(), _ => throw new InvalidOperationException()) { Container = ContainerKind.Map });
        r.Register(new("Module", "A plain composite of named children; class_name names its class (default Module).", Array.Empty<S>(), _ => throw new InvalidOperationException()) { Container = ContainerKind.Map });
        return r;
    }

    private static nn.Module TorchVision(string name, int classes, bool zeroInitResidual) =>
        TorchVisionResNet.Build(int.Parse(name["resnet".Length..], System.Globalization.CultureInfo.InvariantCulture), classes, zeroInitResidual);

    private static S[] NormArgs(bool affine, bool track) => new S[]
    {
        new("num_features", K.Int, null, Required: true), new("eps", K.Number, 1e-5), new("momentum", K.Number, 0.1),
        new("affine", K.Bool, affine), new("track_running_stats", K.Bool, track),
    };

    private static IEnumerable<ModuleDescriptor> Convolutions()
    {
        S[] Args(bool transpose)
        {
            var list = new List<S>
            {
                new("in_channels", K.Int, null, Required: true), new("out_channels", K.Int, null, Required: true),
                new("kernel_size", K.Ints, null, Required: true), new("stride", K.Ints, 1L), new("padding", K.Ints, 0L),
            };
            if (transpose) list.Add(new("output_padding", K.Ints, 0L));
            list.AddRange(new S[] { new("dilation", K.Ints, 1L), new("groups", K.Int, 1L), new("bias", K.Bool, true) });
            return list.ToArray();
        }

        yield return new("Conv1d", "1-d convolution.", Args(false), a => nn.Conv1d(a.Int("in_channels"), a.Int("out_channels"),
            a.Ints("kernel_size")[0], a.Ints("stride")[0], a.Ints("padding")[0], a.Ints("dilation")[0], groups: a.Int("groups"), bias: a.Bool("bias")), 1);
        yield return new("Conv2d", "2-d convolution.", Args(false), a => nn.Conv2d(a.Int("in_channels"), a.Int("out_channels"),
            T2(a.Ints("kernel_size")), T2(a.Ints("stride")), T2(a.Ints("padding")), T2(a.Ints("dilation")), groups: a.Int("groups"), bias: a.Bool("bias")), 2);
        yield return new("Conv3d", "3-d convolution.", Args(false), a => nn.Conv3d(a.Int("in_channels"), a.Int("out_channels"),
            T3(a.Ints("kernel_size")), T3(a.Ints("stride")), T3(a.Ints("padding")), T3(a.Ints("dilation")), groups: a.Int("groups"), bias: a.Bool("bias")), 3);
        yield return new("ConvTranspose1d", "1-d transposed convolution.", Args(true), a => nn.ConvTranspose1d(a.Int("in_channels"), a.Int("out_channels"),
            a.Ints("kernel_size")[0], a.Ints("stride")[0], a.Ints("padding")[0], a.Ints("output_padding")[0], a.Ints("dilation")[0], groups: a.Int("groups"), bias: a.Bool("bias")), 1);
        yield return new("ConvTranspose2d", "2-d transposed convolution.", Args(true), a => nn.ConvTranspose2d(a.Int("in_channels"), a.Int("out_channels"),
            T2(a.Ints("kernel_size")), T2(a.Ints("stride")), T2(a.Ints("padding")), T2(a.Ints("output_padding")), T2(a.Ints("dilation")), groups: a.Int("groups"), bias: a.Bool("bias")), 2);
        yield return new("ConvTranspose3d", "3-d transposed convolution.", Args(true), a => nn.ConvTranspose3d(a.Int("in_channels"), a.Int("out_channels"),
            T3(a.Ints("kernel_size")), T3(a.Ints("stride")), T3(a.Ints("padding")), T3(a.Ints("output_padding")), T3(a.Ints("dilation")), groups: a.Int("groups"), bias: a.Bool("bias")), 3);
    }

    private static (long, long) T2(long[] v) => (v[0], v[1]);
    private static (long, long, long) T3(long[] v) => (v[0], v[1], v[2]);

    // TorchSharp 0.107's GroupNorm leaves weight and bias as torch.empty (uninitialized memory: a different
    // "default" on every build); PyTorch's reset_parameters sets ones and zeros. Draws nothing.
    private static nn.Module GroupNormAsPyTorch(TorchSharp.Modules.GroupNorm gn)
    {
        using var _ = no_grad();
        if (gn.weight is { } w) w.Fill(1);
        if (gn.bias is { } b) b.zero_();
        return gn;
    }
}
