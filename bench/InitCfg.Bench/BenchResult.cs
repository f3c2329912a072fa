namespace InitCfg.Bench;

/// <summary>One row of out/bench/results.json.</summary>
internal sealed record BenchResult(string name, long @params, double engine_s, double floor_s, double ratio, double target,
    double peak_rss_mb, double? wall_s = null, string? note = null);
