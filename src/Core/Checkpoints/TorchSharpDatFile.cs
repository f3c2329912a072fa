#nullable enable
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// TorchSharp's <c>Module.save</c> format: a 7-bit-encoded count, then per tensor its name (length-prefixed),
/// dtype, rank and dimensions (7-bit-encoded) and the raw bytes. Read without needing the module. The format has no
/// magic number, so it is held to the letter: the file must end exactly where its last tensor ends.
/// </summary>
public static class TorchSharpDatFile
{
    private const int MaxName = 64 << 10;

    /// <summary>Reads every tensor.</summary>
    public static NamedTensors Read(string file)
    {
        using var index = Open(file);
        return index.ReadAll();
    }

    /// <summary>
    /// Opens the file: names, types and shapes are read now (seeking over the data), the bytes later, straight into
    /// the model's tensors, so a load holds no second copy of the weights.
    /// </summary>
    public static CheckpointIndex Open(string file)
    {
        var entries = new List<CheckpointEntry>();
        using (var fs = CheckpointFile.OpenRegular(file))
        {
            long length = fs.Length;
            try
            {
                long count = Read7(fs, file);
                if (count < 0 || count > length) throw Bad(file, $"it claims {count} tensors");
                for (long i = 0; i < count; i++)
                {
                    long nameLength = Read7(fs, file);
                    if (nameLength < 0 || nameLength > MaxName) throw Bad(file, $"tensor {i} has a name of {nameLength} bytes");
                    if (nameLength > length - fs.Position) throw new EndOfStreamException();
                    var nameBytes = new byte[nameLength];
                    fs.ReadExactly(nameBytes);
                    string name = System.Text.Encoding.UTF8.GetString(nameBytes);
                    long code = Read7(fs, file);
                    var dtype = (ScalarType)code;
                    if (code > 64 || !DTypes.IsSupported(dtype)) throw Bad(file, $"tensor {name} has an unsupported dtype ({code})");
                    long rank = Read7(fs, file);
                    if (rank < 0 || rank > 16) throw Bad(file, $"tensor {name} has rank {rank}");
                    var shape = new long[rank];
                    for (int d = 0; d < rank; d++) shape[d] = Read7(fs, file);
                    long n = DTypes.Elements(shape);
                    long needed = DTypes.Bytes(n, dtype);
                    if (n < 0 || needed < 0 || needed > length - fs.Position)
                        throw Bad(file, $"tensor {name} claims more bytes than the file holds");
                    long offset = fs.Position;
                    entries.Add(new CheckpointEntry(name, dtype, shape, dest => TensorBytes.ReadAt(file, offset, dtype, shape, dest)) { ThreadSafe = true });
                    fs.Seek(needed, SeekOrigin.Current);
                }
            }
            catch (EndOfStreamException)
            {
                throw Bad(file, "it ends in the middle of a tensor");
            }
            if (fs.Position != length)
                throw Bad(file, $"its {entries.Count} tensor(s) end at byte {fs.Position} but the file has {length} bytes");
        }
        return new CheckpointIndex(file, CheckpointFormat.TorchSharp, entries);
    }

    /// <summary>Writes tensors in the same format.</summary>
    public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> state)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Write7(w, state.Count);
        foreach (var (name, t) in state)
        {
            w.Write(name);
            Write7(w, (long)t.dtype);
            Write7(w, t.shape.Length);
            foreach (var d in t.shape) Write7(w, d);
            w.Flush();
            TensorBytes.WriteFrom(stream, t);
        }
    }

    private static long Read7(Stream s, string file)
    {
        long result = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            int b = s.ReadByte();
            if (b < 0) throw new EndOfStreamException();
            result |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw Bad(file, "a malformed length");
    }

    private static void Write7(BinaryWriter w, long value)
    {
        ulong v = (ulong)value;
        while (v >= 0x80) { w.Write((byte)(v | 0x80)); v >>= 7; }
        w.Write((byte)v);
    }

    private static InitCfgException Bad(string file, string why) => PyTorchZipReader.Unreadable(file, why);
}
