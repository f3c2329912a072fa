#nullable enable
using InitCfg.Core.Initializers;

namespace InitCfg.Core.Walk;

/// <summary>What a step of the init walk does.</summary>
public enum InitStepKind
{
    /// <summary>An initializer writes the weight/bias of one module.</summary>
    Apply,
    /// <summary>A module's own InitWeights replaces the default procedure for its subtree.</summary>
    UserInit,
    /// <summary>The module is marked initialized.</summary>
    Mark,
}

/// <summary>One planned step: nothing is written while planning, so a bad config is found before any change.</summary>
public sealed record InitStep(InitStepKind Kind, ModuleNode Target, Initializer? Initializer, ModuleNode Owner, string? ConfigPath)
{
    /// <summary>For a whole-target initializer: this run's prepared state (its checkpoint read and matched).</summary>
    public PreparedInit? Prepared { get; init; }

    /// <summary>Elements this step writes (weight and bias of the target).</summary>
    public long Elements { get; init; }
}
