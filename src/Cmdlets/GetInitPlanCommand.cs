#nullable enable
using System.Management.Automation;
using InitCfg.Core.Errors;
using InitCfg.Core.Walk;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Shows what Invoke-InitWeights would do, step by step, with its warnings, without changing anything.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "InitPlan")]
[OutputType(typeof(InitPlanRow))]
public sealed class GetInitPlanCommand : InitCommandBase
{
    #region Overrides

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        try
        {
            var plan = new InitEngine().Plan(Model, BuildOptions(null, null));
            // Warning rows carry the engine's .NET advice; show PowerShell's.
            foreach (var row in plan.PlanRows)
                WriteObject(row.Message is null ? row : row with { Message = ErrorRecords.Wording(row.Message) });
        }
        catch (InitCfgException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
        }
        catch (OperationCanceledException) when (Stopping)
        {
            throw new PipelineStoppedException();
        }
    }

    #endregion
}
