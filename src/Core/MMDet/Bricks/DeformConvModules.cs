#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.Bricks;

/// <summary>
/// MMCV's deformable convolutions as model config types: <c>DCN</c> and <c>DCNv2</c> (MMCV's registry names of the
/// Packs) and the class names <c>DeformConv2d</c>, <c>DeformConv2dPack</c>, <c>ModulatedDeformConv2d</c>,
/// <c>ModulatedDeformConv2dPack</c>, with MMCV's constructor arguments and defaults.
/// </summary>
public static class DeformConvModules
{
    private static S[] Args(bool modulated) => new S[]
    {
        new("in_channels", K.Int, null, Required: true), new("out_channels", K.Int, null, Required: true),
        new("kernel_size", K.Ints, null, Required: true), new("stride", K.Ints, 1L), new("padding", K.Ints, 0L),
        new("dilation", K.Ints, 1L), new("groups", K.Int, 1L), new("deform_groups", K.Int, 1L, "Deformable groups."),
        new("bias", K.Bool, modulated, modulated ? "A bias." : "Must be False (MMCV asserts it)."),
    }.Concat(modulated ? Array.Empty<S>() : new[] { new S("im2col_step", K.Int, 32L, "Kept (forward only).") }).ToArray();

    /// <summary>The descriptors, for the model registry.</summary>
    public static IEnumerable<ModuleDescriptor> Descriptors()
    {
        foreach (var (type, pack) in new[] { ("DeformConv2d", false), ("DeformConv2dPack", true), ("DCN", true) })
            yield return new(type, $"MMCV's {(pack ? "DeformConv2dPack" : "DeformConv2d")}: weight only{(pack ? ", zeroed conv_offset" : "")}; no forward here (MMCV's compiled op).",
                Args(false), a => Deform(a, pack), 2);
        foreach (var (type, pack) in new[] { ("ModulatedDeformConv2d", false), ("ModulatedDeformConv2dPack", true), ("DCNv2", true) })
            yield return new(type, $"MMCV's {(pack ? "ModulatedDeformConv2dPack" : "ModulatedDeformConv2d")}: its own init_weights{(pack ? ", zeroed conv_offset" : "")}; no forward here.",
                Args(true), a => Modulated(a, pack), 2);
    }

    private static nn.Module Deform(ModuleArguments a, bool pack)
    {
        Check(a);
        if (a.Bool("bias")) throw a.Invalid("bias", "DeformConv2d does not support bias (MMCV asserts bias=False).");
        return new DeformConv2d(a.Int("in_channels"), a.Int("out_channels"), T2(a.Ints("kernel_size")), T2(a.Ints("stride")), T2(a.Ints("padding")),
            T2(a.Ints("dilation")), a.Int("groups"), a.Int("deform_groups"), pack);
    }

    private static nn.Module Modulated(ModuleArguments a, bool pack)
    {
        Check(a);
        return new ModulatedDeformConv2d(a.Int("in_channels"), a.Int("out_channels"), T2(a.Ints("kernel_size")), T2(a.Ints("stride")), T2(a.Ints("padding")),
            T2(a.Ints("dilation")), a.Int("groups"), a.Int("deform_groups"), a.Bool("bias"), pack);
    }

    private static void Check(ModuleArguments a)
    {
        long groups = a.Int("groups");
        if (groups < 1 || a.Int("in_channels") % groups != 0 || a.Int("out_channels") % groups != 0)
            throw a.Invalid("groups", $"in_channels ({a.Int("in_channels")}) and out_channels ({a.Int("out_channels")}) must be divisible by groups ({groups}).");
    }

    private static (long, long) T2(long[] v) => v.Length == 2 ? (v[0], v[1]) : (v[0], v[0]);
}
