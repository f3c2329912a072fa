#nullable enable
using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs.Python;

/// <summary>A config text and the file it came from, so every error can say <c>file:line:column</c>.</summary>
internal sealed class PySource
{
    public PySource(string text, string file) { Text = text; File = file; }

    public string Text { get; }

    public string File { get; }

    public string Where(int line, int column) => $"{File}:{line}:{column}";

    public InitCfgException Syntax(int line, int column, string message) =>
        new(ErrorIds.ConfigSyntaxError, Where(line, column), $"{Where(line, column)}: {message}");

    public InitCfgException Unsupported(int line, int column, string construct) =>
        new(ErrorIds.UnsupportedConfigConstruct, Where(line, column),
            $"{Where(line, column)}: {construct} is outside the config language InitCfg reads without running Python.");
}
