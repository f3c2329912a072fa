#nullable enable
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.Bricks;

/// <summary>
/// MMCV's <c>DeformConv2d</c> and <c>DeformConv2dPack</c> (registered as <c>DCN</c>), mmcv/ops/deform_conv.py: a
/// <c>weight</c> of shape (out, in / groups, kh, kw) and no bias, drawn by <c>reset_parameters</c> (Kaiming uniform,
/// relu gain); the Pack adds <c>conv_offset</c>, an <c>nn.Conv2d</c> giving 2·kh·kw offsets per deform group, built
/// with PyTorch's draws and then zeroed (<c>init_offset</c>). Neither has an <c>init_weights</c>, so MMEngine's walk
/// never calls into them: only a parent's init_cfg reaches them (<c>layer='Conv2d'</c> matches the
/// <c>conv_offset</c>, not the deformable conv, whose only base is DeformConv2d). The forward needs MMCV's compiled
/// operator, which TorchSharp does not have: calling it is an <see cref="InitCfgException"/>.
/// </summary>
public sealed class DeformConv2d : nn.Module<Tensor, Tensor>, INamedModuleClass
{
    /// <summary>Builds it as <c>DeformConv2d(in, out, kernel_size, stride, padding, dilation, groups, deform_groups, bias=False)</c>,
    /// or the Pack with its <c>conv_offset</c>.</summary>
    public DeformConv2d(long inChannels, long outChannels, (long, long) kernel, (long, long) stride, (long, long) padding,
        (long, long) dilation, long groups, long deformGroups, bool pack) : base(pack ? "DeformConv2dPack" : "DeformConv2d")
    {
        ClassName = pack ? "DeformConv2dPack" : "DeformConv2d";
        BaseClassNames = pack ? new[] { "DeformConv2d" } : new[] { "Module" };
        DeformGroups = deformGroups;
        var weight = empty(outChannels, inChannels / groups, kernel.Item1, kernel.Item2);
        // nn.init.kaiming_uniform_(weight, nonlinearity='relu'), computed as PyTorch computes the bound.
        double fanIn = inChannels / groups * kernel.Item1 * kernel.Item2;
        double bound = Math.Sqrt(3.0) * (Math.Sqrt(2.0) / Math.Sqrt(fanIn));
        using (no_grad()) weight.uniform_(-bound, bound);
        register_parameter("weight", new TorchSharp.Modules.Parameter(weight));
        if (pack)
        {
            var offset = nn.Conv2d(inChannels, deformGroups * 2 * kernel.Item1 * kernel.Item2, kernel, stride, padding, dilation, bias: true);
            using (no_grad())
            {
                offset.weight!.zero_();
                offset.bias!.zero_();
            }
            register_module("conv_offset", offset);
        }
    }

    /// <summary>Deformable groups (each has its own offsets).</summary>
    public long DeformGroups { get; }

    /// <inheritdoc />
    public string ClassName { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; }

    /// <summary>Not available: the deformable convolution is one of MMCV's compiled operators.</summary>
    public override Tensor forward(Tensor input) => throw NoForward(ClassName);

    internal static InitCfgException NoForward(string className) =>
        new(ErrorIds.ForwardNotSupported, null, $"{className} cannot run forward here: it needs MMCV's compiled deformable convolution (mmcv._ext), " +
            "which TorchSharp does not provide. Building, initializing, loading and exporting it work.");
}
