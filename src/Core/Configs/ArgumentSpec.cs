#nullable enable
namespace InitCfg.Core.Configs;

/// <summary>What kind of value an argument of a registered type (an initializer or a module) takes.</summary>
public enum ArgumentKind
{
    /// <summary>An int or a float, finite and within float32's range.</summary>
    Number,
    /// <summary>An int.</summary>
    Int,
    /// <summary>An int, or a list of ints of the layer's dimensionality (kernel_size=3 or [3, 1]).</summary>
    Ints,
    /// <summary>An int or a non-empty list of ints of any length (normalized_shape).</summary>
    IntList,
    /// <summary>One string out of <see cref="ArgumentSpec.Choices"/>, matched case-insensitively.</summary>
    Choice,
    /// <summary>Any string (a path, a prefix).</summary>
    Text,
    /// <summary>A string or a list of strings.</summary>
    TextList,
    /// <summary>True or false.</summary>
    Bool,
    /// <summary>Any value: read by the type itself (a sub-config) or accepted for compatibility and ignored.</summary>
    Ignored,
}

/// <summary>
/// One argument of a registered type, initializer or module: the name as MMEngine/PyTorch spell it, its kind, its
/// default, and a one-line description for the catalog.
/// </summary>
public sealed record ArgumentSpec(string Name, ArgumentKind Kind, object? Default, string Description = "",
    bool Required = false, IReadOnlyList<string>? Choices = null, bool Nullable = false)
{
    /// <summary>The default as Python prints it, or "(required)".</summary>
    public string DefaultText => Required ? "(required)" : PyRepr.Repr(Default);

    /// <summary>The kind as the catalog shows it (<c>int</c>, <c>str or list of str</c>, the choices).</summary>
    public string KindText => Kind switch
    {
        ArgumentKind.Number => "number",
        ArgumentKind.Int => "int",
        ArgumentKind.Ints or ArgumentKind.IntList => "int or list of int",
        ArgumentKind.Choice => string.Join("|", Choices!),
        ArgumentKind.Text => "str",
        ArgumentKind.TextList => "str or list of str",
        ArgumentKind.Bool => "bool",
        _ => "any (ignored)",
    };
}
