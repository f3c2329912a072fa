#nullable enable
namespace InitCfg.Core.Configs;

/// <summary>
/// What a <see cref="Registry{TDescriptor}"/> holds under a <c>type</c> name: the name, a line for the catalog, and
/// the arguments a config of that type takes. <see cref="Initializers.InitializerDescriptor"/> and
/// <see cref="Building.ModuleDescriptor"/> add how to build one.
/// </summary>
public abstract class TypeDescriptor
{
    /// <param name="type">The <c>type</c> name.</param>
    /// <param name="description">One line for the catalog.</param>
    /// <param name="arguments">Every argument a config of this type takes.</param>
    private protected TypeDescriptor(string type, string description, IReadOnlyList<ArgumentSpec> arguments)
    {
        Type = type;
        Description = description;
        Arguments = arguments;
    }

    /// <summary>The <c>type</c> name, e.g. <c>Kaiming</c> or <c>Conv2d</c>.</summary>
    public string Type { get; }

    /// <summary>One line for the catalog.</summary>
    public string Description { get; }

    /// <summary>Every argument a config of this type takes.</summary>
    public IReadOnlyList<ArgumentSpec> Arguments { get; }
}
