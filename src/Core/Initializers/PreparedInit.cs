#nullable enable
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>
/// A <see cref="WholeTargetInitializer"/> ready for one run: its source read and held until disposed, so the
/// plan, its warnings and the write all see the same data.
/// </summary>
public abstract class PreparedInit : IDisposable
{
    /// <summary>Names (relative to <paramref name="target"/>) of the parameters and buffers the write will change.</summary>
    public abstract IReadOnlyList<string> PlannedWrites(nn.Module target);

    /// <summary>Warnings about writing <paramref name="target"/>, found while planning.</summary>
    public abstract IEnumerable<InitWarning> PlanWarnings(nn.Module target, string targetPath, string configPath);

    /// <summary>Writes <paramref name="target"/>.</summary>
    public abstract void Apply(nn.Module target, InitContext context);

    /// <summary>Frees what <see cref="WholeTargetInitializer.Prepare"/> read.</summary>
    public abstract void Dispose();
}
