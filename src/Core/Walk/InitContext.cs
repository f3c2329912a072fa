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

    internal string? CurrentModulePath { get; set; }
    internal string? CurrentConfigPath { get; set; }
    internal int WriteCount { get; private set; }

    /// <summary>Parameters written by an initializer during this run.</summary>
    internal IReadOnlyCollection<Tensor> Written => _writtenThisRun;

    /// <summary>Records that <paramref name="initializer"/> wrote <paramref name="parameter"/>.</summary>
    public void Record(Tensor parameter, InitializerBase initializer)
    {
        InitRecords.Set(parameter, new ParameterWrite(initializer.Describe(), initializer.Type, initializer.Arguments.Given,
            CurrentModulePath, CurrentConfigPath, true));
        _writtenThisRun.Add(parameter);
        WriteCount++;
    }

    /// <summary>
    /// Runs the default procedure on <paramref name="module"/> (its configs, then its children, then its
    /// Pretrained configs), for user-defined init methods that want it.
    /// </summary>
    public void InitializeDefault(nn.Module module) => _walk.RunDefault(module);
}
