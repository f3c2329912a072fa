#nullable enable
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using InitCfg.Core.Layers;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Cmdlets.Completers;

/// <summary>Completes submodule paths (override names, -Module) from the model bound to -Model.</summary>
public sealed class ModulePathCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (BoundModel(fakeBoundParameters) is not { } model) return Array.Empty<CompletionResult>();
        var root = ModuleNode.Build(model);
        return Completion.From(root.DescendantNames().Select(n => (n, LayerTypeNames.ClassName(root.Find(n)!.Module))), wordToComplete);
    }

    internal static nn.Module? BoundModel(IDictionary fakeBoundParameters)
    {
        var value = fakeBoundParameters["Model"];
        while (value is PSObject p) value = p.BaseObject;
        return value as nn.Module;
    }
}
