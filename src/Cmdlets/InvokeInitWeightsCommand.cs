#nullable enable
using System.Management.Automation;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Layers;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Initializes a model's weights by its init_cfg (MMEngine's init_weights).</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "InitWeights", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(nn.Module))]
public sealed class InvokeInitWeightsCommand : PSCmdlet
{
    private readonly List<object?> _configs = new();

    #region Parameters

    /// <summary>The TorchSharp model (for example from New-InitModel).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public nn.Module Model { get; set; } = null!;

    /// <summary>The model's top-level init_cfg: InitConfig objects, dictionaries, or a list of them; may come down the pipeline.</summary>
    [Parameter(Position = 1, ValueFromPipeline = true)]
    [AllowNull]
    public object[]? InitCfg { get; set; }

    /// <summary>Seed of a dedicated generator (as torch.manual_seed), so the result is reproducible.</summary>
    [Parameter] public long Seed { get; set; }

    /// <summary>Initialize again even if the model is already initialized.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    /// <summary>Turn warnings (layer names that match nothing, configs that do nothing) into errors.</summary>
    [Parameter] public SwitchParameter Strict { get; set; }

    /// <summary>Folder where checkpoint URIs (torchvision://, open-mmlab://, http(s)://) resolve; default: the torch hub cache.</summary>
    [Parameter] public string? CheckpointDir { get; set; }

    /// <summary>Write the model to the pipeline.</summary>
    [Parameter] public SwitchParameter PassThru { get; set; }

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (InitCfg is null) return;
        foreach (var item in InitCfg) _configs.Add(PSObjectUnwrapper.Unwrap(item));
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var options = new InitOptions
        {
            InitCfg = _configs.Count == 0 ? null : Flatten(_configs),
            Seed = MyInvocation.BoundParameters.ContainsKey(nameof(Seed)) ? Seed : null,
            Force = Force,
            Strict = Strict,
            Progress = new SyncProgress<InitProgress>(WriteInitProgress),
            Environment = new InitEnvironment
            {
                Checkpoints = new CheckpointLocator(
                    CheckpointDir is null ? null : GetUnresolvedProviderPathFromPSPath(CheckpointDir),
                    SessionState.Path.CurrentFileSystemLocation.ProviderPath),
            },
        };
        var engine = new WeightInitializer();
        var className = LayerTypeNames.ClassName(Model);
        try
        {
            bool confirmed = false;
            var result = engine.Initialize(Model, options, plan => confirmed = ShouldProcess(className, Describe(plan)));
            foreach (var w in result.Warnings) WriteWarning(w.ToString());
            if (confirmed)
            {
                foreach (var load in result.LoadReports) WriteVerbose(load.ToString());
                WriteVerbose($"Initialized {result.ParametersWritten} parameter tensors ({result.ElementsWritten:N0} elements) of {className}.");
                WriteProgress(new ProgressRecord(0, $"Initializing {className}", "Done") { RecordType = ProgressRecordType.Completed });
            }
        }
        catch (InitCfgException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
        }
        if (PassThru) WriteObject(Model);
    }

    #endregion

    private static object Flatten(List<object?> configs)
    {
        var flat = new List<object?>();
        foreach (var c in configs)
            if (c is object[] inner) flat.AddRange(inner); else flat.Add(c);
        return flat;
    }

    private static string Describe(InitResult plan)
    {
        var applies = plan.Steps.Where(s => s.Kind == InitStepKind.Apply).ToList();
        var byType = applies.GroupBy(s => s.Initializer!.Type).Select(g => $"{g.Key} x{g.Count()}");
        var user = plan.Steps.Count(s => s.Kind == InitStepKind.UserInit);
        return $"Initialize weights: {applies.Count} module writes ({string.Join(", ", byType)})" +
               (user > 0 ? $", {user} user-defined InitWeights" : "") +
               (plan.Warnings.Count > 0 ? $"; {plan.Warnings.Count} warning(s)" : "");
    }

    private int _lastPercent = -1;

    private void WriteInitProgress(InitProgress p)
    {
        if (p.Percent == _lastPercent) return;
        _lastPercent = p.Percent;
        WriteProgress(new ProgressRecord(0, p.Activity, $"{p.ModulePath} ({p.ElementsDone:N0} of {p.ElementsTotal:N0} elements)")
        {
            PercentComplete = p.Percent,
            CurrentOperation = p.ModulePath,
        });
    }
}
