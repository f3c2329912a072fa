#nullable enable
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.Modules;

/// <summary>
/// A plain composite built from a config (<c>type: Module</c>): named children in order, and a class name
/// that reports and layer matching use (like a user's <c>nn.Module</c> subclass in PyTorch).
/// </summary>
public sealed class ConfigModule : BaseModule, INamedModuleClass
{
    /// <summary>Creates the composite and registers its children in order.</summary>
    public ConfigModule(string className, IEnumerable<KeyValuePair<string, nn.Module>> children) : base(className)
    {
        ClassName = className;
        foreach (var (name, child) in children) register_module(name, child);
    }

    /// <inheritdoc />
    public string ClassName { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "BaseModule", "Module" };
}
