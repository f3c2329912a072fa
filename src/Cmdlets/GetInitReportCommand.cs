#nullable enable
using InitCfg.Core.Walk;
using System.Management.Automation;
using InitCfg.Core.Errors;
using InitCfg.Core.Reports;
using static TorchSharp.torch;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Reports, per parameter, which initializer wrote it and its statistics after init.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "InitReport", DefaultParameterSetName = RecordsSet)]
[OutputType(typeof(ParameterInitRecord), ParameterSetName = new[] { RecordsSet })]
[OutputType(typeof(string), ParameterSetName = new[] { LogSet })]
[OutputType(typeof(InitSummaryRow), ParameterSetName = new[] { SummarySet })]
[OutputType(typeof(Core.Checkpoints.LoadReport), ParameterSetName = new[] { LoadSet })]
public sealed class GetInitReportCommand : PSCmdlet
{
    private const string RecordsSet = "Records";
    private const string LogSet = "Log";
    private const string SummarySet = "Summary";
    private const string LoadSet = "Load";

    #region Parameters

    /// <summary>The model to report on.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public nn.Module Model { get; set; } = null!;

    /// <summary>Print MMEngine's init-info log text instead of records.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LogSet)]
    public SwitchParameter AsLog { get; set; }

    /// <summary>One row per initializer: how many tensors and elements it wrote.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SummarySet)]
    public SwitchParameter Summary { get; set; }

    /// <summary>Only the parameters of this submodule (a dotted path such as backbone.layer1).</summary>
    [Parameter(ParameterSetName = RecordsSet)]
    [Parameter(ParameterSetName = SummarySet)]
    [ArgumentCompleter(typeof(Completers.ModulePathCompleter))]
    public string? Module { get; set; }

    /// <summary>The checkpoint loads (loaded, missing, unexpected and shape-mismatched keys) of the last Invoke-InitWeights.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LoadSet)]
    public SwitchParameter LoadReport { get; set; }

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            using var guard = ModelGuard.Enter(this, Model);
            Report();
        }
        catch (InitCfgException e)
        {
            WriteError(ErrorRecords.From(e));
        }
    }

    private void Report()
    {
        if (AsLog) WriteObject(InitReport.ToLog(Model));
        else if (LoadReport) WriteObject(ParameterWrites.GetLoads(Model), enumerateCollection: true);
        else
        {
            var records = InitReport.For(Model);
            if (!string.IsNullOrEmpty(Module))
            {
                if (Core.Walk.ModuleNode.Build(Model).Find(Module) is null)
                {
                    WriteError(ErrorRecords.From(ErrorIds.ModuleNotFound, ErrorCategory.ObjectNotFound,
                        $"{Core.Layers.LayerTypeNames.ClassName(Model)} has no submodule '{Module}'.{Nearest.Hint(Module, Core.Walk.ModuleNode.Build(Model).DescendantNames())}", Module));
                    return;
                }
                records = records.Where(r => r.Name.StartsWith(Module + ".", StringComparison.Ordinal)).ToArray();
            }
            if (Summary) WriteObject(InitReport.Summarize(Model, records), enumerateCollection: true);
            else WriteObject(records, enumerateCollection: true);
        }
    }

    #endregion
}
