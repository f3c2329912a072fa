#nullable enable
using System.Reflection;
using System.Runtime.Loader;

namespace InitCfg.Cmdlets;

/// <summary>
/// Loads InitCfg's private dependencies (the engine, YamlDotNet, ScottPlot, SkiaSharp, System.IO.Hashing) from the module's
/// <c>dependencies</c> folder into an AssemblyLoadContext of their own, so that a module which loaded another version
/// of one of them in the same session does not conflict with InitCfg (the PowerShell team's guidance on resolving
/// assembly conflicts: a small entry assembly in the default context, the rest in a custom one).
/// TorchSharp and TorchVision stay in the default context: scripts build models with them and hand them to the cmdlets,
/// so there must be one TorchSharp.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    /// <summary>The folder, under the module folder, that holds the isolated assemblies.</summary>
    public const string FolderName = "dependencies";

    private const string EngineName = "InitCfg.Core";
    private static readonly object Gate = new();
    private static DependencyLoadContext? _instance;

    private readonly string _dependencies;
    private readonly string _moduleFolder;

    private DependencyLoadContext(string moduleFolder, string dependencies) : base("InitCfg")
    {
        _moduleFolder = moduleFolder;
        _dependencies = dependencies;
    }

    /// <summary>
    /// Hands the engine to this context whenever the default context looks for it (first from the cmdlets, also from
    /// user assemblies compiled against it). Does nothing where the module is not split (plain build output).
    /// </summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_instance is not null) return;
            var moduleFolder = Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location);
            if (moduleFolder is null) return;
            var dependencies = Path.Combine(moduleFolder, FolderName);
            if (!File.Exists(Path.Combine(dependencies, EngineName + ".dll"))) return;
            _instance = new DependencyLoadContext(moduleFolder, dependencies);
            Default.Resolving += ResolveEngine;
        }
    }

    // Only the engine crosses over; what it references then resolves in Load below.
    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        string.Equals(name.Name, EngineName, StringComparison.OrdinalIgnoreCase) ? _instance?.LoadFromAssemblyName(name) : null;

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(_dependencies, assemblyName.Name + ".dll");
        // Null: the default context's (TorchSharp, TorchVision, the framework, PowerShell).
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    /// <inheritdoc />
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        // SkiaSharp's and HarfBuzzSharp's native libraries stay next to libtorch's, in the module folder.
        foreach (var name in Candidates(unmanagedDllName))
        {
            var path = Path.Combine(_moduleFolder, name);
            if (File.Exists(path)) return LoadUnmanagedDllFromPath(path);
        }
        return IntPtr.Zero;
    }

    private static IEnumerable<string> Candidates(string name)
    {
        yield return name;
        var suffix = OperatingSystem.IsWindows() ? ".dll" : OperatingSystem.IsMacOS() ? ".dylib" : ".so";
        yield return name + suffix;
        if (!OperatingSystem.IsWindows() && !name.StartsWith("lib", StringComparison.Ordinal)) yield return "lib" + name + suffix;
    }
}
