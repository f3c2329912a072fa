#nullable enable
using InitCfg.Core.Checkpoints;

namespace InitCfg.Core.Initializers;

/// <summary>Where initializers find files: the checkpoint cache and the folder relative paths start from.</summary>
public sealed class InitEnvironment
{
    /// <summary>Defaults: the torch hub cache and the process's current folder.</summary>
    public static InitEnvironment Default => new();

    /// <summary>Resolves checkpoint paths and URIs.</summary>
    public CheckpointLocator Checkpoints { get; init; } = new();
}
