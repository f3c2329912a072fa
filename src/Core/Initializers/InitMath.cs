#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>
/// Fan and gain formulas of PyTorch's <c>torch/nn/init.py</c>, computed in double exactly as Python does,
/// so that the std/bound handed to <c>normal_</c>/<c>uniform_</c> is bit-identical.
/// </summary>
public static class InitMath
{
    /// <summary>Nonlinearities <c>calculate_gain</c> knows.</summary>
    public static readonly IReadOnlyList<string> Nonlinearities = new[]
    {
        "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
        "sigmoid", "tanh", "relu", "leaky_relu", "selu",
    };

    /// <summary><c>_calculate_fan_in_and_fan_out</c>; null when the tensor has fewer than 2 dimensions.</summary>
    public static (double FanIn, double FanOut)? Fans(long[] shape)
    {
        if (shape.Length < 2) return null;
        long receptive = 1;
        for (int i = 2; i < shape.Length; i++) receptive *= shape[i];
        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>The error PyTorch raises for a tensor without fans, or null.</summary>
    public static string? FanProblem(Tensor t) =>
        t.dim() < 2 ? $"fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape [{string.Join(", ", t.shape)}])." : null;

    /// <summary>
    /// True when normal draws with this std can overflow float32 to Inf: libtorch's normal_ draws |z| up to about
    /// 8.6 (Box-Muller over 53-bit uniforms), and refuses nothing itself.
    /// </summary>
    public static bool NormalOverflows(double std) => std * 8.6 > float.MaxValue;

    /// <summary><c>calculate_gain(nonlinearity, param)</c>.</summary>
    public static double Gain(string nonlinearity, double? param) => nonlinearity switch
    {
        "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid" => 1,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2.0),
        "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        "selu" => 3.0 / 4,
        _ => throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}"),
    };

    /// <summary>The normal CDF used by the truncated normal, with erf from libm (via libtorch) as Python's math.erf.</summary>
    public static double NormCdf(double x)
    {
        using var t = tensor(x / Math.Sqrt(2.0), ScalarType.Float64);
        using var e = t.erf();
        return (1.0 + e.item<double>()) / 2.0;
    }
}
