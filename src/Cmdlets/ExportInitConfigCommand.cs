#nullable enable
using System.Management.Automation;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Writes a config to a .py (as MMEngine's pretty_text lays it out), .yaml, .yml or .json file, atomically.</para>
/// </summary>
[Cmdlet(VerbsData.Export, "InitConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportInitConfigCommand : PSCmdlet
{
    #region Parameters

    /// <summary>The config: a dictionary (as Import-InitConfig returns), a hashtable, an InitConfig, or config text.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public object InputObject { get; set; } = null!;

    /// <summary>The file to write; its extension picks the format.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public string Path { get; set; } = "";

    /// <summary>Replace an existing file.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    /// <summary>Write the file's FileInfo to the pipeline.</summary>
    [Parameter] public SwitchParameter PassThru { get; set; }

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var file = GetUnresolvedProviderPathFromPSPath(Path);
        try
        {
            var raw = PSObjectUnwrapper.Unwrap(InputObject);
            var tree = raw is string text ? ConfigReader.FromText(text, ConfigPath.Empty) : ConfigReader.FromObject(raw, ConfigPath.Empty);
            var rendered = ConfigExporter.Render(tree, file);
            if (!Force && File.Exists(file))
                throw new InitCfgException(ErrorIds.ExportTargetExists, file, $"'{file}' already exists (use -Force to replace it).");
            if (!ShouldProcess(file, $"Export a config of {(tree is ConfigMap m ? $"{m.Count} top-level keys" : PyRepr.TypeAndValue(tree))} ({rendered.Length:N0} characters)")) return;
            var written = ConfigExporter.Write(file, rendered, overwrite: Force);
            if (PassThru) WriteObject(new FileInfo(written));
        }
        catch (InitCfgException e)
        {
            WriteError(ErrorRecords.From(e, file));
        }
    }

    #endregion
}
