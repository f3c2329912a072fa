#nullable enable
using System.Management.Automation;
using InitCfg.Core.Errors;

namespace InitCfg.Cmdlets;

/// <summary>Turns engine exceptions into ErrorRecords with the engine's stable id and the config path as target.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(InitCfgException e, object? target = null)
    {
        var record = new ErrorRecord(e, e.ErrorId, Category(e.Kind), target ?? e.ConfigPath);
        var message = Wording(e.Message);
        if (message != e.Message) record.ErrorDetails = new ErrorDetails(message);
        return record;
    }

    /// <summary>The engine's .NET advice (<see cref="Hints"/>) in PowerShell's words: "use -Force".</summary>
    public static string Wording(string message) => message.Replace(Hints.Force, "use -Force", StringComparison.Ordinal);

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
