#nullable enable
namespace InitCfg.Core.Layers;

/// <summary>A module whose class name for reports and layer matching is not its .NET type name (config-built composites).</summary>
public interface INamedModuleClass
{
    /// <summary>The class name, e.g. <c>ResNetLike</c>.</summary>
    string ClassName { get; }

    /// <summary>Names of its direct base classes, as MMEngine's <c>_get_bases_name</c> would list them.</summary>
    IReadOnlyList<string> BaseClassNames { get; }
}
