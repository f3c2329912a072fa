using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace InitCfg.Core.Tests.Checkpoints;

/// <summary>Builds a pickle opcode by opcode (protocol 2, as torch.save writes), for hand-made and hostile checkpoints.</summary>
internal sealed class PickleBytes
{
    private readonly MemoryStream _s = new();

    public PickleBytes() => Op(0x80, 2);

    public PickleBytes Op(params byte[] bytes) { _s.Write(bytes); return this; }

    public PickleBytes Op(char c) => Op((byte)c);

    /// <summary>GLOBAL: <c>c module\n name\n</c>.</summary>
    public PickleBytes Global(string module, string name) => Op('c').Op(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));

    /// <summary>BINUNICODE.</summary>
    public PickleBytes Str(string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        Op('X');
        var n = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(n, (uint)b.Length);
        return Op(n).Op(b);
    }

    /// <summary>BININT.</summary>
    public PickleBytes Int(int v)
    {
        var n = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(n, v);
        return Op('J').Op(n);
    }

    /// <summary>LONG1 with 8 bytes.</summary>
    public PickleBytes Long(long v)
    {
        var n = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(n, v);
        return Op(0x8a, 8).Op(n);
    }

    public PickleBytes Mark() => Op('(');
    public PickleBytes Tuple() => Op('t');
    public PickleBytes EmptyTuple() => Op(')');
    public PickleBytes EmptyDict() => Op('}');
    public PickleBytes EmptyList() => Op(']');
    public PickleBytes SetItems() => Op('u');
    public PickleBytes Appends() => Op('e');
    public PickleBytes Reduce() => Op('R');
    public PickleBytes Stop() => Op('.');

    /// <summary>An int tuple: <c>( J.. J.. t</c>.</summary>
    public PickleBytes Ints(params long[] values)
    {
        Mark();
        foreach (var v in values) Long(v);
        return Tuple();
    }

    /// <summary>
    /// A tensor as torch.save pickles it: <c>_rebuild_tensor_v2((storage, FloatStorage, key, 'cpu', numel), offset, size,
    /// stride, False, OrderedDict())</c>.
    /// </summary>
    public PickleBytes Tensor(string storageKey, long storageElements, long offset, long[] size, long[] stride, string storage = "FloatStorage")
    {
        Global("torch._utils", "_rebuild_tensor_v2");
        Mark();
        Mark().Str("storage").Global("torch", storage).Str(storageKey).Str("cpu").Long(storageElements).Tuple();
        Op('Q');
        Long(offset).Ints(size).Ints(stride).Op(0x89);
        Global("collections", "OrderedDict").EmptyTuple().Reduce();
        return Tuple().Reduce();
    }

    /// <summary>A plain dict of name to tensor, each tensor as <see cref="Tensor"/> describes.</summary>
    public PickleBytes NamedTensors(params (string Name, string Key, long Elements, long Offset, long[] Size, long[] Stride)[] tensors)
    {
        EmptyDict().Mark();
        foreach (var t in tensors) Str(t.Name).Tensor(t.Key, t.Elements, t.Offset, t.Size, t.Stride);
        return SetItems().Stop();
    }

    public byte[] ToArray() => _s.ToArray();

    /// <summary>A torch.save-like zip: <c>archive/data.pkl</c>, one <c>archive/data/KEY</c> record per storage, and a version.</summary>
    public static byte[] Zip(byte[] pickle, params (string Key, byte[] Data)[] storages)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] data)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                s.Write(data);
            }
            Add("archive/data.pkl", pickle);
            foreach (var (key, data) in storages) Add("archive/data/" + key, data);
            Add("archive/version", Encoding.ASCII.GetBytes("3\n"));
        }
        return ms.ToArray();
    }

    /// <summary>Little-endian float32 bytes.</summary>
    public static byte[] Floats(params float[] values)
    {
        var b = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, b, 0, b.Length);
        return b;
    }
}
