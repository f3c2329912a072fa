#nullable enable
using InitCfg.Core.Configs;

namespace InitCfg.Core.Building;

/// <summary>Validated constructor arguments of one module node, defaults filled in, under PyTorch's names.</summary>
public sealed class ModuleArguments : ArgumentValues
{
    internal ModuleArguments(IReadOnlyDictionary<string, object?> values, ConfigPath path, int dimensions, bool initCfgGiven = false)
        : base(values, path, dimensions) => InitCfgGiven = initCfgGiven;

    /// <summary>True when the node has its own init_cfg (some modules, like MMDetection's ResNet, default one otherwise).</summary>
    public bool InitCfgGiven { get; }
}
