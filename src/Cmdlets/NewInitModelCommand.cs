#nullable enable
using System.Management.Automation;
using InitCfg.Core.Building;
using InitCfg.Core.Errors;
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

    /// <summary>Seeds TorchSharp's default generator before building, so the layers' default initialization is reproducible.</summary>
    [Parameter] public long Seed { get; set; }

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var config = PSObjectUnwrapper.Unwrap(Config);
        var builder = new ModelBuilder();
        try
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Seed))) random.manual_seed(Seed);
            var model = config is string path
                ? builder.BuildFile(GetUnresolvedProviderPathFromPSPath(path))
                : builder.Build(config);
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
}
