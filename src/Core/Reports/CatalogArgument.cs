#nullable enable
namespace InitCfg.Core.Reports;

/// <summary>One argument of a registered initializer or module type.</summary>
public sealed record CatalogArgument(string Name, string Type, string Default, bool Required, string Description)
{
    /// <inheritdoc />
    public override string ToString() => Required ? $"{Name} ({Type}, required)" : $"{Name}={Default}";
}
