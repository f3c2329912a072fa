#nullable enable
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using InitCfg.Core.Errors;

namespace InitCfg.Cmdlets;

/// <summary>
/// A registered script block that runs in the runspace that calls it. A script block literal belongs to the
/// session state of the runspace that created it: called from another runspace (ForEach-Object -Parallel) it
/// would run there, on the wrong thread, concurrently with other callers; and keeping it would keep that runspace
/// alive after it closes. So only the text is kept, and each runspace gets its own script block from it, kept no
/// longer than the runspace.
/// </summary>
internal sealed class RunspaceLocalScriptBlock
{
    private readonly string _text;
    private readonly string _type;
    private readonly ConditionalWeakTable<Runspace, ScriptBlock> _perRunspace = new();

    public RunspaceLocalScriptBlock(ScriptBlock scriptBlock, string type)
    {
        _text = scriptBlock.ToString();
        _type = type;
    }

    /// <summary>Invokes the script block in the calling thread's runspace.</summary>
    public void Invoke(params object?[] args)
    {
        var runspace = Runspace.DefaultRunspace
            ?? throw new InitCfgException(ErrorIds.UserInitFailed, _type,
                $"the script-block initializer '{_type}' can only run on a PowerShell thread (a runspace), not from a .NET thread pool; register a .NET class for that.");
        var block = _perRunspace.GetValue(runspace, _ => ScriptBlock.Create(_text));
        block.Invoke(args);
    }
}
