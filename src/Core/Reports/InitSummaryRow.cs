#nullable enable
namespace InitCfg.Core.Reports;

/// <summary>How many tensors and elements one initializer wrote.</summary>
public sealed record InitSummaryRow(string Initializer, int Tensors, long Elements);
