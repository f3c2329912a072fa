#nullable enable
namespace InitCfg.Core.Configs;

/// <summary>An object that can stand where a config dictionary is expected (for example an <see cref="InitConfig"/>).</summary>
public interface IConfigSource
{
    /// <summary>The object as a config tree (<see cref="ConfigMap"/>).</summary>
    object ToConfigTree();
}
