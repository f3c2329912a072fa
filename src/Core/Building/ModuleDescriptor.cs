#nullable enable
using InitCfg.Core.Configs;
using static TorchSharp.torch;

namespace InitCfg.Core.Building;

/// <summary>A module type the builder knows: its arguments and how to construct it.</summary>
public sealed class ModuleDescriptor : TypeDescriptor
{
    /// <summary>Creates a descriptor of a layer (a leaf: no <c>modules</c> key).</summary>
    public ModuleDescriptor(string type, string description, IReadOnlyList<ArgumentSpec> arguments,
        Func<ModuleArguments, nn.Module> factory, int dimensions = 0) : base(type, description, arguments)
    {
        Factory = factory;
        Dimensions = dimensions;
    }

    /// <summary>Builds the module.</summary>
    public Func<ModuleArguments, nn.Module> Factory { get; }

    /// <summary>Dimensionality for tuple arguments (Conv2d: 2).</summary>
    public int Dimensions { get; }

    /// <summary>Kind of container, or null for a leaf layer.</summary>
    public ContainerKind? Container { get; init; }
}

/// <summary>How a container's <c>modules</c> key is read.</summary>
public enum ContainerKind
{
    /// <summary>A list; children are named 0, 1, ...</summary>
    List,
    /// <summary>An ordered map of child name to node.</summary>
    Map,
}
