#nullable enable
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// TorchSharp's <c>Module.save</c> format: a 7-bit-encoded count, then per tensor its name (length-prefixed),
/// dtype, rank and dimensions (7-bit-encoded) and the raw bytes. Read without needing the module.
/// </summary>
public static class TorchSharpDatFile
{
    /// <summary>Reads every tensor.</summary>
    public static StateDict Read(string file)
    {
        using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var r = new BinaryReader(fs);
        var result = new StateDict { Source = file, Format = CheckpointFormat.TorchSharp };
        try
        {
            long count = Read7(r, file);
            if (count < 0 || count > fs.Length) throw Bad(file, $"it claims {count} tensors");
            for (long i = 0; i < count; i++)
            {
                string name = r.ReadString();
                var dtype = (ScalarType)Read7(r, file);
                if (!DTypes.IsSupported(dtype)) throw Bad(file, $"tensor {name} has an unsupported dtype ({(int)dtype})");
                long rank = Read7(r, file);
                if (rank < 0 || rank > 16) throw Bad(file, $"tensor {name} has rank {rank}");
                var shape = new long[rank];
                for (int d = 0; d < rank; d++) shape[d] = Read7(r, file);
                long n = DTypes.Elements(shape);
                long needed = DTypes.Bytes(n, dtype);
                if (n < 0 || needed < 0 || needed > fs.Length - fs.Position)
                    throw Bad(file, $"tensor {name} claims more bytes than the file holds");
                var t = empty(shape, dtype);
                result.Add(name, t);
                if (n > 0) TensorBytes.ReadInto(fs, t);
            }
        }
        catch (EndOfStreamException)
        {
            result.Dispose();
            throw Bad(file, "it ends in the middle of a tensor");
        }
        catch
        {
            result.Dispose();
            throw;
        }
        return result;
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

    private static long Read7(BinaryReader r, string file)
    {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = r.ReadByte();
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
