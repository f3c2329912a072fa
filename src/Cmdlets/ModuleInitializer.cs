#nullable enable
using System.Management.Automation;
using System.Reflection;

namespace InitCfg.Cmdlets;

/// <summary>
/// Registers the type names SPEC.md promises (<c>[InitCfg.InitConfig]</c>, <c>[InitCfg.ParameterInitRecord]</c>)
/// as type accelerators for the engine's types, and removes them when the module is removed. When the engine loads
/// in its own AssemblyLoadContext (<see cref="DependencyLoadContext"/>), PowerShell cannot find its types by name, so
/// every public engine type is also registered under its full name (<c>[InitCfg.Core.Reports.CatalogEntry]</c>).
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly (string Name, Type Type)[] Accelerators = BuildAccelerators();

    private static (string Name, Type Type)[] BuildAccelerators()
    {
        var list = new List<(string, Type)>
        {
            ("InitCfg.InitConfig", typeof(Core.Configs.InitConfig)),
            ("InitCfg.ParameterInitRecord", typeof(Core.Reports.ParameterInitRecord)),
            ("InitCfg.InitSummaryRow", typeof(Core.Reports.InitSummaryRow)),
        };
        var engine = typeof(Core.Configs.InitConfig).Assembly;
        if (System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(engine) != System.Runtime.Loader.AssemblyLoadContext.Default)
            list.AddRange(engine.GetExportedTypes().Where(t => !t.IsGenericTypeDefinition).Select(t => (t.FullName!, t)));
        return list.ToArray();
    }

    private static Type? AcceleratorType =>
        typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");

    /// <inheritdoc />
    public void OnImport()
    {
        DependencyLoadContext.Register();
        PreloadMacOSOpenMP();
        var add = AcceleratorType?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, new[] { typeof(string), typeof(Type) });
        if (add is null) return;
        foreach (var (name, type) in Accelerators)
        {
            try { add.Invoke(null, new object[] { name, type }); }
            catch (TargetInvocationException) { /* already present from an earlier import */ }
        }
    }

    // libtorch_cpu.dylib of libtorch-cpu-osx-arm64 2.10.0 links libomp by Homebrew's absolute path
    // (/opt/homebrew/opt/libomp/lib/libomp.dylib); the libomp.dylib shipped next to it has that install name, and dyld
    // reuses a loaded image with a matching install name. Loading it before TorchSharp loads libtorch makes the module
    // work on Macs without Homebrew's libomp. (Checked against the binaries; not run on a Mac here.)
    private static void PreloadMacOSOpenMP()
    {
        if (!OperatingSystem.IsMacOS()) return;
        var folder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location);
        if (folder is null) return;
        var omp = Path.Combine(folder, "libomp.dylib");
        if (File.Exists(omp)) System.Runtime.InteropServices.NativeLibrary.TryLoad(omp, out _);
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        var remove = AcceleratorType?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, new[] { typeof(string) });
        if (remove is null) return;
        foreach (var (name, _) in Accelerators) remove.Invoke(null, new object[] { name });
    }
}
