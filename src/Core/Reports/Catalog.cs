#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Initializers;

namespace InitCfg.Core.Reports;

/// <summary>What is registered: initializers and module types, with argument types and defaults.</summary>
public static class Catalog
{
    /// <summary>Kinds the catalog lists.</summary>
    public const string Initializer = "Initializer", Module = "Module";

    /// <summary>Every registered initializer.</summary>
    public static IEnumerable<CatalogEntry> Initializers(InitializerRegistry? registry = null) =>
        (registry ?? InitializerRegistry.Default).Descriptors.Select(d => new CatalogEntry(Initializer, d.Type, d.Description,
            d.Arguments.Select(a => new CatalogArgument(a.Name, a.KindText, a.DefaultText, a.Required, a.Description)).ToArray()));

    /// <summary>Every registered module type.</summary>
    public static IEnumerable<CatalogEntry> Modules(ModuleRegistry? registry = null) =>
        (registry ?? ModuleRegistry.Default).Descriptors.Select(d => new CatalogEntry(Module, d.Type, d.Description,
            (d.Container is null
                ? d.Arguments.Select(a => new CatalogArgument(a.Name, a.KindText, a.DefaultText, a.Required, a.Description))
                : new[] { new CatalogArgument("modules", d.Container == ContainerKind.List ? "list of nodes" : "map of name to node", "[]", false, "Children.") }
                    .Concat(d.Type == "Module" ? new[] { new CatalogArgument("class_name", "str", "'Module'", false, "Class name for reports and layer matching.") } : Array.Empty<CatalogArgument>()))
            .ToArray()));
}
