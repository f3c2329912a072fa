#nullable enable
namespace InitCfg.Core.Initializers;

/// <summary>The shape of the distribution an initializer draws a weight from.</summary>
public enum DensityKind
{
    /// <summary>N(mean, std²): Normal, and Kaiming / Xavier with distribution='normal'.</summary>
    Normal,
    /// <summary>N(mean, std²) cut to [low, high]: TruncNormal.</summary>
    TruncatedNormal,
    /// <summary>U(low, high): Uniform, Kaiming / Xavier with distribution='uniform', Caffe2Xavier.</summary>
    Uniform,
    /// <summary>Every element equal to <see cref="ExpectedDensity.Value"/>: Constant.</summary>
    Constant,
}
