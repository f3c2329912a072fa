#nullable enable
namespace InitCfg.Core.Initializers;

/// <summary>What kind of value an argument takes.</summary>
public enum ArgumentKind
{
    /// <summary>An int or a float.</summary>
    Number,
    /// <summary>One string out of <see cref="ArgumentSpec.Choices"/>.</summary>
    Choice,
    /// <summary>Any string (a path, a prefix).</summary>
    Text,
    /// <summary>A string or a list of strings.</summary>
    TextList,
    /// <summary>True or false.</summary>
    Bool,
}

/// <summary>One argument of an initializer: name as MMEngine spells it, kind, default, and a one-line description.</summary>
public sealed record ArgumentSpec(string Name, ArgumentKind Kind, object? Default, string Description,
    bool Required = false, IReadOnlyList<string>? Choices = null, bool Nullable = false)
{
    /// <summary>The default as Python prints it, or "(required)".</summary>
    public string DefaultText => Required ? "(required)" : Configs.PyRepr.Repr(Default);
}
