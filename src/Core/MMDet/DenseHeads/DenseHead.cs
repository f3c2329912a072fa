#nullable enable
using InitCfg.Core.Modules;
using InitCfg.Core.Initializers;
using InitCfg.Core.Configs;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.DenseHeads;

/// <summary>
/// A dense head (MMDetection's <c>BaseDenseHead</c> subclasses). Its <c>init_weights</c> is BaseDenseHead's:
/// the default procedure, then every <c>conv_offset</c> (of deformable convolutions) set to zero so the init_cfg
/// does not overwrite it.
/// </summary>
public sealed class DenseHead : MMDetModule
{
    /// <summary>Creates the head.</summary>
    public DenseHead(string className, IEnumerable<KeyValuePair<string, nn.Module>> children, ConfigMap settings)
        : base(className, children, settings, new[] { "BaseDenseHead" }) { }

    /// <inheritdoc />
    public override void InitWeights(InitContext context)
    {
        context.InitializeDefault(this);
        using var _ = no_grad();
        foreach (var (_, m) in named_modules())
            foreach (var (name, child) in m.named_children())
                if (name == "conv_offset")
                    foreach (var p in child.parameters()) p.zero_();
    }
}
