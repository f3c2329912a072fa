#nullable enable
namespace InitCfg.Core.Checkpoints;

/// <summary>What a non-strict load did: which keys loaded, which the file lacked, which the model lacked, which did not fit.</summary>
public sealed class LoadReport
{
    /// <summary>The checkpoint as the config named it.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The file it resolved to.</summary>
    public required string File { get; init; }

    /// <summary>The key prefix loaded, if any.</summary>
    public string? Prefix { get; init; }

    /// <summary>The module loaded into (empty: the root).</summary>
    public required string ModulePath { get; init; }

    /// <summary>Keys copied into the model.</summary>
    public required IReadOnlyList<string> Loaded { get; init; }

    /// <summary>Keys of the model that the checkpoint lacks (left as they were).</summary>
    public required IReadOnlyList<string> Missing { get; init; }

    /// <summary>Keys of the checkpoint that the model lacks (ignored).</summary>
    public required IReadOnlyList<string> Unexpected { get; init; }

    /// <summary>Keys whose shapes differ (skipped).</summary>
    public required IReadOnlyList<ShapeMismatch> ShapeMismatched { get; init; }

    /// <summary>Loaded keys holding NaN or infinite values.</summary>
    public IReadOnlyList<string> NonFinite { get; init; } = Array.Empty<string>();

    /// <summary>The same report with the keys found non-finite.</summary>
    public LoadReport With(IReadOnlyList<string> nonFinite) => new()
    {
        Checkpoint = Checkpoint, File = File, Prefix = Prefix, ModulePath = ModulePath, Loaded = Loaded, Missing = Missing,
        Unexpected = Unexpected, ShapeMismatched = ShapeMismatched, NonFinite = nonFinite,
    };

    /// <summary>True when every key matched.</summary>
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatched.Count == 0;

    /// <inheritdoc />
    public override string ToString()
    {
        var parts = new List<string> { $"loaded {Loaded.Count} keys from {Checkpoint}" + (Prefix is null ? "" : $" (prefix '{Prefix}')") };
        if (Missing.Count > 0) parts.Add($"missing in checkpoint: {string.Join(", ", Missing)}");
        if (Unexpected.Count > 0) parts.Add($"unexpected in checkpoint: {string.Join(", ", Unexpected)}");
        if (ShapeMismatched.Count > 0) parts.Add($"shape mismatch (skipped): {string.Join("; ", ShapeMismatched)}");
        if (NonFinite.Count > 0) parts.Add($"NaN/Inf values in: {string.Join(", ", NonFinite)}");
        return string.Join("; ", parts);
    }
}
