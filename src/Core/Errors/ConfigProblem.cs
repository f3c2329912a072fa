#nullable enable
namespace InitCfg.Core.Errors;

/// <summary>One problem found while validating a config.</summary>
public sealed record ConfigProblem(string ErrorId, string? Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Path is null ? Message : $"{Path}: {Message}";
}
