#nullable enable
using InitCfg.Core.Initializers;
using InitCfg.Core.Reports;
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>
/// State of one init_weights run: the generator every draw uses, and the exact record of each write.
/// Handed to user-defined <see cref="BaseModule.InitWeights"/> methods.
/// </summary>
public sealed class InitContext
{
    private readonly InitWalk _walk;
    private readonly HashSet<Tensor> _writtenThisRun = new(ReferenceEqualityComparer.Instance);

    internal InitContext(InitWalk walk, Generator? generator)
    {
        _walk = walk;
        Generator = generator;
    }

    /// <summary>The generator to draw from (null: TorchSharp's default generator).</summary>
    public Generator? Generator { get; }

    private readonly List<Checkpoints.LoadReport> _loads = new();

    /// <summary>Loads done so far in this run.</summary>
    public IReadOnlyList<Checkpoints.LoadReport> LoadReports => _loads;

    /// <summary>Records a checkpoint load.</summary>
    public void AddLoadReport(Checkpoints.LoadReport report) => _loads.Add(report);

    /// <summary>Path of the module the current step writes.</summary>
    public string? CurrentTargetPath { get; internal set; }

    internal string? CurrentModulePath { get; set; }
    internal string? CurrentConfigPath { get; set; }
    internal int UserInitDepth { get; set; }
    private readonly Dictionary<Tensor, Tensor> _afterWrite = new(ReferenceEqualityComparer.Instance);

    /// <summary>The value an initializer left in <paramref name="parameter"/> during a user-defined init, if any.</summary>
    internal Tensor? ValueAfterLastWrite(Tensor parameter) => _afterWrite.TryGetValue(parameter, out var t) ? t : null;

    // Inside a user-defined init the user may overwrite this value later: keep what was written to tell.
    internal void KeepValueAfterWrite(Tensor parameter)
    {
        if (_afterWrite.Remove(parameter, out var old)) old.Dispose();
        using (no_grad()) _afterWrite[parameter] = parameter.detach().clone();
    }

    internal void ForgetWrites()
    {
        foreach (var t in _afterWrite.Values) t.Dispose();
        _afterWrite.Clear();
    }

    /// <summary>Parameters written by an initializer during this run.</summary>
    internal IReadOnlyCollection<Tensor> Written => _writtenThisRun;

    /// <summary>Records that <paramref name="initializer"/> wrote <paramref name="parameter"/>.</summary>
    public void Record(Tensor parameter, InitializerBase initializer)
    {
        if (UserInitDepth > 0) KeepValueAfterWrite(parameter);
        InitRecords.Set(parameter, new ParameterWrite(initializer.Describe(), initializer.Type, initializer.Arguments.Given,
            CurrentModulePath, CurrentConfigPath, true));
        _writtenThisRun.Add(parameter);
    }

    /// <summary>
    /// Runs the default procedure on <paramref name="module"/> (its configs, then its children, then its
    /// Pretrained configs), for user-defined init methods that want it.
    /// </summary>
    public void InitializeDefault(nn.Module module) => _walk.RunDefault(module);
}
