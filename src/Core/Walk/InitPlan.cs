#nullable enable
using InitCfg.Core.Initializers;
using InitCfg.Core.Layers;

namespace InitCfg.Core.Walk;

/// <summary>Turns a planned (not run) init_weights into rows a person can read: per step, which parameters it would write.</summary>
public static class InitPlan
{
    /// <summary>Rows of the plan, then one row per warning.</summary>
    public static IReadOnlyList<InitPlanRow> Rows(InitResult plan)
    {
        var rows = new List<InitPlanRow>();
        int step = 0;
        foreach (var s in plan.Steps)
        {
            switch (s.Kind)
            {
                case InitStepKind.Apply:
                    var init = s.Initializer!;
                    var writes = s.Prepared is { } prepared ? prepared.PlannedWrites(s.Target.Module) : ((InitializerBase)init).PlannedWrites(s.Target.Module);
                    var parameters = writes.Select(n => Join(s.Target.Path, n)).ToArray();
                    rows.Add(new InitPlanRow
                    {
                        Step = ++step, Action = s.Prepared is not null ? "Load" : "Initialize", ConfigPath = s.ConfigPath,
                        Initializer = init.Type, InitInfo = init.Describe(), Module = s.Target.Path, Parameters = parameters, Elements = s.Elements,
                    });
                    break;
                case InitStepKind.UserInit:
                    rows.Add(new InitPlanRow
                    {
                        Step = ++step, Action = "UserInit", Module = s.Target.Path,
                        InitInfo = $"InitWeights of {LayerTypeNames.ClassName(s.Target.Module)} (user-defined)",
                        Parameters = s.Target.Module.named_parameters().Select(x => Join(s.Target.Path, x.name)).ToArray(),
                    });
                    break;
            }
        }
        rows.AddRange(plan.Warnings.Select(w => new InitPlanRow { Action = "Warning", ConfigPath = w.Path, Message = w.Message, WarningId = w.WarningId }));
        return rows;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
