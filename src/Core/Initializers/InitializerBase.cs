#nullable enable
using InitCfg.Core.Configs;
using InitCfg.Core.Layers;
using InitCfg.Core.Walk;
using TorchSharp;
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>
/// What every initializer shares: the layer filter, <c>bias</c>/<c>bias_prob</c> and whole-module mode
/// (MMEngine's <c>BaseInit</c>, with <c>wholemodule</c> as a constructor argument instead of a mutable flag).
/// </summary>
public abstract class InitializerBase
{
    /// <summary>Reads the common arguments.</summary>
    protected InitializerBase(InitArguments args)
    {
        Arguments = args;
        Layers = args.Layers;
        WholeModule = args.WholeModule;
        var biasProb = args.Raw("bias_prob");
        BiasValue = biasProb is null ? args.Raw("bias") ?? 0L : BiasForProbability(Convert.ToDouble(biasProb));
    }

    /// <summary>The validated arguments this initializer was built from.</summary>
    public InitArguments Arguments { get; }

    /// <summary>The registered type name.</summary>
    public string Type => Arguments.Descriptor.Type;

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

    /// <summary>The init-info text MMEngine logs, e.g. <c>ConstantInit: val=1, bias=2</c>.</summary>
    public abstract string Describe();

    /// <summary>True when this initializer applies to a module with these layer-type names.</summary>
    public bool Matches(IReadOnlyList<string> layerTypeNames) =>
        WholeModule || LayerMatcher.Intersects(Layers, layerTypeNames);

    /// <summary>True when the initializer works on the whole target module (Pretrained) rather than on each matching layer.</summary>
    public virtual bool AppliesToWholeTarget => false;

    /// <summary>Reads what the initializer needs (a checkpoint) while planning, so failures come before any change.</summary>
    public virtual void Prepare(InitEnvironment environment) { }

    /// <summary>
    /// Names (relative to <paramref name="target"/>) of the state this initializer will write there: by default
    /// the target's own weight and bias, or for a whole-target initializer every parameter below it.
    /// </summary>
    public virtual IReadOnlyList<string> PlannedWrites(nn.Module target) => AppliesToWholeTarget
        ? target.named_parameters().Select(p => p.name).ToArray()
        : target.named_parameters(recurse: false).Select(p => p.name).Where(n => n is "weight" or "bias").ToArray();

    /// <summary>Warnings about applying this initializer to <paramref name="target"/>, found while planning.</summary>
    public virtual IEnumerable<Walk.InitWarning> PlanWarnings(nn.Module target, string targetPath, string configPath) =>
        Array.Empty<Walk.InitWarning>();

    /// <summary>Frees what <see cref="Prepare"/> read, once the run is over.</summary>
    public virtual void Release() { }

    /// <summary>Why a weight tensor cannot take this initializer, or null when it can (checked before any change).</summary>
    public virtual string? CheckWeight(Tensor weight) => null;

    /// <summary>Fills a weight tensor in place.</summary>
    protected abstract void FillWeight(Tensor weight, Generator? generator);

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
            bias.fill_(Bias);
            context.Record(bias, this);
        }
    }

    /// <summary><c>bias=</c> as MMEngine prints it.</summary>
    protected string BiasText => "bias=" + PyRepr.Str(BiasValue);

    /// <summary>The class-style name MMEngine prints (<c>KaimingInit</c>).</summary>
    protected string InfoName => Type + "Init";

    /// <summary>A numeric argument as Python prints it.</summary>
    protected string Show(string name) => PyRepr.Str(Arguments.Raw(name));
}
