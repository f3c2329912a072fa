#nullable enable
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using InitCfg.Core.Initializers;

namespace InitCfg.Cmdlets.Completers;

/// <summary>Completes -Type with the registered initializer names.</summary>
public sealed class InitializerTypeCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.From(InitializerRegistry.Default.Descriptors.Select(d => (d.Type, d.Description)), wordToComplete);
}
