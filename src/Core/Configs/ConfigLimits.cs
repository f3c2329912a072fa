#nullable enable
using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs;

/// <summary>
/// Bounds on what a config may hold, so a hostile file (an alias bomb, nesting thousands deep, a huge scalar)
/// ends in a clear error quickly and with bounded memory. Real configs are far below every one of them.
/// </summary>
public sealed class ConfigLimits
{
    /// <summary>Deepest nesting of dictionaries and lists.</summary>
    public const int MaxDepth = 100;

    /// <summary>Most values in one config (after YAML aliases are expanded).</summary>
    public const int MaxNodes = 200_000;

    /// <summary>Longest string value or key.</summary>
    public const int MaxScalarLength = 1 << 20;

    /// <summary>Largest config file read.</summary>
    public const long MaxFileBytes = 64L << 20;

    private int _nodes;

    /// <summary>Counts one value at <paramref name="depth"/>, failing when a bound is passed.</summary>
    public void Visit(ConfigPath path, int depth)
    {
        if (depth > MaxDepth)
            throw new InitCfgException(ErrorIds.ConfigTooLarge, path.ToString(), $"the config nests deeper than {MaxDepth} levels.");
        if (++_nodes > MaxNodes)
            throw new InitCfgException(ErrorIds.ConfigTooLarge, path.ToString(), $"the config holds more than {MaxNodes:N0} values (YAML aliases count once per use).");
    }

    /// <summary>Checks a string value or key.</summary>
    public static string Scalar(string s, ConfigPath path) => s.Length <= MaxScalarLength ? s
        : throw new InitCfgException(ErrorIds.ConfigTooLarge, path.ToString(), $"a string of {s.Length:N0} characters is longer than the {MaxScalarLength:N0} allowed.");
}
