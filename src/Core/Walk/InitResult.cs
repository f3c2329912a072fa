#nullable enable
using InitCfg.Core.Errors;

namespace InitCfg.Core.Walk;

/// <summary>What an init_weights run did.</summary>
public sealed class InitResult
{
    internal InitResult(bool skipped, IReadOnlyList<InitWarning> warnings, int parametersWritten, long elementsWritten, IReadOnlyList<InitStep> steps,
        IReadOnlyList<Checkpoints.LoadReport>? loads = null)
    {
        LoadReports = loads ?? Array.Empty<Checkpoints.LoadReport>();
        Skipped = skipped;
        Warnings = warnings;
        ParametersWritten = parametersWritten;
        ElementsWritten = elementsWritten;
        Steps = steps;
    }

    /// <summary>The plan as rows a person can read (set when planned).</summary>
    public IReadOnlyList<InitPlanRow> PlanRows { get; internal set; } = Array.Empty<InitPlanRow>();

    /// <summary>Checkpoint loads done (empty for a plan).</summary>
    public IReadOnlyList<Checkpoints.LoadReport> LoadReports { get; }

    /// <summary>True when the model was already initialized and nothing changed.</summary>
    public bool Skipped { get; }

    /// <summary>Warnings found while planning.</summary>
    public IReadOnlyList<InitWarning> Warnings { get; }

    /// <summary>Distinct parameters written by initializers.</summary>
    public int ParametersWritten { get; }

    /// <summary>Elements written by initializers.</summary>
    public long ElementsWritten { get; }

    /// <summary>Bytes of undo copies the run held until it committed (what all-or-nothing cost in memory).</summary>
    public long UndoBytes { get; internal set; }

    /// <summary>Of <see cref="UndoBytes"/>, the bytes written to a temp file beyond <see cref="InitOptions.UndoMemoryLimit"/>.</summary>
    public long UndoSpilledBytes { get; internal set; }

    /// <summary>The checkpoint written to <see cref="InitOptions.OutputPath"/> (its index, or its one model.safetensors), or null.</summary>
    public string? OutputFile { get; internal set; }

    /// <summary>The planned steps (what ran, or for a plan what would run).</summary>
    public IReadOnlyList<InitStep> Steps { get; }
}
