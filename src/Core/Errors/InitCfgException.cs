#nullable enable
namespace InitCfg.Core.Errors;

/// <summary>The one exception the engine throws for bad input: a stable error id, where in the config, and what was wrong.</summary>
public sealed class InitCfgException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InitCfgException(string errorId, string? path, string message, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        ConfigPath = path;
        Problems = new[] { new ConfigProblem(errorId, path, message) };
    }

    /// <summary>Creates one exception that carries every problem found by a validation pass.</summary>
    public InitCfgException(IReadOnlyList<ConfigProblem> problems, Exception? inner = null)
        : base(Summarize(problems), inner)
    {
        if (problems.Count == 0) throw new ArgumentException("At least one problem is needed.", nameof(problems));
        ErrorId = problems[0].ErrorId;
        ConfigPath = problems[0].Path;
        Problems = problems;
    }

    /// <summary>Stable PascalCase id from <see cref="ErrorIds"/>.</summary>
    public string ErrorId { get; }

    /// <summary>Where the (first) problem is, for example <c>init_cfg[1].override[0].name</c>.</summary>
    public string? ConfigPath { get; }

    /// <summary>Every problem found, in the order found.</summary>
    public IReadOnlyList<ConfigProblem> Problems { get; }

    /// <summary>A coarse category the PowerShell layer maps to an ErrorCategory.</summary>
    public ErrorKind Kind => ErrorIds.KindOf(ErrorId);

    private static string Summarize(IReadOnlyList<ConfigProblem> problems) =>
        problems.Count == 1
            ? problems[0].ToString()
            : $"{problems.Count} problems in the config:{Environment.NewLine}" +
              string.Join(Environment.NewLine, problems.Select(p => "  - " + p));
}
