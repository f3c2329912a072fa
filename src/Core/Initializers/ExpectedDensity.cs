#nullable enable
using System.Globalization;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Initializers;

/// <summary>
/// The distribution an initializer draws a weight tensor from. Each initializer says its own
/// (<see cref="Initializer.Density"/>, by the formulas of PyTorch's <c>torch/nn/init.py</c> it draws with);
/// <see cref="For(string, ConfigMap, long[], InitializerRegistry)"/> rebuilds the registered initializer from a
/// record's type and arguments and asks it.
/// </summary>
public sealed class ExpectedDensity
{
    private ExpectedDensity(DensityKind kind, double mean, double std, double low, double high, string label)
    {
        Kind = kind;
        Mean = mean;
        Std = std;
        Low = low;
        High = high;
        Label = label;
        if (kind == DensityKind.TruncatedNormal)
            _mass = InitMath.NormCdf((high - mean) / std) - InitMath.NormCdf((low - mean) / std);
    }

    private readonly double _mass = 1;

    /// <summary>The shape of the distribution.</summary>
    public DensityKind Kind { get; }

    /// <summary>Mean of the (untruncated) normal, the centre of a uniform, or the constant.</summary>
    public double Mean { get; }

    /// <summary>Standard deviation of the (untruncated) normal; the std of a uniform; 0 for a constant.</summary>
    public double Std { get; }

    /// <summary>Standard deviation of the values drawn (for a truncated normal, less than <see cref="Std"/>).</summary>
    public double DrawStd
    {
        get
        {
            if (Kind != DensityKind.TruncatedNormal) return Std;
            double alpha = (Low - Mean) / Std, beta = (High - Mean) / Std;
            static double Phi(double z) => Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
            double shift = (Phi(alpha) - Phi(beta)) / _mass;
            double variance = 1 + (alpha * Phi(alpha) - beta * Phi(beta)) / _mass - shift * shift;
            return Std * Math.Sqrt(Math.Max(variance, 0));
        }
    }

    /// <summary>Lower end of the support (−∞ for a normal).</summary>
    public double Low { get; }

    /// <summary>Upper end of the support (+∞ for a normal).</summary>
    public double High { get; }

    /// <summary>The constant of a <see cref="DensityKind.Constant"/> density (its <see cref="Mean"/>).</summary>
    public double Value => Mean;

    /// <summary>Short text, e.g. <c>N(0, 0.0125²)</c>, <c>U(-0.25, 0.25)</c>, <c>constant 1</c>.</summary>
    public string Label { get; }

    /// <summary>A normal density.</summary>
    public static ExpectedDensity Normal(double mean, double std) =>
        new(DensityKind.Normal, mean, std, double.NegativeInfinity, double.PositiveInfinity, $"N({G(mean)}, {G(std)}²)");

    /// <summary>A normal density truncated to [low, high].</summary>
    public static ExpectedDensity TruncatedNormal(double mean, double std, double low, double high) =>
        new(DensityKind.TruncatedNormal, mean, std, low, high, $"N({G(mean)}, {G(std)}²) cut to [{G(low)}, {G(high)}]");

    /// <summary>A uniform density on [low, high].</summary>
    public static ExpectedDensity Uniform(double low, double high) =>
        new(DensityKind.Uniform, (low + high) / 2, (high - low) / Math.Sqrt(12), low, high, $"U({G(low)}, {G(high)})");

    /// <summary>A constant (a spike at <paramref name="value"/>).</summary>
    public static ExpectedDensity Constant(double value) =>
        new(DensityKind.Constant, value, 0, value, value, $"constant {G(value)}");

    /// <summary>The probability density at <paramref name="x"/> (0 outside the support; +∞ at a constant).</summary>
    public double Pdf(double x)
    {
        switch (Kind)
        {
            case DensityKind.Constant: return x == Value ? double.PositiveInfinity : 0;
            case DensityKind.Uniform: return x >= Low && x <= High ? 1 / (High - Low) : 0;
            case DensityKind.TruncatedNormal when x < Low || x > High: return 0;
        }
        double z = (x - Mean) / Std;
        return Math.Exp(-0.5 * z * z) / (Std * Math.Sqrt(2 * Math.PI)) / _mass;
    }

    /// <summary>The density <paramref name="initializer"/> with <paramref name="arguments"/> draws a weight of <paramref name="shape"/> from.</summary>
    /// <returns>Null when the type is not registered, has no density (Pretrained, Orthogonal, Dirac, Eye, most user
    /// initializers), or the arguments are ones it would refuse: no curve rather than a wrong one.</returns>
    public static ExpectedDensity? For(string? initializer, ConfigMap? arguments, long[] shape, InitializerRegistry? registry = null)
    {
        registry ??= InitializerRegistry.Default;
        if (initializer is null || !registry.TryGet(initializer, out _)) return null;
        try
        {
            var init = registry.Build(initializer, arguments ?? new ConfigMap(), Array.Empty<string>(), null,
                ConfigPath.Root(ConfigKeys.InitCfg), wholeModule: false);
            return init.Density(shape);
        }
        catch (Exception e) when (e is InitCfgException or ArgumentException or FormatException or InvalidCastException)
        {
            return null;
        }
    }

    /// <summary>
    /// A zero-mean normal of <paramref name="std"/>, or for <c>distribution='uniform'</c> the uniform of the same
    /// std (PyTorch draws uniform with bound = sqrt(3) * std); null for a std that draws nothing.
    /// </summary>
    public static ExpectedDensity? Spread(string distribution, double std)
    {
        if (!(std > 0) || double.IsInfinity(std)) return null;
        return distribution == "uniform" ? Uniform(-Math.Sqrt(3.0) * std, Math.Sqrt(3.0) * std) : Normal(0, std);
    }

    private static string G(double d) => d.ToString("G4", CultureInfo.InvariantCulture).Replace("E", "e");

    /// <inheritdoc />
    public override string ToString() => Label;
}
