#nullable enable
using System.Globalization;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Building;

/// <summary>Validated constructor arguments of one module node, defaults filled in.</summary>
public sealed class ModuleArguments
{
    private readonly Dictionary<string, object?> _values;

    internal ModuleArguments(Dictionary<string, object?> values, ConfigPath path, int dimensions, bool initCfgGiven = false)
    {
        InitCfgGiven = initCfgGiven;
        _values = values;
        Path = path;
        Dimensions = dimensions;
    }

    /// <summary>Where the node is.</summary>
    public ConfigPath Path { get; }

    /// <summary>Dimensionality of the layer (Conv2d: 2), for tuple arguments.</summary>
    public int Dimensions { get; }

    /// <summary>True when the node has its own init_cfg (some modules, like MMDetection's ResNet, default one otherwise).</summary>
    public bool InitCfgGiven { get; }

    /// <summary>The value as read from the config (a dict, a list, a scalar or null), for arguments a factory reads itself.</summary>
    public object? Raw(string name) => _values.TryGetValue(name, out var v) ? v : null;

    /// <summary>True when the module takes an argument of this name.</summary>
    public bool Knows(string name) => _values.ContainsKey(name);

    /// <summary>A string.</summary>
    public string Text(string name) => (string)_values[name]!;

    /// <summary>True when the value is present and not None.</summary>
    public bool Has(string name) => _values.TryGetValue(name, out var v) && v is not null;

    /// <summary>An int argument.</summary>
    public long Int(string name) => Convert.ToInt64(_values[name], CultureInfo.InvariantCulture);

    /// <summary>An optional int argument.</summary>
    public long? IntOrNull(string name) => Has(name) ? Int(name) : null;

    /// <summary>A number.</summary>
    public double Float(string name) => Convert.ToDouble(_values[name], CultureInfo.InvariantCulture);

    /// <summary>A bool.</summary>
    public bool Bool(string name) => (bool)_values[name]!;

    /// <summary>An int or a list of ints, as an array (an int is repeated to <see cref="Dimensions"/>).</summary>
    public long[] Ints(string name) => _values[name] switch
    {
        long l => Enumerable.Repeat(l, Math.Max(1, Dimensions)).ToArray(),
        IReadOnlyList<object?> list => list.Select(x => Convert.ToInt64(x, CultureInfo.InvariantCulture)).ToArray(),
        _ => throw new InitCfgException(ErrorIds.InvalidArgumentType, Path.Key(name).ToString(), $"{name} must be an int or a list of ints."),
    };
}
