#nullable enable
using InitCfg.Core.Configs;

namespace InitCfg.Core.Initializers;

/// <summary>
/// What every initializer kind shares: the validated arguments it was built from, its registered name and the
/// init-info text MMEngine logs. Built once when a config is parsed and never changed afterwards, so a parsed
/// config can be planned and run any number of times. The two kinds are <see cref="InitializerBase"/> (fills the
/// weight and bias of each matching layer) and <see cref="WholeTargetInitializer"/> (writes a whole module, as
/// Pretrained does).
/// </summary>
public abstract class Initializer
{
    /// <summary>Keeps the validated arguments.</summary>
    protected Initializer(InitArguments args) => Arguments = args;

    /// <summary>The validated arguments this initializer was built from.</summary>
    public InitArguments Arguments { get; }

    /// <summary>The registered type name.</summary>
    public string Type => Arguments.Descriptor.Type;

    /// <summary>The init-info text MMEngine logs, e.g. <c>ConstantInit: val=1, bias=2</c>.</summary>
    public abstract string Describe();

    /// <summary>
    /// The distribution this initializer draws a weight of <paramref name="shape"/> from, for the histograms of
    /// reports; null (the default) when it has none to show.
    /// </summary>
    public virtual ExpectedDensity? Density(long[] shape) => null;

    /// <summary>The class-style name MMEngine prints (<c>KaimingInit</c>).</summary>
    protected string InfoName => Type + "Init";

    /// <summary>A numeric argument as Python prints it.</summary>
    protected string Show(string name) => PyRepr.Str(Arguments.Raw(name));
}
