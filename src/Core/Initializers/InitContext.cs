#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>
/// State of one init_weights run: the generator every draw uses, and the exact record of each write.
/// Handed to user-defined <c>InitWeights</c> methods (<see cref="Modules.BaseModule"/>).
/// </summary>
public sealed class InitContext
{
    private readonly Action<nn.Module> _runDefault;
    private readonly Action<Tensor, Initializer, InitContext> _onWrite;
    private readonly HashSet<Tensor> _writtenThisRun = new(ReferenceEqualityComparer.Instance);

    // The walk that owns this run supplies its default procedure and how a write is recorded, so that
    // initializers see only this context and never the walk.
    internal InitContext(Generator? generator, Action<nn.Module> runDefault, Action<Tensor, Initializer, InitContext> onWrite)
    {
        Generator = generator;
        _runDefault = runDefault;
        _onWrite = onWrite;
    }

    /// <summary>The generator to draw from (null: TorchSharp's default generator).</summary>
    public Generator? Generator { get; }

    /// <summary>For a lazy model's streamed init: gives checkpoint loads storage one tensor at a time (null otherwise).</summary>
    public Checkpoints.ITensorStream? TensorStream { get; internal set; }

    private readonly List<Checkpoints.LoadReport> _loads = new();

    /// <summary>Loads done so far in this run.</summary>
    public IReadOnlyList<Checkpoints.LoadReport> LoadReports => _loads;

    /// <summary>Records a checkpoint load.</summary>
    public void AddLoadReport(Checkpoints.LoadReport report) => _loads.Add(report);

    /// <summary>Path of the module the current step writes.</summary>
    public string? CurrentTargetPath { get; internal set; }

    /// <summary>Path of the module whose config the current step comes from.</summary>
    internal string? CurrentModulePath { get; set; }

    /// <summary>Config path of the current step.</summary>
    internal string? CurrentConfigPath { get; set; }

    internal int UserInitDepth { get; set; }
    private readonly Dictionary<Tensor, Tensor> _afterWrite = new(ReferenceEqualityComparer.Instance);

    /// <summary>The value an initializer left in <paramref name="parameter"/> during a user-defined init, if any.</summary>
    internal Tensor? ValueAfterLastWrite(Tensor parameter) => _afterWrite.TryGetValue(parameter, out var t) ? t : null;

    // Inside a user-defined init the user may overwrite this value later: keep what was written to tell.
    internal void KeepValueAfterWrite(Tensor parameter)
    {
        if (_afterWrite.Remove(parameter, out var old)) old.Dispose();
        using var _ = no_grad();
        // Not detach().clone(): the detached wrapper would be garbage during clone, and its finalizer could free it
        // while libtorch reads it (a crash the lifetime stress leg found).
        using var detached = parameter.detach();
        _afterWrite[parameter] = detached.clone();
    }

    internal void ForgetWrites()
    {
        foreach (var t in _afterWrite.Values) t.Dispose();
        _afterWrite.Clear();
    }

    /// <summary>Parameters written by an initializer during this run.</summary>
    internal IReadOnlyCollection<Tensor> Written => _writtenThisRun;

    /// <summary>Records that <paramref name="initializer"/> wrote <paramref name="parameter"/>.</summary>
    public void Record(Tensor parameter, Initializer initializer)
    {
        if (UserInitDepth > 0) KeepValueAfterWrite(parameter);
        _onWrite(parameter, initializer, this);
        _writtenThisRun.Add(parameter);
    }

    /// <summary>
    /// Runs the default procedure on <paramref name="module"/> (its configs, then its children, then its
    /// Pretrained configs), for user-defined init methods that want it.
    /// </summary>
    public void InitializeDefault(nn.Module module) => _runDefault(module);
}
