#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>Element types as the checkpoint formats name them.</summary>
public static class DTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(ScalarType t) => t switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new NotSupportedException($"dtype {t} is not supported in checkpoints"),
    };

    /// <summary>PyTorch's legacy typed-storage class name (<c>FloatStorage</c>).</summary>
    public static string PyTorchStorage(ScalarType t) => t switch
    {
        ScalarType.Float32 => "FloatStorage", ScalarType.Float64 => "DoubleStorage", ScalarType.Float16 => "HalfStorage",
        ScalarType.BFloat16 => "BFloat16Storage", ScalarType.Int64 => "LongStorage", ScalarType.Int32 => "IntStorage",
        ScalarType.Int16 => "ShortStorage", ScalarType.Int8 => "CharStorage", ScalarType.Byte => "ByteStorage",
        ScalarType.Bool => "BoolStorage",
        _ => throw new NotSupportedException($"dtype {t} cannot be written to a .pth file"),
    };

    private static readonly Dictionary<string, ScalarType> SafetensorsNames = new()
    {
        ["F64"] = ScalarType.Float64, ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16, ["BF16"] = ScalarType.BFloat16,
        ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32, ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8,
        ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    /// <summary>The safetensors dtype name (<c>F32</c>).</summary>
    public static string Safetensors(ScalarType t) =>
        SafetensorsNames.FirstOrDefault(p => p.Value == t).Key ?? throw new NotSupportedException($"dtype {t} cannot be written to safetensors");

    /// <summary>The dtype of a safetensors name, if known.</summary>
    public static bool TryFromSafetensors(string name, out ScalarType t) => SafetensorsNames.TryGetValue(name, out t);

    /// <summary>True for the ScalarType values a TorchSharp .dat file may hold.</summary>
    public static bool IsSupported(ScalarType t) => t is ScalarType.Float64 or ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16
        or ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool;

    /// <summary>Bytes of <paramref name="elements"/> elements, or -1 when that overflows.</summary>
    public static long Bytes(long elements, ScalarType t)
    {
        if (elements < 0) return -1;
        try { return checked(elements * Size(t)); } catch (OverflowException) { return -1; }
    }

    /// <summary>
    /// Element count of a shape, or -1 when it overflows. A zero dimension does not excuse the others: libtorch
    /// refuses <c>[0, 2^62, 2^62]</c> (its strides overflow), so the product of the non-zero dimensions must fit too.
    /// </summary>
    public static long Elements(long[] shape)
    {
        long n = 1;
        bool zero = false;
        foreach (var d in shape)
        {
            if (d < 0) return -1;
            if (d == 0) { zero = true; continue; }
            try { n = checked(n * d); } catch (OverflowException) { return -1; }
        }
        return zero ? 0 : n;
    }
}
