#nullable enable
using System.Management.Automation;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Initializers;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Cmdlets;

/// <summary>The parameters Invoke-InitWeights and Get-InitPlan share, and how they become engine options.</summary>
public abstract class InitCommandBase : PSCmdlet
{
    private readonly List<object?> _configs = new();
    private readonly CancellationTokenSource _stop = new();

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel(); // Ctrl+C while waiting for the model's lock

    /// <summary>The TorchSharp model (for example from New-InitModel).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public nn.Module Model { get; set; } = null!;

    /// <summary>The model's top-level init_cfg: InitConfig objects, dictionaries, or a list of them; may come down the pipeline.</summary>
    [Parameter(Position = 1, ValueFromPipeline = true)]
    [AllowNull]
    public object[]? InitCfg { get; set; }

    /// <summary>Initialize again even if the model is already initialized.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    /// <summary>Turn warnings (layer names that match nothing, configs that do nothing) into errors.</summary>
    [Parameter] public SwitchParameter Strict { get; set; }

    /// <summary>Also initialize modules MMEngine's walk does not reach (inside plain layers and nn.ModuleList-like containers).</summary>
    [Parameter] public SwitchParameter IncludeUnreached { get; set; }

    /// <summary>Folder where checkpoint URIs (torchvision://, open-mmlab://, http(s)://) resolve; default: the torch hub cache.</summary>
    [Parameter] public string? CheckpointDir { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (InitCfg is null) return;
        try
        {
            foreach (var item in InitCfg) _configs.Add(PSObjectUnwrapper.Unwrap(item));
        }
        catch (Core.Errors.InitCfgException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e)); // a config that contains itself, or nests too deep
        }
    }

    /// <summary>Engine options from the bound parameters.</summary>
    protected InitOptions BuildOptions(long? seed, IProgress<InitProgress>? progress, bool confirmMayWait = true,
        string? outputPath = null, long shardSize = InitOptions.DefaultShardSize, IProgress<long>? outputProgress = null) => new()
    {
        OutputPath = outputPath,
        OutputShardSize = shardSize,
        OutputProgress = outputProgress,
        ConfirmMayWait = confirmMayWait,
        InitCfg = _configs.Count == 0 ? null : Flatten(_configs),
        Seed = seed,
        Force = Force,
        Strict = Strict,
        IncludeUnreached = IncludeUnreached,
        Progress = progress,
        Cancellation = _stop.Token,
        Environment = new InitEnvironment
        {
            Checkpoints = new CheckpointLocator(
                CheckpointDir is null ? null : GetUnresolvedProviderPathFromPSPath(CheckpointDir),
                SessionState.Path.CurrentFileSystemLocation.ProviderPath),
        },
    };

    private static object Flatten(List<object?> configs)
    {
        var flat = new List<object?>();
        foreach (var c in configs)
            if (c is object[] inner) flat.AddRange(inner); else flat.Add(c);
        return flat;
    }
}
