#nullable enable
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Initializers;

/// <summary>
/// Initializer types by name, like MMEngine's WEIGHT_INITIALIZERS registry. Names match case-insensitively.
/// Thread-safe: registration takes a lock and publishes a new snapshot.
/// </summary>
public sealed class InitializerRegistry
{
    private readonly object _gate = new();
    private volatile Dictionary<string, InitializerDescriptor> _items = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registry every cmdlet uses, filled with the built-in initializers.</summary>
    public static InitializerRegistry Default { get; } = BuiltinInitializers.CreateRegistry();

    /// <summary>Registered names in registration order.</summary>
    public IReadOnlyList<string> Names => _items.Values.Select(d => d.Type).ToArray();

    /// <summary>Every registered descriptor.</summary>
    public IReadOnlyList<InitializerDescriptor> Descriptors => _items.Values.ToArray();

    /// <summary>Adds a type; a name already taken is an error unless <paramref name="force"/> is set.</summary>
    public void Register(InitializerDescriptor descriptor, bool force = false)
    {
        lock (_gate)
        {
            if (!force && _items.ContainsKey(descriptor.Type))
                throw new InitCfgException(ErrorIds.DuplicateRegistration, null,
                    $"{descriptor.Type} is already registered in the initializer registry ({Hints.Force} to replace it).");
            _items = new Dictionary<string, InitializerDescriptor>(_items, StringComparer.OrdinalIgnoreCase) { [descriptor.Type] = descriptor };
        }
    }

    /// <summary>Registers a function as the weight fill of a new initializer type (e.g. a PowerShell script block).</summary>
    public InitializerDescriptor RegisterDelegate(string type, IReadOnlyList<ArgumentSpec> arguments, WeightFill fill, string description = "", bool force = false)
    {
        CheckName(type);
        var d = new InitializerDescriptor(type, description.Length > 0 ? description : $"User initializer {type}.", arguments, a => new DelegateInit(a, fill));
        Register(d, force);
        return d;
    }

    /// <summary>
    /// Registers a .NET class deriving from <see cref="InitializerBase"/> with a public constructor taking
    /// <see cref="InitArguments"/>; its type name comes from <see cref="InitializerAttribute"/> (or the class name
    /// without "Init") and its arguments from <see cref="InitArgumentAttribute"/>s.
    /// </summary>
    public InitializerDescriptor RegisterClass(Type cls, string? type = null, bool force = false)
    {
        if (!typeof(InitializerBase).IsAssignableFrom(cls) || cls.IsAbstract)
            throw new InitCfgException(ErrorIds.InvalidArgumentType, cls.FullName, $"{cls.FullName} does not derive from InitializerBase (or is abstract).");
        var ctor = cls.GetConstructor(new[] { typeof(InitArguments) })
            ?? throw new InitCfgException(ErrorIds.InvalidArgumentType, cls.FullName, $"{cls.FullName} has no public constructor taking InitArguments.");
        var attr = (InitializerAttribute?)Attribute.GetCustomAttribute(cls, typeof(InitializerAttribute));
        var name = type ?? attr?.Type ?? (cls.Name.EndsWith("Init") && cls.Name.Length > 4 ? cls.Name[..^4] : cls.Name);
        CheckName(name);
        var args = cls.GetCustomAttributes(typeof(InitArgumentAttribute), false).Cast<InitArgumentAttribute>()
            .Select(a => new ArgumentSpec(a.Name, a.Kind, Normalize(a.Default), a.Description, Required: a.Default is null && !a.Optional,
                Choices: a.Choices, Nullable: a.Optional))
            .ToArray();
        var d = new InitializerDescriptor(name, attr?.Description is { Length: > 0 } text ? text : $"User initializer {cls.FullName}.", args,
            a => (InitializerBase)ctor.Invoke(new object[] { a }));
        Register(d, force);
        return d;
    }

    private static object? Normalize(object? v) => v switch
    {
        int or short or byte => Convert.ToInt64(v),
        float f => (double)f,
        _ => v,
    };

