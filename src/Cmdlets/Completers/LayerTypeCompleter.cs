#nullable enable
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using InitCfg.Core.Building;
using InitCfg.Core.Layers;

namespace InitCfg.Cmdlets.Completers;

/// <summary>Completes -Layer with every buildable layer type and PyTorch's private base names (_BatchNorm, _ConvNd).</summary>
public sealed class LayerTypeCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var layers = ModuleRegistry.Default.Descriptors.Where(d => d.Container is null).Select(d => (d.Type, d.Description));
        var bases = LayerTypeNames.PyTorchAliases.Select(a => (a.Key, $"PyTorch base class (.NET: {a.Value})"));
        return Completion.From(layers.Concat(bases), wordToComplete);
    }
}
