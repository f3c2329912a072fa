#nullable enable
using System.Management.Automation;
using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Builds a TorchSharp model from an MMDetection-style config (a dictionary or a YAML/JSON file).</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "InitModel")]
[OutputType(typeof(nn.Module))]
public sealed class NewInitModelCommand : PSCmdlet
{
    #region Parameters

    /// <summary>The model config: a dictionary, or the path of a .yaml/.yml/.json file.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public object Config { get; set; } = null!;

    /// <summary>Seeds the generator the layers' constructors draw their default values from (a generator of this build's own: the global one is left as it was), so the build is reproducible, in parallel runspaces too.</summary>
    [Parameter] public long Seed { get; set; }

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var builder = new ModelBuilder();
        try
        {
            var config = PSObjectUnwrapper.Unwrap(Config);
            long? seed = MyInvocation.BoundParameters.ContainsKey(nameof(Seed)) ? Seed : null;
            var file = config is string path ? GetUnresolvedProviderPathFromPSPath(path) : null;
            var model = GlobalGenerator.Build(seed, () => file is not null ? builder.BuildFile(file) : builder.Build(config));
            foreach (var p in builder.InitCfgProblems)
                WriteWarning($"{p} (Invoke-InitWeights will refuse this init_cfg)");
            WriteObject(model);
        }
        catch (InitCfgException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
        }
    }

    #endregion
}
