#nullable enable
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Initializers;

/// <summary>
/// Initializer types by name, like MMEngine's WEIGHT_INITIALIZERS registry. Names match case-insensitively.
/// Thread-safe (see <see cref="Registry{TDescriptor}"/>).
/// </summary>
public sealed class InitializerRegistry : Registry<InitializerDescriptor>
{
    /// <summary>An empty registry.</summary>
    public InitializerRegistry() : base("initializer registry", ErrorIds.UnknownInitializerType) { }

    /// <summary>The registry every cmdlet uses, filled with the built-in initializers.</summary>
    public static InitializerRegistry Default { get; } = BuiltinInitializers.CreateRegistry();

    /// <summary>Registers a function as the weight fill of a new initializer type (e.g. a PowerShell script block).</summary>
    public InitializerDescriptor RegisterDelegate(string type, IReadOnlyList<ArgumentSpec> arguments, WeightFill fill, string description = "", bool force = false)
    {
        CheckName(type);
        var d = new InitializerDescriptor(type, description.Length > 0 ? description : $"User initializer {type}.", arguments, a => new DelegateInit(a, fill));
        Register(d, force);
        return d;
    }

    /// <summary>
    /// Registers a .NET class deriving from <see cref="InitializerBase"/> (or <see cref="WholeTargetInitializer"/>) with a public constructor taking
    /// <see cref="InitArguments"/>; its type name comes from <see cref="InitializerAttribute"/> (or the class name
    /// without "Init") and its arguments from <see cref="InitArgumentAttribute"/>s.
    /// </summary>
    public InitializerDescriptor RegisterClass(Type cls, string? type = null, bool force = false)
    {
        if (!typeof(Initializer).IsAssignableFrom(cls) || cls.IsAbstract)
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
            a => (Initializer)ctor.Invoke(new object[] { a }));
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

    /// <inheritdoc />
    public override bool TryGet(string type, out InitializerDescriptor descriptor) =>
        TryGetExact(type, out descriptor) || TryGetClass(type, out descriptor);

    // A lazy-import config names the class itself (type=PretrainedInit, or its dotted name): MMEngine registers
    // PretrainedInit as Pretrained, KaimingInit as Kaiming, and so on.
    private bool TryGetClass(string type, out InitializerDescriptor descriptor)
    {
        var name = type[(type.LastIndexOf('.') + 1)..];
        if (name.EndsWith("Init", StringComparison.Ordinal) && name.Length > 4 && TryGetExact(name[..^4], out descriptor)) return true;
        return TryGetExact(name, out descriptor) && name.Length < type.Length;
    }

    /// <summary>
    /// Builds the initializer of one config dict, collecting every argument problem into one error.
    /// <paramref name="name"/> is the override's <c>name</c> (null outside overrides), only to list the keys a
    /// user may mean.
    /// </summary>
    internal Initializer Build(string type, ConfigMap arguments, IReadOnlyList<string> layer, string? name, ConfigPath path, bool wholeModule)
    {
        var descriptor = Get(type, path);
        var problems = new ProblemList();
        // `override` (inside an override: `name`) is a key of the dict rather than an initializer argument, but a
        // user reading the list of valid arguments to fix a typo needs it too.
        var (values, given) = ArgumentChecks.Bind(descriptor.Type, descriptor.Arguments, arguments, path, problems,
            new[] { name is null ? ConfigKeys.Override : ConfigKeys.Name });
        problems.ThrowIfAny();

        var args = new InitArguments(descriptor, values, given, layer, wholeModule, path);
        return descriptor.Factory(args);
    }
}
