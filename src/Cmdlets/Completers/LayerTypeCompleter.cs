#nullable enable
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using InitCfg.Core.Building;

using InitCfg.Core.Layers;

namespace InitCfg.Cmdlets.Completers;

/// <summary>
/// Completes -Layer with every buildable layer type and PyTorch's private base names (_BatchNorm, _ConvNd); with
/// -Model bound, with the layer-type names present in that model.
/// </summary>
public sealed class LayerTypeCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (ModulePathCompleter.BoundModel(fakeBoundParameters) is { } model)
        {
            var present = InitCfg.Core.Walk.ModuleNode.Build(model).PostOrder()
                .Where(n => ModuleParameters.HasWeightOrBias(n.Module))
                .SelectMany(n => LayerTypeNames.Of(n.Module).Select(name => (name, LayerTypeNames.ClassName(n.Module))))
                .GroupBy(x => x.name).Select(g => (g.Key, $"in the model: {string.Join(", ", g.Select(x => x.Item2).Distinct().Take(4))}"));
            return Completion.From(present, wordToComplete);
        }
        return Completion.From(Known(), wordToComplete);
    }

    /// <summary>Every buildable layer type and PyTorch's private base names, with a tooltip each.</summary>
    internal static IEnumerable<(string Name, string Tooltip)> Known()
    {
        var layers = ModuleRegistry.Default.Descriptors.Where(d => d.Container is null).Select(d => (d.Type, d.Description));
        var bases = LayerTypeNames.PyTorchAliases.Select(a => (a.Key, $"PyTorch base class (.NET: {a.Value})"));
        return layers.Concat(bases);
    }
}
