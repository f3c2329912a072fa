#nullable enable
using System.Management.Automation;
using InitCfg.Core.Errors;

namespace InitCfg.Cmdlets;

/// <summary>Turns engine exceptions into ErrorRecords with the engine's stable id and the config path as target.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(InitCfgException e, object? target = null) =>
        new(e, e.ErrorId, Category(e.Kind), target ?? e.ConfigPath);

    public static ErrorRecord From(string errorId, ErrorCategory category, string message, object? target) =>
        new(new InitCfgException(errorId, null, message), errorId, category, target);

    public static ErrorCategory Category(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidType => ErrorCategory.InvalidType,
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        ErrorKind.ReadError => ErrorCategory.ReadError,
        ErrorKind.Strict => ErrorCategory.InvalidData,
        ErrorKind.Security => ErrorCategory.SecurityError,
        ErrorKind.WriteError => ErrorCategory.WriteError,
        ErrorKind.ResourceExists => ErrorCategory.ResourceExists,
        _ => ErrorCategory.NotSpecified,
    };
}
