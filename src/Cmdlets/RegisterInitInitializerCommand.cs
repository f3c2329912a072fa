#nullable enable
using System.Collections;
using System.Management.Automation;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Reports;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Registers a new initializer type: a PowerShell script block that fills a weight, or a .NET class.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "InitInitializer", DefaultParameterSetName = ScriptSet, SupportsShouldProcess = true)]
[OutputType(typeof(CatalogEntry))]
public sealed class RegisterInitInitializerCommand : PSCmdlet
{
    private const string ScriptSet = "ScriptBlock";
    private const string ClassSet = "Class";

    #region Parameters

    /// <summary>The type name configs will use (letters, digits and _).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ScriptSet)]
    [Parameter(Position = 0, ParameterSetName = ClassSet)]
    public string Type { get; set; } = "";

    /// <summary>Fills one weight: receives the module, its weight tensor, the arguments (a hashtable) and the generator.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ScriptSet)]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    /// <summary>The initializer's own arguments and their defaults; a $null default makes the argument required.</summary>
    [Parameter(ParameterSetName = ScriptSet)]
    public IDictionary? Arguments { get; set; }

    /// <summary>A .NET class deriving from InitCfg.Core.Initializers.InitializerBase.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClassSet)]
    public Type Class { get; set; } = null!;

    /// <summary>One line for Get-InitCatalog.</summary>
    [Parameter(ParameterSetName = ScriptSet)]
    public string Description { get; set; } = "";

    /// <summary>Replace a type of the same name.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    /// <summary>Write the new catalog entry.</summary>
    [Parameter] public SwitchParameter PassThru { get; set; }

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var name = ParameterSetName == ClassSet && Type.Length == 0 ? Class.Name : Type;
        if (!ShouldProcess(name, "Register initializer type")) return;
        try
        {
            var registry = InitializerRegistry.Default;
            var d = ParameterSetName == ClassSet
                ? registry.RegisterClass(Class, Type.Length == 0 ? null : Type, Force)
                : registry.RegisterDelegate(Type, Specs(), Fill(new RunspaceLocalScriptBlock(ScriptBlock, Type)), Description, Force);
            if (PassThru) WriteObject(Catalog.Initializers().First(e => e.Name == d.Type));
        }
        catch (InitCfgException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, name));
        }
    }

    #endregion

    private IReadOnlyList<ArgumentSpec> Specs()
    {
        var specs = new List<ArgumentSpec>();
        if (Arguments is null) return specs;
        foreach (DictionaryEntry e in Arguments)
        {
            var value = ConfigReader.FromObject(PSObjectUnwrapper.Unwrap(e.Value), ConfigPath.Root(e.Key.ToString()!));
            var kind = value switch
            {
                long or double => ArgumentKind.Number,
                bool => ArgumentKind.Bool,
                IReadOnlyList<object?> => ArgumentKind.TextList,
                _ => ArgumentKind.Text,
            };
            specs.Add(new ArgumentSpec(e.Key.ToString()!, kind, value, $"Argument of {Type}.", Required: value is null));
        }
        return specs;
    }

    // Static, capturing only the script text: the registry outlives this cmdlet and its runspace.
    private static WeightFill Fill(RunspaceLocalScriptBlock script) => (module, weight, args, generator) =>
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var spec in args.Descriptor.OwnArguments) table[spec.Name] = args.Raw(spec.Name);
        // Ctrl+C inside the script block: a stop, not a failure of the initializer (the run is undone either way).
        try { script.Invoke(module, weight, table, generator); }
        catch (PipelineStoppedException e) { throw new OperationCanceledException(e.Message, e); }
    };
}
