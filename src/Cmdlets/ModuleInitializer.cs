#nullable enable
using System.Management.Automation;
using System.Reflection;

namespace InitCfg.Cmdlets;

/// <summary>
/// Hooks completion inside config hashtables into TabExpansion2 and registers the short type names users write (<c>[InitCfg.InitConfig]</c>, <c>[InitCfg.ParameterInitRecord]</c>)
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
            ("InitCfg.InitConfig", typeof(Core.Initializers.InitConfig)),
            ("InitCfg.ParameterInitRecord", typeof(Core.Reports.ParameterInitRecord)),
            ("InitCfg.InitSummaryRow", typeof(Core.Reports.InitSummaryRow)),
        };
        var engine = typeof(Core.Initializers.InitConfig).Assembly;
        if (System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(engine) != System.Runtime.Loader.AssemblyLoadContext.Default)
            list.AddRange(engine.GetExportedTypes().Where(t => !t.IsGenericTypeDefinition).Select(t => (t.FullName!, t)));
        return list.ToArray();
    }

    private static Type? AcceleratorType =>
        typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");

    // TabExpansion2 is the hook hosts and PSReadLine call for every Tab. The wrapper asks InitCfg first (keys and
    // values inside config hashtables, which no argument completer is ever asked for) and otherwise calls the
    // TabExpansion2 it replaced, so other modules' wrappers keep working. $InitCfgPrevious marks it as ours.
    // The function is set by assignment to the function: drive, not with Set-Item: the first Set-Item of a session
    // auto-loads Microsoft.PowerShell.Management, which cost Import-Module ~0.2 s of CPU (bench cold-start).
    private const string InstallCompletion = """
        $InitCfgPrevious = ${function:global:TabExpansion2}
        if ($null -eq $InitCfgPrevious -or ($InitCfgPrevious.Module -and $InitCfgPrevious.Module.SessionState.PSVariable.GetValue('InitCfgPrevious'))) { return }
        $wrapper = {
            [CmdletBinding(DefaultParameterSetName = 'ScriptInputSet')]
            [OutputType([System.Management.Automation.CommandCompletion])]
            param(
                [Parameter(ParameterSetName = 'ScriptInputSet', Mandatory = $true, Position = 0)]
                [AllowEmptyString()] [string] $inputScript,
                [Parameter(ParameterSetName = 'ScriptInputSet', Position = 1)]
                [int] $cursorColumn = $inputScript.Length,
                [Parameter(ParameterSetName = 'AstInputSet', Mandatory = $true, Position = 0)]
                [System.Management.Automation.Language.Ast] $ast,
                [Parameter(ParameterSetName = 'AstInputSet', Mandatory = $true, Position = 1)]
                [System.Management.Automation.Language.Token[]] $tokens,
                [Parameter(ParameterSetName = 'AstInputSet', Mandatory = $true, Position = 2)]
                [System.Management.Automation.Language.IScriptPosition] $positionOfCursor,
                [Parameter(ParameterSetName = 'ScriptInputSet', Position = 2)]
                [Parameter(ParameterSetName = 'AstInputSet', Position = 3)]
                [Hashtable] $options = $null
            )
            end {
                try {
                    if ($PSCmdlet.ParameterSetName -eq 'ScriptInputSet') {
                        $parsed = [System.Management.Automation.CommandCompletion]::MapStringInputToParsedInput($inputScript, $cursorColumn)
                        $result = [InitCfg.Cmdlets.Completers.ConfigHashtableCompleter]::Complete($parsed.Item1, $parsed.Item2, $parsed.Item3)
                    } else {
                        $result = [InitCfg.Cmdlets.Completers.ConfigHashtableCompleter]::Complete($ast, $tokens, $positionOfCursor)
                    }
                    if ($null -ne $result) { return $result }
                } catch {
                    # Completion must never break Tab: fall through to the previous TabExpansion2.
                }
                & $InitCfgPrevious @PSBoundParameters
            }
        }.GetNewClosure()
        ${function:global:TabExpansion2} = $wrapper
        """;

    private const string RemoveCompletion = """
        $current = ${function:global:TabExpansion2}
        $previous = if ($current -and $current.Module) { $current.Module.SessionState.PSVariable.GetValue('InitCfgPrevious') }
        if ($previous) { ${function:global:TabExpansion2} = $previous }
        """;

    /// <inheritdoc />
    public void OnImport()
    {
        DependencyLoadContext.Register();
        PreloadMacOSOpenMP();
        RunInSession(InstallCompletion);
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
        RunInSession(RemoveCompletion);
        var remove = AcceleratorType?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, new[] { typeof(string) });
        if (remove is null) return;
        foreach (var (name, _) in Accelerators) remove.Invoke(null, new object[] { name });
    }

    // Runs a script in the session importing the module (none when imported outside a runspace: nothing to hook).
    private static void RunInSession(string script)
    {
        if (System.Management.Automation.Runspaces.Runspace.DefaultRunspace is null) return;
        try
        {
            using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
            ps.AddScript(script).Invoke();
        }
        catch (Exception e) when (e is RuntimeException or PSInvalidOperationException)
        {
            // A host without a usable session (or a constrained one) just keeps its own completion.
        }
    }
}
