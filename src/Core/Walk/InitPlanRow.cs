#nullable enable
namespace InitCfg.Core.Walk;

/// <summary>One row of an init plan: what a step would write, or a warning found while planning.</summary>
public sealed record InitPlanRow
{
    /// <summary>Order in the walk (warnings: 0).</summary>
    public int Step { get; init; }

    /// <summary>Initialize, Load, UserInit or Warning.</summary>
    public required string Action { get; init; }

    /// <summary>Where in the configs the step comes from (or the warning is).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The initializer type.</summary>
    public string? Initializer { get; init; }

    /// <summary>The init-info text the written parameters will get.</summary>
    public string? InitInfo { get; init; }

    /// <summary>The module written (dotted path; empty: the root).</summary>
    public string? Module { get; init; }

    /// <summary>Parameters written, with their full names.</summary>
    public IReadOnlyList<string> Parameters { get; init; } = Array.Empty<string>();

    /// <summary>Elements written.</summary>
    public long Elements { get; init; }

    /// <summary>The warning text, for warning rows.</summary>
    public string? Message { get; init; }

    /// <summary>Stable id of a warning row.</summary>
    public string? WarningId { get; init; }
}
