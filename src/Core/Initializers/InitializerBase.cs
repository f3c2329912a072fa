#nullable enable
using InitCfg.Core.Configs;
using InitCfg.Core.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>
/// The layer-by-layer kind of initializer: the layer filter, <c>bias</c>/<c>bias_prob</c> and whole-module mode
/// (MMEngine's <c>BaseInit</c>, with <c>wholemodule</c> as a constructor argument instead of a mutable flag);
/// a subclass supplies only the weight fill.
/// </summary>
public abstract class InitializerBase : Initializer
{
    /// <summary>Reads the common arguments.</summary>
    protected InitializerBase(InitArguments args) : base(args)
    {
        Layers = args.Layers;
        WholeModule = args.WholeModule;
        var biasProb = args.Raw("bias_prob");
        BiasValue = biasProb is null ? args.Raw("bias") ?? 0L : BiasForProbability(Convert.ToDouble(biasProb));
    }

    /// <summary>Layer-type names this initializer applies to (ignored in whole-module mode).</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>True when every submodule with a weight or bias is initialized, whatever its type (overrides).</summary>
    public bool WholeModule { get; }

    /// <summary>The bias value as MMEngine keeps it (an int stays an int so it prints as one).</summary>
    public object BiasValue { get; }

    /// <summary>The bias as a double.</summary>
    protected double Bias => Convert.ToDouble(BiasValue);

    /// <summary>MMEngine's <c>bias_init_with_prob</c>: the bias that makes sigmoid output <paramref name="p"/>.</summary>
    public static double BiasForProbability(double p) => -Math.Log((1 - p) / p);

    /// <summary>True when this initializer applies to a module with these layer-type names.</summary>
    public bool Matches(IReadOnlyList<string> layerTypeNames) =>
        WholeModule || LayerMatcher.Intersects(Layers, layerTypeNames);

    /// <summary>Names (relative to <paramref name="target"/>) of the state this initializer will write there: its own weight and bias.</summary>
    public IReadOnlyList<string> PlannedWrites(nn.Module target) =>
        target.named_parameters(recurse: false).Select(p => p.name).Where(n => n is "weight" or "bias").ToArray();

    /// <summary>Why a weight tensor cannot take this initializer, or null when it can (checked before any change).</summary>
    public virtual string? CheckWeight(Tensor weight) => null;

    /// <summary>Fills a weight tensor in place.</summary>
    protected abstract void FillWeight(Tensor weight, Generator? generator);

    /// <summary>
    /// The 32-bit draws <see cref="FillWeight"/> takes from its generator for <paramref name="weight"/>, or null when
    /// that is not a function of the weight's size (the walk then draws it in order, on its own thread).
    /// </summary>
    internal virtual long? StreamDraws(Tensor weight) => null;

    /// <summary>What <see cref="Apply"/> writes, without the records: the walk runs it on a worker (<see cref="DrawQueue"/>).</summary>
    internal void FillValues(Tensor? weight, Tensor? bias, Generator? generator)
    {
        using var _ = no_grad();
        if (weight is not null) FillWeight(weight, generator);
        bias?.Fill(Bias);
    }

    /// <summary>Initializes the <c>weight</c> and <c>bias</c> registered directly on <paramref name="module"/>.</summary>
    public virtual void Apply(nn.Module module, InitContext context)
    {
        var (weight, bias) = ModuleParameters.WeightAndBias(module);
        using var _ = no_grad();
        if (weight is not null)
        {
            FillWeight(weight, context.Generator);
            context.Record(weight, this);
        }
        if (bias is not null)
        {
            bias.Fill(Bias);
            context.Record(bias, this);
        }
    }

    /// <summary><c>bias=</c> as MMEngine prints it.</summary>
    protected string BiasText => "bias=" + PyRepr.Str(BiasValue);
}
