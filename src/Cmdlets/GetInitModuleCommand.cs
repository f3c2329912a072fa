#nullable enable
using InitCfg.Core.Modules;
using System.Management.Automation;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Lists the modules of a model as a tree: path, class, layer-type names, parameters, init_cfg and whether it is initialized.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "InitModule")]
[OutputType(typeof(InitModuleInfo))]
public sealed class GetInitModuleCommand : PSCmdlet
{
    #region Parameters

    /// <summary>The model to list.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public nn.Module Model { get; set; } = null!;

    /// <summary>Start at these submodules (dotted paths such as backbone.layer1) instead of the model itself.</summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(Completers.ModulePathCompleter))]
    public string[]? Path { get; set; }

    /// <summary>How many levels below the start to list (0: the start module only); all levels when left out.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Depth { get; set; } = -1;

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var root = ModuleNode.Build(Model);
        int? depth = Depth < 0 ? null : Depth;
        foreach (var path in Path is { Length: > 0 } ? Path : new[] { "" })
        {
            var start = path.Length == 0 ? root : root.Find(path);
            if (start is null)
            {
                WriteError(ErrorRecords.From(ErrorIds.ModuleNotFound, ErrorCategory.ObjectNotFound,
                    $"{LayerTypeNames.ClassName(Model)} has no submodule '{path}'.{Nearest.Hint(path, root.DescendantNames())}", path));
                continue;
            }
            // Read under the model's lock so a run on another thread cannot show half-initialized flags; written after.
            List<InitModuleInfo> rows;
            using (ModelGuard.Enter(this, Model)) rows = InitModuleInfo.Walk(start, depth).ToList();
            WriteObject(rows, enumerateCollection: true);
        }
    }

    #endregion
}
