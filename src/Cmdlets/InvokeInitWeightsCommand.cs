#nullable enable
using System.Management.Automation;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Initializes a model's weights by its init_cfg (MMEngine's init_weights).</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "InitWeights", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(nn.Module))]
public sealed class InvokeInitWeightsCommand : InitCommandBase
{
    private int _lastPercent = -1;

    #region Parameters

    /// <summary>Seed of a dedicated generator (as torch.manual_seed), so the result is reproducible.</summary>
    [Parameter] public long Seed { get; set; }

    /// <summary>
    /// A folder to write the initialized weights into, as Hugging Face's sharded safetensors (shards and
    /// model.safetensors.index.json), all or nothing. Required for a lazy model (New-InitModel -Lazy), which is
    /// initialized module by module straight into the shards, each tensor freed once written.
    /// </summary>
    [Parameter] public string? OutputPath { get; set; }

    /// <summary>The most bytes of tensor data in one shard of -OutputPath (default 5 GB, as transformers' save_pretrained).</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long ShardSize { get; set; } = InitOptions.DefaultShardSize;

    /// <summary>Write the model to the pipeline.</summary>
    [Parameter] public SwitchParameter PassThru { get; set; }

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var className = LayerTypeNames.ClassName(Model);
        var output = OutputPath is null ? null : GetUnresolvedProviderPathFromPSPath(OutputPath);
        var options = BuildOptions(MyInvocation.BoundParameters.ContainsKey(nameof(Seed)) ? Seed : null,
            new SyncProgress<InitProgress>(WriteInitProgress), MayPrompt(), output, ShardSize, output is null ? null : StartBytesProgress(className, output));
        try
        {
            bool confirmed = false;
            var result = new InitEngine().Initialize(Model, options, plan => confirmed = Confirm(plan, className, output));
            foreach (var w in result.Warnings) WriteWarning(ErrorRecords.Wording(w.ToString()));
            if (confirmed)
            {
                foreach (var load in result.LoadReports) WriteVerbose(load.ToString());
                WriteVerbose($"Initialized {result.ParametersWritten} parameter tensors ({result.ElementsWritten:N0} elements) of {className}.");
                if (result.OutputFile is { } written) WriteVerbose($"Wrote {written}.");
                WriteProgress(new ProgressRecord(0, $"Initializing {className}", "Done") { RecordType = ProgressRecordType.Completed });
                if (output is not null) WriteProgress(new ProgressRecord(1, BytesActivity(className, output), "Done") { RecordType = ProgressRecordType.Completed });
            }
        }
        catch (InitCfgException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
        }
        catch (OperationCanceledException) when (Stopping)
        {
            throw new PipelineStoppedException(); // the model is as it was before the call
        }
        if (PassThru) WriteObject(Model);
    }

    #endregion

    // ShouldProcess prompts only for -Confirm or a $ConfirmPreference at or below this cmdlet's impact (Medium);
    // otherwise it answers at once, and the model's lock is kept through it.
    private bool MayPrompt()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm)) return confirm is SwitchParameter { IsPresent: true } || confirm is true;
        var preference = SessionState.PSVariable.GetValue("ConfirmPreference") is ConfirmImpact p ? p : ConfirmImpact.High;
        return preference != ConfirmImpact.None && preference <= ConfirmImpact.Medium;
    }

    // -WhatIf tells, per config, which modules and parameters it would write; otherwise one confirmation for the
    // whole call, since a config is applied all or nothing.
    private bool Confirm(InitResult plan, string className, string? output)
    {
        // ShouldProcess itself says whether -WhatIf is in effect (-WhatIf:$false and $WhatIfPreference included).
        var summary = Summary(plan) + (output is null ? "" : $", written into {output} as safetensors shards of at most {ShardSize:N0} bytes");
        if (ShouldProcess($"Performing the operation \"{summary}\" on target \"{className}\".", $"{summary} on {className}?",
                "Confirm", out var reason))
            return true;
        if (reason != ShouldProcessReason.WhatIf) return false;
        foreach (var group in plan.PlanRows.Where(r => r.Action != "Warning").GroupBy(r => r.ConfigPath ?? "(user-defined InitWeights)"))
        {
            var first = group.First();
            var parameters = group.SelectMany(r => r.Parameters).ToList();
            var shown = parameters.Count <= 12 ? string.Join(", ", parameters) : string.Join(", ", parameters.Take(12)) + $", ... ({parameters.Count} in all)";
            ShouldProcess($"{className} {group.Key}",
                $"{first.Action} with {first.InitInfo}: {group.Count()} module(s) [{string.Join(", ", group.Select(r => r.Module is { Length: > 0 } m ? m : "<root>").Distinct().Take(8))}{(group.Count() > 8 ? ", ..." : "")}], parameters {shown}");
        }
        return false;
    }

    private static string Summary(InitResult plan)
    {
        var applies = plan.Steps.Where(s => s.Kind == InitStepKind.Apply).ToList();
        var byType = applies.GroupBy(s => s.Initializer!.Type).Select(g => $"{g.Key} x{g.Count()}");
        var user = plan.Steps.Count(s => s.Kind == InitStepKind.UserInit);
        return $"Initialize weights: {applies.Count} module writes ({string.Join(", ", byType)})" +
               (user > 0 ? $", {user} user-defined InitWeights" : "") +
               (plan.Warnings.Count > 0 ? $"; {plan.Warnings.Count} warning(s)" : "");
    }

    private static string BytesActivity(string className, string output) =>
        $"Writing {className} to {System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(output))}";

    // Progress by bytes written into the shards (a lazy model's run is bounded by the disk, not by the draws).
    private SyncProgress<long> StartBytesProgress(string className, string output)
    {
        long total = Core.Checkpoints.ModuleState.Entries(Model).Sum(e => e.Tensor.numel() * e.Tensor.element_size());
        var activity = BytesActivity(className, output);
        int last = -1;
        return new SyncProgress<long>(written =>
        {
            int percent = total == 0 ? 100 : (int)Math.Min(100, written * 100 / total);
            if (percent == last) return;
            last = percent;
            WriteProgress(new ProgressRecord(1, activity, $"{Math.Min(written, total):N0} of {total:N0} bytes") { PercentComplete = percent });
        });
    }

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
