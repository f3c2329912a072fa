#nullable enable
namespace InitCfg.Core.Reports;

/// <summary>A registered initializer or module type, with its arguments.</summary>
public sealed record CatalogEntry(string Kind, string Name, string Description, IReadOnlyList<CatalogArgument> Arguments)
{
    /// <summary>The arguments in one line, as a signature.</summary>
    public string Signature => string.Join(", ", Arguments.Select(a => a.ToString()));
}
