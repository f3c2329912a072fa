#nullable enable
using System.Management.Automation;
using InitCfg.Cmdlets.Completers;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Reads an MMEngine/MMDetection config (.py with its _base_ files, .yaml, .yml or .json) as ordered dictionaries, without running Python.</para>
/// </summary>
[Cmdlet(VerbsData.Import, "InitConfig")]
[OutputType(typeof(System.Collections.Specialized.OrderedDictionary), typeof(object[]), typeof(string), typeof(long), typeof(double), typeof(bool))]
public sealed class ImportInitConfigCommand : PSCmdlet
{
    /// <summary>The type name the format view prints as MMEngine's pretty text.</summary>
    internal const string ViewTypeName = "InitCfg.ConfigDict";

    #region Parameters

    /// <summary>The config file: .py (MMEngine, _base_ files merged), .yaml, .yml or .json.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ArgumentCompleter(typeof(ConfigFileCompleter))]
    public string Path { get; set; } = "";

    /// <summary>A dotted key to return instead of the whole config (model, model.backbone, model.roi_head.bbox_head[0]).</summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(ConfigKeyCompleter))]
    public string? Key { get; set; }

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var file = GetUnresolvedProviderPathFromPSPath(Path);
        try
        {
            var tree = ConfigReader.FromFile(file);
            if (!string.IsNullOrEmpty(Key)) tree = ConfigKeyPath.Select(tree, Key, file);
            WriteObject(Wrap(ConfigWriter.ToDotNet(tree)));
        }
        catch (InitCfgException e)
        {
            // Per file: with files coming down the pipeline, one bad file must not stop the others.
            WriteError(ErrorRecords.From(e, file));
        }
    }

    #endregion

    internal static object? Wrap(object? value)
    {
        if (value is not System.Collections.Specialized.OrderedDictionary) return value;
        var pso = PSObject.AsPSObject(value);
        pso.TypeNames.Insert(0, ViewTypeName);
        return pso;
    }
}
