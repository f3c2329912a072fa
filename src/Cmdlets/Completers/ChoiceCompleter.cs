#nullable enable
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using InitCfg.Core.Configs;
using InitCfg.Core.Initializers;

namespace InitCfg.Cmdlets.Completers;

/// <summary>Completes -Mode, -Nonlinearity and -Distribution with the choices the initializers accept.</summary>
public sealed class ChoiceCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var choices = InitializerRegistry.Default.Descriptors
            .SelectMany(d => d.Arguments)
            .Where(a => a.Kind == ArgumentKind.Choice && Core.Configs.ConfigKeys.Same(a.Name, parameterName))
            .SelectMany(a => a.Choices!)
            .Distinct()
            .Select(c => (c, ""));
        return Completion.From(choices, wordToComplete);
    }
}
