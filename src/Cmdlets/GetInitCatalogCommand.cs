#nullable enable
using System.Management.Automation;
using InitCfg.Core.Reports;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Lists the registered initializers and module types, with their arguments, types and defaults.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "InitCatalog")]
[OutputType(typeof(CatalogEntry))]
public sealed class GetInitCatalogCommand : PSCmdlet
{
    #region Parameters

    /// <summary>Initializer or Module; both when left out.</summary>
    [Parameter(Position = 0)]
    [ValidateSet(Catalog.Initializer, Catalog.Module, IgnoreCase = true)]
    public string? Kind { get; set; }

    /// <summary>Only entries whose name matches this wildcard.</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    public string Name { get; set; } = "*";

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var pattern = new WildcardPattern(Name, WildcardOptions.IgnoreCase);
        var entries = Enumerable.Empty<CatalogEntry>();
        if (Kind is null || Kind.Equals(Catalog.Initializer, StringComparison.OrdinalIgnoreCase)) entries = entries.Concat(Catalog.Initializers());
        if (Kind is null || Kind.Equals(Catalog.Module, StringComparison.OrdinalIgnoreCase)) entries = entries.Concat(Catalog.Modules());
        WriteObject(entries.Where(e => pattern.IsMatch(e.Name)), enumerateCollection: true);
    }

    #endregion
}
