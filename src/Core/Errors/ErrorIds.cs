#nullable enable
namespace InitCfg.Core.Errors;

/// <summary>Stable error ids. They are part of the public contract: never rename one.</summary>
public static class ErrorIds
{
    public const string ConfigNotMapping = "ConfigNotMapping";
    public const string ConfigNotMappingOrList = "ConfigNotMappingOrList";
    public const string UnsupportedConfigValue = "UnsupportedConfigValue";
    public const string MissingType = "MissingType";
    public const string UnknownInitializerType = "UnknownInitializerType";
    public const string MissingArgument = "MissingArgument";
    public const string UnknownArgument = "UnknownArgument";
    public const string InvalidArgumentType = "InvalidArgumentType";
    public const string InvalidArgumentValue = "InvalidArgumentValue";
    public const string BiasNotNumber = "BiasNotNumber";
    public const string BiasProbOutOfRange = "BiasProbOutOfRange";
    public const string LayerNotString = "LayerNotString";
    public const string OverrideNotMapping = "OverrideNotMapping";
    public const string OverrideMissingName = "OverrideMissingName";
    public const string OverrideMissingType = "OverrideMissingType";
    public const string OverrideNameNotFound = "OverrideNameNotFound";
    public const string NestedOverride = "NestedOverride";
    public const string TensorNotSupported = "TensorNotSupported";
    public const string ConfigFileNotFound = "ConfigFileNotFound";
    public const string ConfigFileUnreadable = "ConfigFileUnreadable";
    public const string UnknownModuleType = "UnknownModuleType";
    public const string DuplicateRegistration = "DuplicateRegistration";
    public const string StrictWarning = "StrictWarning";
    public const string ModelNotModule = "ModelNotModule";
    public const string UserInitFailed = "UserInitFailed";
    public const string CheckpointNotFound = "CheckpointNotFound";
    public const string CheckpointUnreadable = "CheckpointUnreadable";
    public const string CheckpointUnsafe = "CheckpointUnsafe";
    public const string CheckpointPathEscapes = "CheckpointPathEscapes";
    public const string ExportFailed = "ExportFailed";
    public const string ExportTargetExists = "ExportTargetExists";
    public const string UnsupportedFormat = "UnsupportedFormat";
    public const string ModuleNotFound = "ModuleNotFound";
    public const string ConfigTooLarge = "ConfigTooLarge";
    public const string DuplicateKey = "DuplicateKey";
    public const string ModelBusy = "ModelBusy";
    public const string CheckpointChanged = "CheckpointChanged";
    public const string ModelDisposed = "ModelDisposed";
    public const string ModelCycle = "ModelCycle";

    private static readonly Dictionary<string, ErrorKind> Kinds = new()
    {
        [ConfigNotMapping] = ErrorKind.InvalidType,
        [ConfigNotMappingOrList] = ErrorKind.InvalidType,
        [UnsupportedConfigValue] = ErrorKind.InvalidType,
        [InvalidArgumentType] = ErrorKind.InvalidType,
        [BiasNotNumber] = ErrorKind.InvalidType,
        [LayerNotString] = ErrorKind.InvalidType,
        [OverrideNotMapping] = ErrorKind.InvalidType,
        [ModelNotModule] = ErrorKind.InvalidType,
        [UnknownInitializerType] = ErrorKind.ObjectNotFound,
        [UnknownModuleType] = ErrorKind.ObjectNotFound,
        [OverrideNameNotFound] = ErrorKind.ObjectNotFound,
        [ConfigFileNotFound] = ErrorKind.ObjectNotFound,
        [ConfigFileUnreadable] = ErrorKind.ReadError,
        [DuplicateRegistration] = ErrorKind.InvalidOperation,
        [UserInitFailed] = ErrorKind.InvalidOperation,
        [StrictWarning] = ErrorKind.Strict,
        [CheckpointNotFound] = ErrorKind.ObjectNotFound,
        [CheckpointUnreadable] = ErrorKind.ReadError,
        [CheckpointUnsafe] = ErrorKind.Security,
        [CheckpointPathEscapes] = ErrorKind.Security,
        [ExportFailed] = ErrorKind.WriteError,
        [ExportTargetExists] = ErrorKind.ResourceExists,
        [UnsupportedFormat] = ErrorKind.InvalidArgument,
        [ModuleNotFound] = ErrorKind.ObjectNotFound,
        [ConfigTooLarge] = ErrorKind.InvalidArgument,
        [DuplicateKey] = ErrorKind.InvalidArgument,
        [ModelBusy] = ErrorKind.InvalidOperation,
        [CheckpointChanged] = ErrorKind.ReadError,
        [ModelDisposed] = ErrorKind.InvalidOperation,
        [ModelCycle] = ErrorKind.InvalidArgument,
    };

    /// <summary>The coarse kind of an error id; <see cref="ErrorKind.InvalidArgument"/> when not listed.</summary>
    public static ErrorKind KindOf(string errorId) =>
        Kinds.TryGetValue(errorId, out var kind) ? kind : ErrorKind.InvalidArgument;
}
