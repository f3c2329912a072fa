#nullable enable
namespace InitCfg.Core.Configs;

/// <summary>What a config file holds by default, by its kind: an MMEngine .py config is a whole training setup.</summary>
public static class ConfigFiles
{
    /// <summary>The extensions a config file may have.</summary>
    public static IReadOnlyList<string> Extensions { get; } = new[] { ".py", ".yaml", ".yml", ".json" };

    /// <summary>True for a .py (MMEngine) config.</summary>
    public static bool IsPython(string path) => string.Equals(Path.GetExtension(path), ".py", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>model</c> for a .py config (the model to build lives there); null (the whole file) otherwise.</summary>
    public static string? DefaultModelKey(string path) => IsPython(path) ? "model" : null;

    /// <summary>
    /// The init config of a tree read from a file or text with no key given: the value of a top-level
    /// <c>init_cfg</c> when the tree is a dict without <c>type</c> (an init-config file); otherwise the tree itself.
    /// </summary>
    public static object? InitCfgOf(object? tree) =>
        tree is ConfigMap map && !map.Contains(ConfigKeys.Type) && map.TryGet(ConfigKeys.InitCfg, out var initCfg) ? initCfg : tree;

    /// <summary>
    /// True when a string given where a config or a path is expected is config text rather than a path: it spans
    /// lines or starts like a dict, a list, Python or a YAML mapping; a name ending in a config extension is a path.
    /// </summary>
    public static bool IsText(string value)
    {
        var t = value.Trim();
        if (t.Contains('\n')) return true;
        if (t.StartsWith('{') || t.StartsWith('[')) return true;
        if (Extensions.Any(e => t.EndsWith(e, StringComparison.OrdinalIgnoreCase))) return false;
        return ConfigReader.LooksLikePython(t) || System.Text.RegularExpressions.Regex.IsMatch(t, @"^[A-Za-z_][\w-]*:\s");
    }
}
