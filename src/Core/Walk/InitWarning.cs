#nullable enable
namespace InitCfg.Core.Walk;

/// <summary>Something that will not stop initialization but is probably a mistake.</summary>
public sealed record InitWarning(string WarningId, string? Path, string Message)
{
    public const string LayerMatchesNothing = "LayerMatchesNothing";
    public const string ConfigDoesNothing = "ConfigDoesNothing";
    public const string AlreadyInitialized = "AlreadyInitialized";
    public const string CheckpointLoadsNothing = "CheckpointLoadsNothing";
    public const string CheckpointMissingKeys = "CheckpointMissingKeys";
    public const string CheckpointUnexpectedKeys = "CheckpointUnexpectedKeys";
    public const string CheckpointShapeMismatch = "CheckpointShapeMismatch";
    public const string CheckpointNonFinite = "CheckpointNonFinite";
    public const string ModuleNotReached = "ModuleNotReached";

    /// <inheritdoc />
    public override string ToString() => Path is null ? Message : $"{Path}: {Message}";
}
