#nullable enable
using InitCfg.Core.Configs;

namespace InitCfg.Core.Walk;

/// <summary>The last thing that wrote a parameter during init_weights (or that nothing did).</summary>
public sealed record ParameterWrite(
    string InitInfo,
    string? Initializer,
    ConfigMap? Arguments,
    string? ModulePath,
    string? ConfigPath,
    bool Written);
