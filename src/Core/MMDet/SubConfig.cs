#nullable enable
using InitCfg.Core.Initializers;
using System.Globalization;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Core.MMDet;

/// <summary>
/// A nested config dict of an MMDetection module (<c>norm_cfg</c>, <c>anchor_generator</c>, <c>loss_cls</c>) read
/// with defaults, where a wrong type is an <see cref="InitCfgException"/> naming the key's full path.
/// </summary>
public sealed class SubConfig
{
    private readonly ConfigMap _map;

    /// <summary>Wraps <paramref name="map"/> found at <paramref name="path"/>.</summary>
    public SubConfig(ConfigMap map, ConfigPath path)
    {
        _map = map;
        Path = path;
    }

    /// <summary>Where the dict is.</summary>
    public ConfigPath Path { get; }

    /// <summary>The dict.</summary>
    public ConfigMap Map => _map;

    /// <summary>A dict value or null (None); anything else is an error.</summary>
    public static SubConfig? Of(object? value, ConfigPath path) => value switch
    {
        null => null,
        ConfigMap m => new SubConfig(m, path),
        _ => throw new InitCfgException(ErrorIds.InvalidArgumentType, path.ToString(), $"must be a dict or None, but got {PyRepr.TypeAndValue(value)}."),
    };

    /// <summary>The <c>type</c>, required.</summary>
    public string Type => _map[ConfigKeys.Type] as string
        ?? throw new InitCfgException(ErrorIds.MissingType, Path.Key(ConfigKeys.Type).ToString(), $"{PyRepr.Short(_map)} needs a \"type\".");

    /// <summary>True when the key is present and not None.</summary>
    public bool Has(string key) => _map[key] is not null;

    /// <summary>An int, or <paramref name="fallback"/> when absent.</summary>
    public long Int(string key, long fallback) => _map[key] switch
    {
        null => fallback,
        long l => l,
        var v => throw Wrong(key, "an int", v),
    };

    /// <summary>A number, or <paramref name="fallback"/> when absent.</summary>
    public double Float(string key, double fallback) => _map[key] switch
    {
        null => fallback,
        long l => l,
        double d => d,
        var v => throw Wrong(key, "a number", v),
    };

    /// <summary>A bool, or <paramref name="fallback"/> when absent.</summary>
    public bool Bool(string key, bool fallback) => _map[key] switch
    {
        null => fallback,
        bool b => b,
        var v => throw Wrong(key, "a bool", v),
    };

    /// <summary>A list of numbers, or <paramref name="fallback"/> when absent.</summary>
    public double[] Floats(string key, double[] fallback) => _map[key] switch
    {
        null => fallback,
        long or double => new[] { Convert.ToDouble(_map[key], CultureInfo.InvariantCulture) },
        IReadOnlyList<object?> l when l.All(x => x is long or double) => l.Select(x => Convert.ToDouble(x, CultureInfo.InvariantCulture)).ToArray(),
        var v => throw Wrong(key, "a list of numbers", v),
    };

    /// <summary>A config dict from key/value pairs, in order (for default configs).</summary>
    public static ConfigMap Dict(params (string Key, object? Value)[] entries)
    {
        var m = new ConfigMap();
        foreach (var (k, v) in entries) m.Set(k, v);
        return m;
    }

    private InitCfgException Wrong(string key, string expected, object? value) =>
        new(ErrorIds.InvalidArgumentType, Path.Key(key).ToString(), $"{key} must be {expected}, but got {PyRepr.TypeAndValue(value)}.");
}
