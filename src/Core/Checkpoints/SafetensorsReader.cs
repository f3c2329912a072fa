#nullable enable
using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>Reads a safetensors file, checking the header against the file before allocating anything.</summary>
public static class SafetensorsReader
{
    private const long MaxHeader = 100L << 20;

    /// <summary>Opens the file: the header is read and checked now, the bytes later, straight into the model's tensors.</summary>
    public static CheckpointIndex Open(string file)
    {
        List<(string Name, ScalarType DType, long[] Shape, long Begin, long End)> entries;
        long dataStart;
        // One handle from the header to the last tensor: the bytes come from the file the header came from, even
        // when the path is replaced meanwhile (a truncated file ends early and is reported, never read as garbage).
        var fs = CheckpointFile.OpenRegular(file);
        try { (dataStart, entries) = ParseHeader(fs, file); }
        catch { fs.Dispose(); throw; }
        // Reads are positional (pread) on the shared handle, so tensors may be read on several threads at once. The
        // handle is taken here, once: FileStream's getter rewinds its read buffer, and two first reads calling it at
        // once seeked to a negative position ("Invalid argument").
        var handle = fs.SafeFileHandle;
        return new CheckpointIndex(file, CheckpointFormat.Safetensors, entries.Select(e => new CheckpointEntry(e.Name, e.DType, e.Shape, dest =>
        {
            using var at = new PositionalStream(handle, dataStart + e.Begin, e.End - e.Begin);
            if (dest.dtype == e.DType && dest.is_contiguous()) return TensorBytes.ReadInto(at, dest);
            using var t = empty(e.Shape, e.DType);
            TensorBytes.ReadInto(at, t);
            using (no_grad()) dest.copy_(t);
            return TensorBytes.AllFinite(dest);
        }) { ThreadSafe = true }), new IDisposable[] { fs });
    }

    /// <summary>Reads every tensor, in header order.</summary>
    public static NamedTensors Read(string file)
    {
        using var index = Open(file);
        return index.ReadAll();
    }

    private static (long DataStart, List<(string Name, ScalarType DType, long[] Shape, long Begin, long End)> Entries) ParseHeader(FileStream fs, string file)
    {
        long length = fs.Length;
        if (length < 8) throw PyTorchZipReader.Unreadable(file, "it is shorter than a safetensors header");
        Span<byte> head = stackalloc byte[8];
        fs.ReadExactly(head);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(head);
        if (headerLength > (ulong)Math.Min(MaxHeader, length - 8))
            throw PyTorchZipReader.Unreadable(file, $"its header claims {headerLength} bytes, more than the file holds");
        var header = new byte[headerLength];
        fs.ReadExactly(header);
        long dataStart = 8 + (long)headerLength;
        long dataLength = length - dataStart;

        var entries = new List<(string Name, ScalarType DType, long[] Shape, long Begin, long End)>();
        try
        {
            using var doc = JsonDocument.Parse(header);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__") continue;
                var dtypeName = p.Value.GetProperty("dtype").GetString() ?? "";
                if (!DTypes.TryFromSafetensors(dtypeName, out var dtype))
                    throw PyTorchZipReader.Unreadable(file, $"tensor {p.Name} has unsupported dtype '{dtypeName}'");
                var shape = p.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray();
                var offsets = p.Value.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
                if (offsets.Length != 2) throw PyTorchZipReader.Unreadable(file, $"tensor {p.Name} has malformed data_offsets");
                long n = DTypes.Elements(shape);
                if (n < 0) throw PyTorchZipReader.Unreadable(file, $"tensor {p.Name} has a shape whose size overflows");
                if (offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                    throw PyTorchZipReader.Unreadable(file, $"tensor {p.Name} lies outside the file (offsets {offsets[0]}..{offsets[1]}, data {dataLength} bytes)");
                long needed = DTypes.Bytes(n, dtype);
                if (needed < 0 || offsets[1] - offsets[0] != needed)
                    throw PyTorchZipReader.Unreadable(file, $"tensor {p.Name} is {offsets[1] - offsets[0]} bytes but {dtypeName}{PrintShape(shape)} needs {(needed < 0 ? "more than fits in a file" : needed.ToString())}");
                entries.Add((p.Name, dtype, shape, offsets[0], offsets[1]));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw PyTorchZipReader.Unreadable(file, "its header is not valid safetensors JSON (" + e.Message + ")");
        }
        var sorted = entries.OrderBy(e => e.Begin).ToList();
        for (int i = 1; i < sorted.Count; i++)
            if (sorted[i].Begin < sorted[i - 1].End)
                throw PyTorchZipReader.Unreadable(file, $"tensors {sorted[i - 1].Name} and {sorted[i].Name} overlap");
        // As the safetensors spec (and its reference reader): the data is indexed entirely, without holes, so a file
        // is safetensors and nothing else (no polyglot, no truncated or padded copy passes).
        long covered = 0;
        foreach (var e in sorted)
        {
            if (e.Begin != covered) throw PyTorchZipReader.Unreadable(file, $"its data has {e.Begin - covered} bytes before tensor {e.Name} that no tensor uses");
            covered = e.End;
        }
        if (covered != dataLength)
            throw PyTorchZipReader.Unreadable(file, $"its tensors end at data byte {covered} but the file holds {dataLength} (it is {(covered < dataLength ? "longer" : "shorter")} than its header says)");
        return (dataStart, entries);
    }

    private static string PrintShape(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
