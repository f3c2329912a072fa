#nullable enable
using System.Management.Automation;
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Cmdlets;

/// <summary>What Export-InitWeights and Export-InitReport share: a model, a target file, -Force and -PassThru.</summary>
public abstract class ExportCommandBase : PSCmdlet
{
    /// <summary>The model to export.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public nn.Module Model { get; set; } = null!;

    /// <summary>The file to write; its extension picks the format.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public string Path { get; set; } = "";

    /// <summary>Replace an existing file.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    /// <summary>Write the file to the pipeline, as Get-Item returns it.</summary>
    [Parameter] public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var file = GetUnresolvedProviderPathFromPSPath(Path);
        try
        {
            Core.Walk.ModelLock.ThrowIfDisposed(Model); // nothing written for a disposed model
            if (!Force && File.Exists(file))
                throw new InitCfgException(ErrorIds.ExportTargetExists, file, $"'{file}' already exists (use -Force to replace it).");
            // What Get-Item returns (a FileInfo with the provider's PSPath, PSDrive, ...), so it shows mode, owner
            // and size like any file at the prompt; a bare FileInfo lacks the notes the file system view reads.
            if (Export(file) is { } written && PassThru)
                WriteObject(InvokeProvider.Item.Get(new[] { written }, force: false, literalPath: true), enumerateCollection: true);
        }
        catch (InitCfgException e)
        {
            // Per model: with models coming down the pipeline, one failure must not stop the others.
            WriteError(ErrorRecords.From(e, file));
        }
    }

    /// <summary>Writes <paramref name="file"/> (after ShouldProcess); returns the path written, or null when declined.</summary>
    protected abstract string? Export(string file);
}
