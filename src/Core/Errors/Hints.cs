#nullable enable
namespace InitCfg.Core.Errors;

/// <summary>
/// Advice the engine puts in its messages, worded for .NET callers (<c>pass force: true</c>). The PowerShell layer
/// swaps each for its own wording (<c>use -Force</c>), so one message serves both.
/// </summary>
public static class Hints
{
    /// <summary>How a caller asks to replace a file or initialize a model again.</summary>
    public const string Force = "pass force: true";
}
