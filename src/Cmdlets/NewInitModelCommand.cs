#nullable enable
using System.Management.Automation;
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Builds a TorchSharp model from an MMDetection-style config (a dictionary, config text, or a .py/YAML/JSON file).</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "InitModel", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(nn.Module))]
public sealed class NewInitModelCommand : PSCmdlet
{
    #region Parameters

    private const string ConfigSet = "Config";
    private const string PathSet = "Path";

    /// <summary>The model config: a dictionary, config text (Python dict(...), JSON or YAML), or the path of a .py/.yaml/.yml/.json file.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ConfigSet)]
    public object Config { get; set; } = null!;

    /// <summary>A config file: .py (MMEngine; its model is built), .yaml, .yml or .json.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ArgumentCompleter(typeof(Completers.ConfigFileCompleter))]
    public string Path { get; set; } = "";

    /// <summary>The dotted key of the model config in the file; by default model for a .py config, the whole file otherwise.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [ArgumentCompleter(typeof(Completers.ConfigKeyCompleter))]
    public string? Key { get; set; }

    /// <summary>Seeds the generator the layers' constructors draw their default values from (a generator of this build's own: the global one is left as it was), so the build is reproducible, in parallel runspaces too.</summary>
    [Parameter] public long Seed { get; set; }

    /// <summary>
    /// Builds a lazy model: on libtorch's meta device, every tensor with its name, dtype and shape but no storage, so
    /// a model larger than memory costs almost nothing. Initialize it into shards with Invoke-InitWeights -OutputPath.
    /// </summary>
    [Parameter] public SwitchParameter Lazy { get; set; }

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var builder = new ModelBuilder();
        try
        {
            var config = ParameterSetName == PathSet ? null : PSObjectUnwrapper.Unwrap(Config);
            long? seed = MyInvocation.BoundParameters.ContainsKey(nameof(Seed)) ? Seed : null;
            nn.Module Build() =>
                ParameterSetName == PathSet ? builder.BuildFile(GetUnresolvedProviderPathFromPSPath(Path), string.IsNullOrEmpty(Key) ? null : Key)
                : config is string text && ConfigFiles.IsText(text) ? builder.Build(ModelOf(ConfigReader.FromText(text, ConfigPath.Root("model"))))
                : config is string path ? builder.BuildFile(GetUnresolvedProviderPathFromPSPath(path))
                : builder.Build(config);
            var model = GlobalGenerator.Build(seed, () => Lazy ? LazyModel.Build(Build) : Build());
            foreach (var p in builder.InitCfgProblems)
                WriteWarning($"{p} (Invoke-InitWeights will refuse this init_cfg)");
            WriteObject(model);
        }
        catch (InitCfgException e)
        {
            // One bad config among piped ones is that item's error, as the export cmdlets do: the others still build.
            // A config given as an argument is the whole call, and stays a terminating error.
            if (MyInvocation.ExpectingInput) WriteError(ErrorRecords.From(e));
            else ThrowTerminatingError(ErrorRecords.From(e));
        }
    }

    #endregion

    // Pasted statements (model = dict(...)) give a dict of names: the model is the one named model.
    private static object? ModelOf(object? tree) =>
        tree is ConfigMap map && !map.Contains(ConfigKeys.Type) && map.TryGet("model", out var model) ? model : tree;
}
