#nullable enable
using System.Management.Automation;
using System.Reflection;
using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using InitCfg.Core.Reports;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Registers TorchSharp module classes so that New-InitModel configs can use them as types.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "InitModule", DefaultParameterSetName = ClassSet, SupportsShouldProcess = true)]
[OutputType(typeof(CatalogEntry))]
public sealed class RegisterInitModuleCommand : PSCmdlet
{
    private const string ClassSet = "Class";
    private const string AssemblySet = "Assembly";

    #region Parameters

    /// <summary>A TorchSharp module class; its public constructor's parameters become the config's arguments.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ClassSet)]
    public Type Class { get; set; } = null!;

    /// <summary>The type name configs will use (default: the class name).</summary>
    [Parameter(Position = 1, ParameterSetName = ClassSet)]
    public string? Type { get; set; }

    /// <summary>A .NET assembly whose classes marked [InitModule] are registered.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AssemblySet)]
    public string AssemblyPath { get; set; } = "";

    /// <summary>Replace types of the same name.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    /// <summary>Write the new catalog entries.</summary>
    [Parameter] public SwitchParameter PassThru { get; set; }

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            IEnumerable<ModuleDescriptor> registered;
            if (ParameterSetName == AssemblySet)
            {
                var file = GetUnresolvedProviderPathFromPSPath(AssemblyPath);
                if (!ShouldProcess(file, "Register the [InitModule] classes of the assembly")) return;
                registered = ModuleRegistry.Default.RegisterAssembly(Assembly.LoadFrom(file), Force);
            }
            else
            {
                if (!ShouldProcess(Type ?? Class.Name, $"Register module type {Class.FullName}")) return;
                registered = new[] { ModuleRegistry.Default.RegisterClass(Class, Type, Force) };
            }
            if (PassThru)
            {
                var names = registered.Select(d => d.Type).ToHashSet();
                WriteObject(Catalog.Modules().Where(e => names.Contains(e.Name)), enumerateCollection: true);
            }
        }
        catch (InitCfgException e)
        {
            Fail(ErrorRecords.From(e));
        }
        catch (Exception e) when (e is IOException or BadImageFormatException)
        {
            Fail(new ErrorRecord(e, "AssemblyUnreadable", ErrorCategory.ReadError, AssemblyPath));
        }
    }

    #endregion

    // Piped in, one class that cannot be registered is that item's error; given as an argument, it ends the call.
    private void Fail(ErrorRecord record)
    {
        if (MyInvocation.ExpectingInput) WriteError(record);
        else ThrowTerminatingError(record);
    }
}
