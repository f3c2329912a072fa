#nullable enable
namespace InitCfg.Core.Configs;

/// <summary>An object that can stand where a config dictionary is expected (for example an <c>InitConfig</c>).</summary>
public interface IConfigSource
{
    /// <summary>The object as a config tree (<see cref="ConfigMap"/>).</summary>
    object ToConfigTree();
}
