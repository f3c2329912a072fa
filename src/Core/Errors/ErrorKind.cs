#nullable enable
namespace InitCfg.Core.Errors;

/// <summary>Coarse error classes, mapped one to one onto PowerShell's ErrorCategory by the cmdlets.</summary>
public enum ErrorKind
{
    /// <summary>A value of the wrong type.</summary>
    InvalidType,
    /// <summary>A value of the right type but outside what is allowed.</summary>
    InvalidArgument,
    /// <summary>Something named that does not exist.</summary>
    ObjectNotFound,
    /// <summary>The operation does not fit the current state.</summary>
    InvalidOperation,
    /// <summary>A file could not be read or written.</summary>
    ReadError,
    /// <summary>A config whose warnings were made errors by -Strict.</summary>
    Strict,
    /// <summary>Input refused because it could escape a folder or run code.</summary>
    Security,
    /// <summary>A file could not be written.</summary>
    WriteError,
    /// <summary>Something is already there and may not be replaced.</summary>
    ResourceExists,
}
