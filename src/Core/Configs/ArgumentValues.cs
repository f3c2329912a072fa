#nullable enable
using System.Globalization;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs;

/// <summary>
/// Validated arguments of one config node, defaults filled in, keyed by the names its <see cref="ArgumentSpec"/>s
/// spell: what a registered type's factory reads. Initializers get <see cref="Initializers.InitArguments"/> and
/// modules <see cref="Building.ModuleArguments"/>, which add what only their kind needs.
/// </summary>
public abstract class ArgumentValues
{
    private readonly IReadOnlyDictionary<string, object?> _values;

    /// <param name="values">The validated values, defaults filled in.</param>
    /// <param name="path">Where the node is, for errors found while building it.</param>
    /// <param name="dimensions">The layer's dimensionality, for <see cref="Ints"/> (0: none).</param>
    private protected ArgumentValues(IReadOnlyDictionary<string, object?> values, ConfigPath path, int dimensions)
    {
        _values = values;
        Path = path;
        Dimensions = dimensions;
    }

    /// <summary>Where the node is, for errors found while building it.</summary>
    public ConfigPath Path { get; }

    /// <summary>Dimensionality of the layer (Conv2d: 2) for tuple arguments; 0 when the type has none.</summary>
    public int Dimensions { get; }

    /// <summary>The value as read from the config (a dict, a list, a scalar or null) or its default.</summary>
    public object? Raw(string name) => _values.TryGetValue(name, out var v) ? v : null;

    /// <summary>True when the type takes an argument of this name.</summary>
    public bool Knows(string name) => _values.ContainsKey(name);

    /// <summary>True when the value is present and not None.</summary>
    public bool Has(string name) => _values.TryGetValue(name, out var v) && v is not null;

    /// <summary>A string argument.</summary>
    public string Text(string name) => (string)Raw(name)!;

    /// <summary>A numeric argument (an int or a float) as a double.</summary>
    public double Number(string name) => Convert.ToDouble(Raw(name), CultureInfo.InvariantCulture);

    /// <summary>An int argument.</summary>
    public long Int(string name) => Convert.ToInt64(_values[name], CultureInfo.InvariantCulture);

    /// <summary>An optional int argument.</summary>
    public long? IntOrNull(string name) => Has(name) ? Int(name) : null;

    /// <summary>A bool argument.</summary>
    public bool Bool(string name) => (bool)_values[name]!;

    /// <summary>An int or a list of ints, as an array (an int is repeated to <see cref="Dimensions"/>).</summary>
    public long[] Ints(string name) => _values[name] switch
    {
        long l => Enumerable.Repeat(l, Math.Max(1, Dimensions)).ToArray(),
        IReadOnlyList<object?> list => list.Select(x => Convert.ToInt64(x, CultureInfo.InvariantCulture)).ToArray(),
        _ => throw new InitCfgException(ErrorIds.InvalidArgumentType, Path.Key(name).ToString(), $"{name} must be an int or a list of ints."),
    };

    /// <summary>A validation error for one argument of this node, to throw.</summary>
    public InitCfgException Invalid(string argument, string message) =>
        new(ErrorIds.InvalidArgumentValue, Path.Key(argument).ToString(), message);
}
