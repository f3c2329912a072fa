#nullable enable
namespace InitCfg.Core.Layers;

/// <summary>
/// Whether a <c>layer</c> filter selects a module. Names compare exactly, as MMEngine's <c>layer in _get_bases_name(m)</c>:
/// a config that matched case-insensitively here would write layers MMEngine leaves alone.
/// </summary>
public static class LayerMatcher
{
    /// <summary>True when any filter name equals any of the module's layer-type names.</summary>
    public static bool Intersects(IReadOnlyList<string> filter, IReadOnlyList<string> layerTypeNames)
    {
        foreach (var f in filter)
            foreach (var n in layerTypeNames)
                if (string.Equals(f, n, StringComparison.Ordinal)) return true;
        return false;
    }
}
