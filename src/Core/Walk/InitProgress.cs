#nullable enable
namespace InitCfg.Core.Walk;

/// <summary>Progress of an initialization: which module is being written and how far along (by elements).</summary>
public sealed record InitProgress(string Activity, string ModulePath, long ElementsDone, long ElementsTotal)
{
    /// <summary>0-100.</summary>
    public int Percent => ElementsTotal == 0 ? 100 : (int)Math.Min(100, ElementsDone * 100 / ElementsTotal);
}
