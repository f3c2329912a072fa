#nullable enable

using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs;

/// <summary>Collects every problem of a validation pass so that one error reports them all.</summary>
public sealed class ProblemList
{
    private readonly List<ConfigProblem> _problems = new();

    /// <summary>The problems so far.</summary>
    public IReadOnlyList<ConfigProblem> Items => _problems;

    /// <summary>True when nothing was found.</summary>
    public bool IsEmpty => _problems.Count == 0;

    /// <summary>Records a problem.</summary>
    public void Add(string errorId, ConfigPath path, string message) => _problems.Add(new ConfigProblem(errorId, path.ToString(), message));

    /// <summary>Records the problems an exception carries.</summary>
    public void Add(InitCfgException e) => _problems.AddRange(e.Problems);

    /// <summary>Throws one exception with every problem, if any.</summary>
    public void ThrowIfAny()
    {
        if (_problems.Count > 0) throw new InitCfgException(_problems.ToList());
    }
}
