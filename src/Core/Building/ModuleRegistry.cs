#nullable enable
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Building;

/// <summary>
/// Module types by name for <see cref="ModelBuilder"/>. Names match case-insensitively; thread-safe (see
/// <see cref="Registry{TDescriptor}"/>). A new family of modules registers each type with
/// <c>ModuleRegistry.Default.Register(new ModuleDescriptor(type, description, arguments, factory))</c>, or a
/// TorchSharp class with <see cref="RegisterClass"/>.
/// </summary>
public sealed class ModuleRegistry : Registry<ModuleDescriptor>
{
    /// <summary>An empty registry.</summary>
    public ModuleRegistry() : base("module registry", ErrorIds.UnknownModuleType) { }

    /// <summary>The registry the cmdlets use, with every built-in layer and container.</summary>
    public static ModuleRegistry Default { get; } = BuiltinModules.CreateRegistry();

    /// <summary>Registers a TorchSharp module class; its constructor's parameters become the config's arguments.</summary>
    public ModuleDescriptor RegisterClass(Type cls, string? type = null, bool force = false)
    {
        var d = ClassModuleFactory.CreateDescriptor(cls, type);
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

    /// <inheritdoc />
    public override bool TryGet(string type, out ModuleDescriptor descriptor) =>
        TryGetExact(type, out descriptor) ||
        // A lazy-import config names the class by its dotted name (torch.nn.SyncBatchNorm, mmpretrain.ConvNeXt).
        type.LastIndexOf('.') is > 0 and var dot && TryGetExact(type[(dot + 1)..], out descriptor);
}
