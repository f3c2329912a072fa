#nullable enable
namespace InitCfg.Core.Layers;

/// <summary>Whether a <c>layer</c> filter selects a module. Names compare case-insensitively (MMEngine: exactly).</summary>
public static class LayerMatcher
{
    /// <summary>True when any filter name equals any of the module's layer-type names.</summary>
    public static bool Intersects(IReadOnlyList<string> filter, IReadOnlyList<string> layerTypeNames)
    {
        foreach (var f in filter)
            foreach (var n in layerTypeNames)
                if (string.Equals(f, n, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
