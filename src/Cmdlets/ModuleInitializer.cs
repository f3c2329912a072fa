#nullable enable
using System.Management.Automation;
using System.Reflection;

namespace InitCfg.Cmdlets;

/// <summary>
/// Registers the type names SPEC.md promises (<c>[InitCfg.InitConfig]</c>, <c>[InitCfg.ParameterInitRecord]</c>)
/// as type accelerators for the engine's types, and removes them when the module is removed.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly (string Name, Type Type)[] Accelerators =
    {
        ("InitCfg.InitConfig", typeof(Core.Configs.InitConfig)),
        ("InitCfg.ParameterInitRecord", typeof(Core.Reports.ParameterInitRecord)),
        ("InitCfg.InitSummaryRow", typeof(Core.Reports.InitSummaryRow)),
    };

    private static Type? AcceleratorType =>
        typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");

    /// <inheritdoc />
    public void OnImport()
    {
        var add = AcceleratorType?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, new[] { typeof(string), typeof(Type) });
        if (add is null) return;
        foreach (var (name, type) in Accelerators)
        {
            try { add.Invoke(null, new object[] { name, type }); }
            catch (TargetInvocationException) { /* already present from an earlier import */ }
        }
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        var remove = AcceleratorType?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, new[] { typeof(string) });
        if (remove is null) return;
        foreach (var (name, _) in Accelerators) remove.Invoke(null, new object[] { name });
    }
}
