#nullable enable
namespace InitCfg.Core.Errors;

/// <summary>Something that will not stop initialization but is probably a mistake.</summary>
public sealed record InitWarning(string WarningId, string? Path, string Message)
{
    /// <summary>A <c>layer</c> name matches no module in the model.</summary>
    public const string LayerMatchesNothing = "LayerMatchesNothing";
    /// <summary>A config has neither <c>layer</c> nor <c>override</c>, so it writes nothing.</summary>
    public const string ConfigDoesNothing = "ConfigDoesNothing";
    /// <summary>The model was initialized before and <c>force</c> was not set.</summary>
    public const string AlreadyInitialized = "AlreadyInitialized";
    /// <summary>A checkpoint has no key the module has.</summary>
    public const string CheckpointLoadsNothing = "CheckpointLoadsNothing";
    /// <summary>The module has keys the checkpoint lacks.</summary>
    public const string CheckpointMissingKeys = "CheckpointMissingKeys";
    /// <summary>The checkpoint has keys the module lacks.</summary>
    public const string CheckpointUnexpectedKeys = "CheckpointUnexpectedKeys";
    /// <summary>Keys present in both have different shapes.</summary>
    public const string CheckpointShapeMismatch = "CheckpointShapeMismatch";
    /// <summary>A checkpoint file's extension names another format than its content, which it was read as.</summary>
    public const string CheckpointNameMismatch = "CheckpointNameMismatch";
    /// <summary>Loaded values hold NaN or infinities.</summary>
    public const string CheckpointNonFinite = "CheckpointNonFinite";
    /// <summary>A module with an init_cfg that MMEngine's walk does not reach (inside a plain layer or container).</summary>
    public const string ModuleNotReached = "ModuleNotReached";
    /// <summary>-Seed cannot reproduce parameters that keep constructor values from an unseeded build.</summary>
    public const string UnseededDefaults = "UnseededDefaults";

    /// <inheritdoc />
    public override string ToString() => Path is null ? Message : $"{Path}: {Message}";
}
