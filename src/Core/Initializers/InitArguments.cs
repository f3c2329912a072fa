#nullable enable
using System.Globalization;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Initializers;

/// <summary>Validated arguments of one initializer, defaults filled in, keyed by MMEngine's spelling.</summary>
public sealed class InitArguments
{
    private readonly Dictionary<string, object?> _values;

    internal InitArguments(InitializerDescriptor descriptor, Dictionary<string, object?> values, ConfigMap given,
        IReadOnlyList<string> layers, bool wholeModule, ConfigPath path)
    {
        Descriptor = descriptor;
        _values = values;
        Given = given;
        Layers = layers;
        WholeModule = wholeModule;
        Path = path;
    }

    /// <summary>The initializer type.</summary>
    public InitializerDescriptor Descriptor { get; }

    /// <summary>The arguments as given in the config (canonical names), for records and catalogs.</summary>
    public ConfigMap Given { get; }

    /// <summary>Layer-type names to match.</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>True for an override: every submodule with a weight or bias is initialized.</summary>
    public bool WholeModule { get; }

    /// <summary>Where this config is, for errors found while building the initializer.</summary>
    public ConfigPath Path { get; }

    /// <summary>A value as given (long, double or string) or its default.</summary>
    public object? Raw(string name) => _values.TryGetValue(name, out var v) ? v : null;

    /// <summary>A numeric argument as a double.</summary>
    public double Number(string name) => Convert.ToDouble(Raw(name), CultureInfo.InvariantCulture);

    /// <summary>A string argument.</summary>
    public string Text(string name) => (string)Raw(name)!;

    /// <summary>Throws a validation error for this config.</summary>
    public InitCfgException Invalid(string argument, string message) =>
        new(ErrorIds.InvalidArgumentValue, Path.Key(argument).ToString(), message);
}
