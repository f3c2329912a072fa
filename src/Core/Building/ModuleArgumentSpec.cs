#nullable enable
namespace InitCfg.Core.Building;

/// <summary>What a module constructor argument takes.</summary>
public enum ModuleArgumentKind
{
    /// <summary>An int.</summary>
    Int,
    /// <summary>An int, or a list of ints of the layer's dimensionality (kernel_size=3 or [3, 1]).</summary>
    Ints,
    /// <summary>An int or a list of ints of any length (normalized_shape).</summary>
    IntList,
    /// <summary>A number.</summary>
    Float,
    /// <summary>True or false.</summary>
    Bool,
    /// <summary>A string.</summary>
    Text,
    /// <summary>Accepted for compatibility with MMDetection configs and ignored (documented per argument).</summary>
    Ignored,
}

/// <summary>One constructor argument, under PyTorch's name and with PyTorch's default.</summary>
public sealed record ModuleArgumentSpec(string Name, ModuleArgumentKind Kind, object? Default, string Description = "",
    bool Required = false, bool Nullable = false)
{
    /// <summary>The default as Python prints it, or "(required)".</summary>
    public string DefaultText => Required ? "(required)" : Configs.PyRepr.Repr(Default);
}
