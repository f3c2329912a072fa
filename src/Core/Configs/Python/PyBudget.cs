#nullable enable
using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs.Python;

/// <summary>
/// Work and memory bounds for reading one config with all its bases, so that <c>x = [x] * 10**9</c> or an
/// endless comprehension ends in a clear error instead of exhausting the machine. Real configs use a tiny
/// fraction of each bound.
/// </summary>
internal sealed class PyBudget
{
    /// <summary>Most expressions evaluated.</summary>
    public const long MaxSteps = 20_000_000;

    /// <summary>Most list items, dict entries and characters created in all.</summary>
    public const long MaxAllocated = 50_000_000;

    /// <summary>Most config files read for one config (bases included).</summary>
    public const int MaxFiles = 1000;

    private long _steps;
    private long _allocated;
    private int _files;

    public void Step(PySource source, PyNode at)
    {
        if (++_steps > MaxSteps)
            throw new InitCfgException(ErrorIds.ConfigTooLarge, source.Where(at.Line, at.Column),
                $"{source.Where(at.Line, at.Column)}: reading the config takes more than {MaxSteps:N0} steps.");
    }

    /// <summary>Counts <paramref name="count"/> new items of one sequence; fails before anything that large is built.</summary>
    public void Allocate(long count, string where, bool characters = false)
    {
        long max = characters ? ConfigLimits.MaxScalarLength : ConfigLimits.MaxNodes;
        if (count > max)
            throw new InitCfgException(ErrorIds.ConfigTooLarge, where,
                $"{where}: a {(characters ? "string" : "list")} of {count:N0} {(characters ? "characters" : "items")} is larger than the {max:N0} allowed.");
        _allocated += Math.Max(0, count);
        if (_allocated > MaxAllocated)
            throw new InitCfgException(ErrorIds.ConfigTooLarge, where, $"{where}: reading the config builds more than {MaxAllocated:N0} values.");
    }

    public void File(string where)
    {
        if (++_files > MaxFiles)
            throw new InitCfgException(ErrorIds.ConfigTooLarge, where, $"{where}: the config reads more than {MaxFiles:N0} base files.");
    }
}
