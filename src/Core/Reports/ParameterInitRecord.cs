#nullable enable
using InitCfg.Core.Initializers;
using InitCfg.Core.Configs;

namespace InitCfg.Core.Reports;

/// <summary>One parameter of a model after init_weights: who wrote it and what it looks like now.</summary>
public sealed class ParameterInitRecord
{
    /// <summary>Dotted parameter name, as <c>named_parameters</c> gives it.</summary>
    public required string Name { get; init; }

    /// <summary>Tensor shape.</summary>
    public required long[] Shape { get; init; }

    /// <summary>MMEngine's init-info text of the last initializer that wrote the tensor (null if never initialized).</summary>
    public string? InitInfo { get; init; }

    /// <summary>The initializer type (<c>Kaiming</c>), null when nothing wrote it or a user-defined method did.</summary>
    public string? Initializer { get; init; }

    /// <summary>The initializer's arguments as given in the config.</summary>
    public ConfigMap? Arguments { get; init; }

    /// <summary>Path of the module whose init_cfg did it (empty string: the root).</summary>
    public string? ModulePath { get; init; }

    /// <summary>Where in the configs, e.g. <c>head.init_cfg[0].override[0]</c>.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>True when init_weights wrote the tensor.</summary>
    public bool Written { get; init; }

    /// <summary>Number of elements.</summary>
    public long Elements { get; init; }

    /// <summary>Mean after init (float64).</summary>
    public double Mean { get; init; }

    /// <summary>Unbiased standard deviation (n-1), null for one element.</summary>
    public double? Std { get; init; }

    /// <summary>Minimum.</summary>
    public double Min { get; init; }

    /// <summary>Maximum.</summary>
    public double Max { get; init; }

    /// <summary>Shape as PyTorch prints it inside torch.Size: <c>[16, 3, 3, 3]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    /// <summary>
    /// The density the weight was drawn from, as its initializer (rebuilt from <see cref="Initializer"/> and
    /// <see cref="Arguments"/> in <paramref name="registry"/>) says; null when nothing wrote the tensor or the
    /// initializer has no density.
    /// </summary>
    public ExpectedDensity? Density(InitializerRegistry? registry = null) =>
        Written ? ExpectedDensity.For(Initializer, Arguments, Shape, registry) : null;

    /// <inheritdoc />
    public override string ToString() => $"{Name} {ShapeText}: {InitInfo}";
}
