#nullable enable
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>Writes tensors as safetensors (header padded to 8 bytes, data in order).</summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="state"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> state)
    {
        WriteHeader(stream, state);
        foreach (var (_, t) in state) TensorBytes.WriteFrom(stream, t);
    }

    /// <summary>
    /// Writes the header of <paramref name="state"/> (only names, dtypes and shapes are read, so tensors on the
    /// <c>meta</c> device do) and returns its length in bytes: the data of tensor <c>i</c> then starts at that
    /// length plus the bytes of the tensors before it.
    /// </summary>
    public static long WriteHeader(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> state)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteStartObject("__metadata__");
            w.WriteString("format", "pt");
            w.WriteEndObject();
            long offset = 0;
            foreach (var (name, t) in state)
            {
                long bytes = t.numel() * DTypes.Size(t.dtype);
                w.WriteStartObject(name);
                w.WriteString("dtype", DTypes.Safetensors(t.dtype));
                w.WriteStartArray("shape");
                foreach (var d in t.shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + bytes);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += bytes;
            }
            w.WriteEndObject();
        }
        var header = ms.ToArray();
        int pad = (8 - header.Length % 8) % 8;
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)(header.Length + pad));
        stream.Write(len);
        stream.Write(header);
        stream.Write(Encoding.ASCII.GetBytes(new string(' ', pad)));
        return 8 + header.Length + pad;
    }
}
