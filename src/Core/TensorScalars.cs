#nullable enable
using TorchSharp;
using static TorchSharp.torch;

namespace InitCfg.Core;

/// <summary>
/// In-place tensor operations with a number, whose TorchSharp Scalar is kept alive until libtorch has read it.
/// <c>t.fill_(0.5)</c> converts the number to a temporary Scalar (a native object with a finalizer) that is garbage
/// as soon as its handle is passed: a collection on another thread then frees it while libtorch reads it, and the
/// call fails with "Expected false to be true" or reads another value (the lifetime stress leg found this). Public for
/// C# initializers and tests, which meet the same hazard.
/// </summary>
public static class TensorScalars
{
    /// <summary><c>fill_(value)</c>.</summary>
    public static Tensor Fill(this Tensor t, double value)
    {
        using Scalar s = value;
        return t.fill_(s);
    }

    /// <summary><c>mul_(value)</c>.</summary>
    public static Tensor MulBy(this Tensor t, double value)
    {
        using Scalar s = value;
        return t.mul_(s);
    }

    // add_'s alpha. TorchSharp's add_(x) is add_(x, 1) with the 1 made a temporary Scalar inside it, the same hazard
    // ("Expected false to be true" from Scalar::toFloat in add_, seen under the lifetime stress leg); a Scalar is
    // immutable, so one held for the process serves every thread.
    private static readonly Scalar One = 1;

    /// <summary><c>add_(value)</c>.</summary>
    public static Tensor AddValue(this Tensor t, double value)
    {
        using Scalar s = value;
        return t.add_(s, One);
    }

    /// <summary><c>add_(other)</c>.</summary>
    public static Tensor AddInPlace(this Tensor t, Tensor other) => t.add_(other, One);

    /// <summary><c>clamp_(min, max)</c>.</summary>
    public static Tensor ClampTo(this Tensor t, double min, double max)
    {
        using Scalar lo = min;
        using Scalar hi = max;
        return t.clamp_(lo, hi);
    }
}
