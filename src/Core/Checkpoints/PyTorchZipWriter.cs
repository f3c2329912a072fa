#nullable enable
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// Writes a state dict as <c>torch.save</c> does (zip with a protocol-2 pickle and one record per storage),
/// entries stored uncompressed like PyTorch's own writer, so <c>torch.load</c> reads it and writing costs a copy.
/// </summary>
public static class PyTorchZipWriter
{
    /// <summary>Writes <paramref name="state"/> to <paramref name="stream"/>; <paramref name="archiveName"/> is the folder inside the zip.</summary>
    public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> state, string archiveName)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        Add(zip, archiveName + "/data.pkl", Pickle(state));
        for (int i = 0; i < state.Count; i++)
        {
            var entry = zip.CreateEntry(archiveName + "/data/" + i, CompressionLevel.NoCompression);
            using var s = entry.Open();
            TensorBytes.WriteFrom(s, state[i].Value);
        }
        Add(zip, archiveName + "/version", Encoding.ASCII.GetBytes("3\n"));
        Add(zip, archiveName + "/byteorder", Encoding.ASCII.GetBytes("little"));
    }

    private static void Add(ZipArchive zip, string name, byte[] data)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var s = entry.Open();
        s.Write(data);
    }

    private static byte[] Pickle(IReadOnlyList<KeyValuePair<string, Tensor>> state)
    {
        var p = new MemoryStream();
        void Op(byte b) => p.WriteByte(b);
        void Global(string module, string name) { Op((byte)'c'); p.Write(Encoding.ASCII.GetBytes(module + "\n" + name + "\n")); }
        void Str(string s) { var b = Encoding.UTF8.GetBytes(s); Op((byte)'X'); Span<byte> n = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(n, (uint)b.Length); p.Write(n); p.Write(b); }
        void Int(long v)
        {
            if (v >= int.MinValue && v <= int.MaxValue) { Op((byte)'J'); Span<byte> n = stackalloc byte[4]; BinaryPrimitives.WriteInt32LittleEndian(n, (int)v); p.Write(n); }
            else { Op(0x8a); Op(8); Span<byte> n = stackalloc byte[8]; BinaryPrimitives.WriteInt64LittleEndian(n, v); p.Write(n); }
        }
        void Tuple(IEnumerable<long> values) { Op((byte)'('); foreach (var v in values) Int(v); Op((byte)'t'); }
        void EmptyOrderedDict() { Global("collections", "OrderedDict"); Op((byte)')'); Op((byte)'R'); }

        Op(0x80); Op(2);
        EmptyOrderedDict();
        Op((byte)'(');
        for (int i = 0; i < state.Count; i++)
        {
            var (name, t) = state[i];
            var shape = t.shape;
            var stride = new long[shape.Length];
            long acc = 1;
            for (int d = shape.Length - 1; d >= 0; d--) { stride[d] = acc; acc *= Math.Max(1, shape[d]); }
            Str(name);
            Global("torch._utils", "_rebuild_tensor_v2");
            Op((byte)'(');
            Op((byte)'('); Str("storage"); Global("torch", DTypes.PyTorchStorage(t.dtype)); Str(i.ToString()); Str("cpu"); Int(t.numel()); Op((byte)'t');
            Op((byte)'Q');
            Int(0);
            Tuple(shape);
            Tuple(stride);
            Op(0x89);
            EmptyOrderedDict();
            Op((byte)'t');
            Op((byte)'R');
        }
        Op((byte)'u');
        Op((byte)'.');
        return p.ToArray();
    }
}