    private static void CheckName(string type)
    {
        if (string.IsNullOrWhiteSpace(type) || !type.All(c => char.IsLetterOrDigit(c) || c == '_'))
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, type, $"'{type}' is not a valid initializer type name (letters, digits and _ only).");
    }

    /// <summary>The descriptor of a type, if registered.</summary>
    public bool TryGet(string type, out InitializerDescriptor descriptor) =>
        _items.TryGetValue(type, out descriptor!) || TryGetClass(type, out descriptor);

    // A lazy-import config names the class itself (type=PretrainedInit, or its dotted name): MMEngine registers
    // PretrainedInit as Pretrained, KaimingInit as Kaiming, and so on.
    private bool TryGetClass(string type, out InitializerDescriptor descriptor)
    {
        var name = type[(type.LastIndexOf('.') + 1)..];
        if (name.EndsWith("Init", StringComparison.Ordinal) && name.Length > 4 && _items.TryGetValue(name[..^4], out descriptor!)) return true;
        return _items.TryGetValue(name, out descriptor!) && name.Length < type.Length;
    }

    /// <summary>The descriptor of a type, or an error naming the known types and the nearest one.</summary>
    public InitializerDescriptor Get(string type, ConfigPath path)
    {
        if (TryGet(type, out var d)) return d;
        throw new InitCfgException(ErrorIds.UnknownInitializerType, path.Key(ConfigKeys.Type).ToString(),
            $"{PyRepr.Short(type, 80)} is not in the initializer registry.{(type.Length <= 80 ? Nearest.Hint(type, Names) : "")} Registered types: {string.Join(", ", Names)}.");
    }

    /// <summary>Validates a config's arguments against its type, adding problems to <paramref name="problems"/>.</summary>
    public void Validate(InitConfig config, ConfigPath path, ProblemList problems)
    {
        try { Build(config, path, wholeModule: false); }
        catch (InitCfgException e) { problems.Add(e); }
    }

    /// <summary>Builds the initializer for a config, collecting every argument problem into one error.</summary>
    public InitializerBase Build(InitConfig config, ConfigPath path, bool wholeModule)
    {
        if (config.Type is null)
            throw new InitCfgException(ErrorIds.MissingType, path.ToString(), $"an init config needs a \"type\" key, but got {config}.");
        var descriptor = Get(config.Type, path);
        var problems = new ProblemList();
        var values = new Dictionary<string, object?>();
        var given = new ConfigMap();
        var specs = descriptor.Arguments;

        foreach (var (key, value) in config.Arguments)
        {
            var spec = specs.FirstOrDefault(s => ConfigKeys.Same(s.Name, key));
            if (spec is null)
            {
                // `override` (inside an override: `name`) is a key of the dict rather than an initializer argument,
                // but a user reading this list to fix a typo needs it too.
                var valid = specs.Select(s => s.Name).Append(config.Name is null ? ConfigKeys.Override : ConfigKeys.Name).ToArray();
                problems.Add(ErrorIds.UnknownArgument, path.Key(key),
                    $"{descriptor.Type} got an unexpected argument {PyRepr.Short(key, 80)}.{(key.Length <= 80 ? Nearest.Hint(key, valid) : "")} Valid arguments: {string.Join(", ", valid)}.");
                continue;
            }
            if (ArgumentChecks.Check(spec, value, path.Key(spec.Name), problems) is var (ok, normalized) && ok)
            {
                values[spec.Name] = normalized;
                given.Set(spec.Name, normalized);
            }
        }
        foreach (var spec in specs)
        {
            if (values.ContainsKey(spec.Name) || config.Arguments.Contains(spec.Name)) continue;
            if (spec.Required)
                problems.Add(ErrorIds.MissingArgument, path,
                    $"{descriptor.Type} is missing the required argument '{spec.Name}'.");
            else values[spec.Name] = spec.Default;
        }
        problems.ThrowIfAny();

        var args = new InitArguments(descriptor, values, given, config.Layer, wholeModule, path);
        return descriptor.Factory(args);
    }
}
