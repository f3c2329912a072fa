#nullable enable
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Cmdlets.Completers;

/// <summary>Completes -Key with the dotted keys of the config file bound to -Path (model, model.backbone, ...).</summary>
public sealed class ConfigKeyCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var value = fakeBoundParameters["Path"];
        while (value is PSObject p) value = p.BaseObject;
        if (value is not string path || path.Length == 0) return Array.Empty<CompletionResult>();
        try
        {
            var tree = ConfigReader.FromFile(ConfigFileCompleter.Resolve(path));
            return Completion.From(ConfigKeyPath.List(tree).Select(k => (k, k)), wordToComplete);
        }
        catch (InitCfgException)
        {
            // A file that does not read offers no keys; the cmdlet itself reports why when it runs.
            return Array.Empty<CompletionResult>();
        }
    }
}
