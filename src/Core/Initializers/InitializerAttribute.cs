#nullable enable
using InitCfg.Core.Configs;

namespace InitCfg.Core.Initializers;

/// <summary>Names a user initializer class for registration (the <c>type</c> configs use).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class InitializerAttribute : Attribute
{
    /// <summary>Registers the class under <paramref name="type"/>.</summary>
    public InitializerAttribute(string type) => Type = type;

    /// <summary>The <c>type</c> name.</summary>
    public string Type { get; }

    /// <summary>One line for the catalog.</summary>
    public string Description { get; set; } = "";
}

/// <summary>Declares an argument of a user initializer class (besides bias, bias_prob and layer).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InitArgumentAttribute : Attribute
{
    /// <summary>Declares the argument.</summary>
    public InitArgumentAttribute(string name, ArgumentKind kind) { Name = name; Kind = kind; }

    /// <summary>Name as configs spell it.</summary>
    public string Name { get; }

    /// <summary>Kind of value.</summary>
    public ArgumentKind Kind { get; }

    /// <summary>Default (null: required unless <see cref="Optional"/>).</summary>
    public object? Default { get; set; }

    /// <summary>True when the argument may be left out with a null default.</summary>
    public bool Optional { get; set; }

    /// <summary>Allowed values for <see cref="ArgumentKind.Choice"/>.</summary>
    public string[]? Choices { get; set; }

    /// <summary>One line of help.</summary>
    public string Description { get; set; } = "";
}
