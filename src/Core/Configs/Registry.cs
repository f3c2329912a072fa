#nullable enable
using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs;

/// <summary>
/// Types a config's <c>type</c> key can name, like MMEngine's registries: one descriptor a name, names matched
/// case-insensitively, kept in registration order. Thread-safe: registration takes a lock and publishes a new
/// snapshot, so readers never lock. <see cref="Initializers.InitializerRegistry"/> and
/// <see cref="Building.ModuleRegistry"/> are the two kinds; a new family of types registers its descriptors in
/// one of them with <see cref="Register"/>.
/// </summary>
/// <typeparam name="TDescriptor">What is registered under a name.</typeparam>
public abstract class Registry<TDescriptor> where TDescriptor : TypeDescriptor
{
    private readonly object _gate = new();
    private volatile Dictionary<string, TDescriptor> _items = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _noun;
    private readonly string _unknownErrorId;

    /// <param name="noun">How messages name this registry (<c>initializer registry</c>).</param>
    /// <param name="unknownErrorId">The error id for a name that is not registered.</param>
    protected Registry(string noun, string unknownErrorId)
    {
        _noun = noun;
        _unknownErrorId = unknownErrorId;
    }

    /// <summary>Registered names in registration order.</summary>
    public IReadOnlyList<string> Names => _items.Values.Select(d => d.Type).ToArray();

    /// <summary>Every registered descriptor, in registration order.</summary>
    public IReadOnlyList<TDescriptor> Descriptors => _items.Values.ToArray();

    /// <summary>Adds a type; a name already taken is an error unless <paramref name="force"/> is set.</summary>
    public void Register(TDescriptor descriptor, bool force = false)
    {
        var name = descriptor.Type;
        lock (_gate)
        {
            if (!force && _items.ContainsKey(name))
                throw new InitCfgException(ErrorIds.DuplicateRegistration, null,
                    $"{name} is already registered in the {_noun} ({Hints.Force} to replace it).");
            _items = new Dictionary<string, TDescriptor>(_items, StringComparer.OrdinalIgnoreCase) { [name] = descriptor };
        }
    }

    /// <summary>The descriptor of a type, if registered (a registry may also accept other spellings of a name).</summary>
    public virtual bool TryGet(string type, out TDescriptor descriptor) => TryGetExact(type, out descriptor);

    /// <summary>The descriptor registered under exactly this name (case-insensitively).</summary>
    protected bool TryGetExact(string type, out TDescriptor descriptor) => _items.TryGetValue(type, out descriptor!);

    /// <summary>The descriptor of a type, or an error at <paramref name="path"/>'s <c>type</c> naming the known types and the nearest one.</summary>
    public TDescriptor Get(string type, ConfigPath path) =>
        TryGet(type, out var d) ? d : throw new InitCfgException(_unknownErrorId, path.Key(ConfigKeys.Type).ToString(),
            $"{PyRepr.Short(type, 80)} is not in the {_noun}.{(type.Length <= 80 ? Nearest.Hint(type, Names) : "")} Registered types: {string.Join(", ", Names)}.");
}
