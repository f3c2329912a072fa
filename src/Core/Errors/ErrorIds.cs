#nullable enable
namespace InitCfg.Core.Errors;

/// <summary>Stable error ids. They are part of the public contract: never rename one.</summary>
public static class ErrorIds
{
    /// <summary>An item that must be a dict (an init_cfg list item, a module node) is something else.</summary>
    public const string ConfigNotMapping = "ConfigNotMapping";
    /// <summary>An init_cfg is neither a dict nor a list of dicts.</summary>
    public const string ConfigNotMappingOrList = "ConfigNotMappingOrList";
    /// <summary>A config value is not a dictionary, list, number, string or bool.</summary>
    public const string UnsupportedConfigValue = "UnsupportedConfigValue";
    /// <summary>An init config has no <c>type</c> key.</summary>
    public const string MissingType = "MissingType";
    /// <summary><c>type</c> names no registered initializer.</summary>
    public const string UnknownInitializerType = "UnknownInitializerType";
    /// <summary>A required initializer argument (Pretrained's <c>checkpoint</c>) is missing.</summary>
    public const string MissingArgument = "MissingArgument";
    /// <summary>A key the initializer does not take.</summary>
    public const string UnknownArgument = "UnknownArgument";
    /// <summary>An argument has the wrong type (a string where a number goes).</summary>
    public const string InvalidArgumentType = "InvalidArgumentType";
    /// <summary>An argument has a value outside its range or choices.</summary>
    public const string InvalidArgumentValue = "InvalidArgumentValue";
    /// <summary><c>bias</c> is not a number.</summary>
    public const string BiasNotNumber = "BiasNotNumber";
    /// <summary><c>bias_prob</c> is not strictly between 0 and 1.</summary>
    public const string BiasProbOutOfRange = "BiasProbOutOfRange";
    /// <summary><c>layer</c> is not a string or a list of strings.</summary>
    public const string LayerNotString = "LayerNotString";
    /// <summary>An <c>override</c> item is not a dict.</summary>
    public const string OverrideNotMapping = "OverrideNotMapping";
    /// <summary>An <c>override</c> has no <c>name</c>.</summary>
    public const string OverrideMissingName = "OverrideMissingName";
    /// <summary>An <c>override</c> with arguments has no <c>type</c>.</summary>
    public const string OverrideMissingType = "OverrideMissingType";
    /// <summary>An <c>override</c> names a submodule the model does not have.</summary>
    public const string OverrideNameNotFound = "OverrideNameNotFound";
    /// <summary>An <c>override</c> holds another <c>override</c>.</summary>
    public const string NestedOverride = "NestedOverride";
    /// <summary>An initializer cannot write a parameter of this shape or dtype.</summary>
    public const string TensorNotSupported = "TensorNotSupported";
    /// <summary>A config file does not exist.</summary>
    public const string ConfigFileNotFound = "ConfigFileNotFound";
    /// <summary>A config file or text cannot be read or parsed.</summary>
    public const string ConfigFileUnreadable = "ConfigFileUnreadable";
    /// <summary>A model config names no registered module type.</summary>
    public const string UnknownModuleType = "UnknownModuleType";
    /// <summary>An initializer or module type name is registered twice.</summary>
    public const string DuplicateRegistration = "DuplicateRegistration";
    /// <summary>A warning made an error by strict mode.</summary>
    public const string StrictWarning = "StrictWarning";
    /// <summary>A module's own <c>InitWeights</c> threw.</summary>
    public const string UserInitFailed = "UserInitFailed";
    /// <summary>A checkpoint file or URI cannot be found.</summary>
    public const string CheckpointNotFound = "CheckpointNotFound";
    /// <summary>A checkpoint file is damaged or of an unknown format.</summary>
    public const string CheckpointUnreadable = "CheckpointUnreadable";
    /// <summary>A checkpoint holds something other than tensors and plain containers.</summary>
    public const string CheckpointUnsafe = "CheckpointUnsafe";
    /// <summary>A checkpoint URI resolves outside its cache folder.</summary>
    public const string CheckpointPathEscapes = "CheckpointPathEscapes";
    /// <summary>An export file cannot be written.</summary>
    public const string ExportFailed = "ExportFailed";
    /// <summary>An export target exists and replacing it was not asked for.</summary>
    public const string ExportTargetExists = "ExportTargetExists";
    /// <summary>A file extension names no supported format.</summary>
    public const string UnsupportedFormat = "UnsupportedFormat";
    /// <summary>A module path names no submodule of the model.</summary>
    public const string ModuleNotFound = "ModuleNotFound";
    /// <summary>A config is larger or deeper than the limits allow.</summary>
    public const string ConfigTooLarge = "ConfigTooLarge";
    /// <summary>A key is given twice (or in two spellings) in one dict.</summary>
    public const string DuplicateKey = "DuplicateKey";
    /// <summary>Another thread is initializing the same model.</summary>
    public const string ModelBusy = "ModelBusy";
    /// <summary>A Python config file is not valid Python (file:line:column in the message).</summary>
    public const string ConfigSyntaxError = "ConfigSyntaxError";
    /// <summary>A Python config uses a construct outside the subset read without running Python.</summary>
    public const string UnsupportedConfigConstruct = "UnsupportedConfigConstruct";
    /// <summary>Evaluating a Python config failed (an unknown name, a missing key, a wrong type).</summary>
    public const string ConfigEvaluationError = "ConfigEvaluationError";
    /// <summary>A dotted -Key names no entry of the config.</summary>
    public const string ConfigKeyNotFound = "ConfigKeyNotFound";
    /// <summary>A checkpoint changed on disk between planning and loading.</summary>
    public const string CheckpointChanged = "CheckpointChanged";
    /// <summary>The model (or one of its tensors) has been disposed.</summary>
    public const string ModelDisposed = "ModelDisposed";
    /// <summary>A module is its own ancestor.</summary>
    public const string ModelCycle = "ModelCycle";
    /// <summary>A module's forward needs an operator TorchSharp does not have (MMCV's compiled deformable convolutions).</summary>
    public const string ForwardNotSupported = "ForwardNotSupported";
    /// <summary>An undo copy beyond the memory budget could not be written to its temp file (for example, a full disk).</summary>
    public const string UndoSpillFailed = "UndoSpillFailed";
    /// <summary>The operation needs tensor values, and the model is lazy (built on the meta device: shapes, no storage).</summary>
    public const string ModelIsLazy = "ModelIsLazy";
    /// <summary>A lazy model is initialized only into a checkpoint folder, and none was given (-OutputPath).</summary>
    public const string OutputPathRequired = "OutputPathRequired";
    /// <summary>A lazy model's init would leave a tensor at its constructor's values, which a lazy model never had, or run code that reads values.</summary>
    public const string LazyInitUnsupported = "LazyInitUnsupported";

