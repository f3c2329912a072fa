#nullable enable
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Building;

/// <summary>Module types by name for <see cref="ModelBuilder"/>. Names match case-insensitively; thread-safe.</summary>
public sealed class ModuleRegistry
{
    private readonly object _gate = new();
    private volatile Dictionary<string, ModuleDescriptor> _items = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registry the cmdlets use, with every built-in layer and container.</summary>
    public static ModuleRegistry Default { get; } = BuiltinModules.CreateRegistry();

    /// <summary>Registered names.</summary>
    public IReadOnlyList<string> Names => _items.Values.Select(d => d.Type).ToArray();

    /// <summary>Every descriptor.</summary>
    public IReadOnlyList<ModuleDescriptor> Descriptors => _items.Values.ToArray();

    /// <summary>Adds a type; a taken name is an error unless <paramref name="force"/>.</summary>
    public void Register(ModuleDescriptor descriptor, bool force = false)
    {
        lock (_gate)
        {
            if (!force && _items.ContainsKey(descriptor.Type))
                throw new InitCfgException(ErrorIds.DuplicateRegistration, null,
                    $"{descriptor.Type} is already registered in the module registry ({Hints.Force} to replace it).");
            _items = new Dictionary<string, ModuleDescriptor>(_items, StringComparer.OrdinalIgnoreCase) { [descriptor.Type] = descriptor };
        }
    }

    /// <summary>Registers a TorchSharp module class; its constructor's parameters become the config's arguments.</summary>
    public ModuleDescriptor RegisterClass(Type cls, string? type = null, bool force = false)
    {
        var d = ClassModuleFactory.Describe(cls, type);
        Register(d, force);
        return d;
    }

    /// <summary>Registers every class of an assembly marked with <see cref="InitModuleAttribute"/>.</summary>
    public IReadOnlyList<ModuleDescriptor> RegisterAssembly(System.Reflection.Assembly assembly, bool force = false)
    {
        var marked = assembly.GetExportedTypes().Where(t => Attribute.IsDefined(t, typeof(InitModuleAttribute))).ToArray();
        if (marked.Length == 0)
            throw new InitCfgException(ErrorIds.UnknownModuleType, assembly.Location,
                $"{assembly.GetName().Name} has no public class marked [InitModule].");
        return marked.Select(t => RegisterClass(t, null, force)).ToArray();
    }

    /// <summary>The descriptor, if registered.</summary>
    public bool TryGet(string type, out ModuleDescriptor descriptor) =>
        _items.TryGetValue(type, out descriptor!) ||
        // A lazy-import config names the class by its dotted name (torch.nn.SyncBatchNorm, mmpretrain.ConvNeXt).
        type.LastIndexOf('.') is > 0 and var dot && _items.TryGetValue(type[(dot + 1)..], out descriptor!);

    /// <summary>The descriptor, or an error naming the nearest registered type.</summary>
    public ModuleDescriptor Get(string type, ConfigPath path) =>
        TryGet(type, out var d) ? d : throw new InitCfgException(ErrorIds.UnknownModuleType, path.Key(ConfigKeys.Type).ToString(),
            $"{PyRepr.Short(type, 80)} is not in the module registry.{(type.Length <= 80 ? Nearest.Hint(type, Names) : "")} Registered types: {string.Join(", ", Names)}.");
}
