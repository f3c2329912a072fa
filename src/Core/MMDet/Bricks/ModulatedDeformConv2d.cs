#nullable enable
using InitCfg.Core.Initializers;
using InitCfg.Core.Layers;
using InitCfg.Core.Modules;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.Bricks;

/// <summary>
/// MMCV's <c>ModulatedDeformConv2d</c> and <c>ModulatedDeformConv2dPack</c> (registered as <c>DCNv2</c>),
/// mmcv/ops/modulated_deform_conv.py: <c>weight</c> (out, in / groups, kh, kw) and an optional <c>bias</c>; the Pack
/// adds <c>conv_offset</c>, an <c>nn.Conv2d</c> giving 3·kh·kw channels per deform group. Its <c>init_weights</c>
/// draws the weight uniform in ±1/√(in·kh·kw), zeroes the bias and the offsets. As in MMCV it runs at construction
/// (the Pack runs it twice: once from the base constructor, before <c>conv_offset</c> exists, once after building it),
/// and MMEngine calls it again whenever the walk reaches it, since it has an <c>init_weights</c> of its own.
/// The forward needs MMCV's compiled operator: calling it is an InitCfgException.
/// </summary>
public sealed class ModulatedDeformConv2d : BaseModule, INamedModuleClass
{
    private readonly long _fan;

    /// <summary>Builds it as <c>ModulatedDeformConv2d(in, out, kernel_size, stride, padding, dilation, groups, deform_groups, bias)</c>,
    /// or the Pack with its <c>conv_offset</c>.</summary>
    public ModulatedDeformConv2d(long inChannels, long outChannels, (long, long) kernel, (long, long) stride, (long, long) padding,
        (long, long) dilation, long groups, long deformGroups, bool bias, bool pack) : base(pack ? "ModulatedDeformConv2dPack" : "ModulatedDeformConv2d")
    {
        ClassName = pack ? "ModulatedDeformConv2dPack" : "ModulatedDeformConv2d";
        BaseClassNames = pack ? new[] { "ModulatedDeformConv2d" } : new[] { "Module" };
        DeformGroups = deformGroups;
        _fan = inChannels * kernel.Item1 * kernel.Item2;
        register_parameter("weight", new TorchSharp.Modules.Parameter(empty(outChannels, inChannels / groups, kernel.Item1, kernel.Item2)));
        if (bias) register_parameter("bias", new TorchSharp.Modules.Parameter(empty(outChannels)));
        Fill(null);
        if (!pack) return;
        register_module("conv_offset", nn.Conv2d(inChannels, deformGroups * 3 * kernel.Item1 * kernel.Item2, kernel, stride, padding, dilation, bias: true));
        Fill(null);
    }

    /// <summary>Deformable groups (each has its own offsets and masks).</summary>
    public long DeformGroups { get; }

    /// <inheritdoc />
    public string ClassName { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } 

    /// <summary>MMCV's <c>init_weights</c>, drawing from the run's generator.</summary>
    public override void InitWeights(InitContext context) => Fill(context.Generator);

    private void Fill(Generator? generator)
    {
        using var _ = no_grad();
        double stdv = 1.0 / Math.Sqrt(_fan);
        var (weight, bias) = ModuleParameters.WeightAndBias(this);
        weight!.uniform_(-stdv, stdv, generator);
        bias?.zero_();
        if (named_children().FirstOrDefault(c => c.name == "conv_offset").module is { } offset)
        {
            var (w, b) = ModuleParameters.WeightAndBias(offset);
            w!.zero_();
            b!.zero_();
        }
    }

    /// <summary>Not available: the modulated deformable convolution is one of MMCV's compiled operators.</summary>
    public override Tensor forward(Tensor input) => throw DeformConv2d.NoForward(ClassName);
}
