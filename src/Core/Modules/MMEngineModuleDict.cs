#nullable enable
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.Modules;

/// <summary>A name-to-module map that carries an init_cfg (MMEngine's <c>ModuleDict</c>), in insertion order.</summary>
public sealed class MMEngineModuleDict : BaseModule, INamedModuleClass
{
    /// <summary>Creates the map.</summary>
    public MMEngineModuleDict(IEnumerable<KeyValuePair<string, nn.Module>> items) : base("ModuleDict")
    {
        foreach (var (name, m) in items) register_module(name, m);
    }

    /// <inheritdoc />
    public string ClassName => "ModuleDict";

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "BaseModule", "Module" };
}