    private static readonly Dictionary<string, ErrorKind> Kinds = new()
    {
        [ConfigNotMapping] = ErrorKind.InvalidType,
        [ConfigNotMappingOrList] = ErrorKind.InvalidType,
        [UnsupportedConfigValue] = ErrorKind.InvalidType,
        [InvalidArgumentType] = ErrorKind.InvalidType,
        [BiasNotNumber] = ErrorKind.InvalidType,
        [LayerNotString] = ErrorKind.InvalidType,
        [OverrideNotMapping] = ErrorKind.InvalidType,
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
        [ConfigSyntaxError] = ErrorKind.ReadError,
        [UnsupportedConfigConstruct] = ErrorKind.InvalidArgument,
        [ConfigEvaluationError] = ErrorKind.InvalidArgument,
        [ConfigKeyNotFound] = ErrorKind.ObjectNotFound,
        [CheckpointChanged] = ErrorKind.ReadError,
        [ModelDisposed] = ErrorKind.InvalidOperation,
        [ModelCycle] = ErrorKind.InvalidArgument,
        [ForwardNotSupported] = ErrorKind.InvalidOperation,
        [UndoSpillFailed] = ErrorKind.WriteError,
        [ModelIsLazy] = ErrorKind.InvalidOperation,
        [OutputPathRequired] = ErrorKind.InvalidArgument,
        [LazyInitUnsupported] = ErrorKind.InvalidArgument,
    };

    /// <summary>The coarse kind of an error id; <see cref="ErrorKind.InvalidArgument"/> when not listed.</summary>
    public static ErrorKind KindOf(string errorId) =>
        Kinds.TryGetValue(errorId, out var kind) ? kind : ErrorKind.InvalidArgument;
}
