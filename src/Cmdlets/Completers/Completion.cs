#nullable enable
using System.Management.Automation;

namespace InitCfg.Cmdlets.Completers;

/// <summary>Shared filtering for the completers: case-insensitive prefix match, quoted when needed.</summary>
internal static class Completion
{
    public static IEnumerable<CompletionResult> From(IEnumerable<(string Value, string Tooltip)> items, string word)
    {
        var prefix = (word ?? "").Trim('\'', '"');
        return items
            .Where(i => i.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(i => new CompletionResult(
                i.Value.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.') ? i.Value : "'" + i.Value + "'",
                i.Value, CompletionResultType.ParameterValue, string.IsNullOrEmpty(i.Tooltip) ? i.Value : i.Tooltip));
    }
}
