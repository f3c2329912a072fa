#nullable enable
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.Modules;

/// <summary>A list of modules that carries an init_cfg (MMEngine's <c>ModuleList</c>); children are named 0, 1, ...</summary>
public sealed class MMEngineModuleList : BaseModule, INamedModuleClass
{
    /// <summary>Creates the list.</summary>
    public MMEngineModuleList(IEnumerable<nn.Module> items) : base("ModuleList")
    {
        int i = 0;
        foreach (var m in items) register_module((i++).ToString(), m);
    }

    /// <inheritdoc />
    public string ClassName => "ModuleList";

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "BaseModule", "Module" };
}
