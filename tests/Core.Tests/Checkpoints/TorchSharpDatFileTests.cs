using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Checkpoints;

public sealed class TorchSharpDatFileTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static nn.Module SmallNet()
    {
        var net = nn.Sequential(("lin", nn.Linear(3, 2)), ("bn", nn.BatchNorm1d(2)));
        using var _ = no_grad();
        using Scalar three = 3, one = 1; // held: add_(3) makes both temporaries, which a GC mid-call can free
        foreach (var (_, b) in net.named_buffers()) b.add_(three, one);
        return net;
    }

    /// <summary>A .dat file written with BinaryWriter: 7-bit ints as TorchSharp encodes them.</summary>
    private string Crafted(Action<BinaryWriter> write)
    {
        var file = _dir.File("crafted.dat");
        using (var w = new BinaryWriter(File.Create(file))) write(w);
        return file;
    }

    private static InitCfgException Refused(string file)
    {
        var e = Assert.Throws<InitCfgException>(() => TorchSharpDatFile.Read(file));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        return e;
    }

    [Fact]
    public void Read_FileFromTorchSharpModuleSave_GivesItsStateDict()
    {
        var net = SmallNet();
        var file = _dir.File("net.dat");
        net.save(file);

        using var read = TorchSharpDatFile.Read(file);
        Assert.Equal(CheckpointFormat.TorchSharp, read.Format);
        var expected = net.state_dict();
        Assert.Equal(expected.Keys, read.Items.Select(i => i.Key));
        foreach (var (name, t) in read.Items)
        {
            Assert.Equal(expected[name].dtype, t.dtype);
            Assert.True(expected[name].Equals(t), name);
        }
        GC.KeepAlive(net); // its BatchNorm frees the tensors of expected from its finalizer
    }

    [Fact]
    public void Write_LoadsWithTorchSharpModuleLoad()
    {
        var source = SmallNet();
        var file = _dir.File("export.dat");
        using (var fs = File.Create(file)) TorchSharpDatFile.Write(fs, ModuleState.ForExport(source));

        var target = nn.Sequential(("lin", nn.Linear(3, 2)), ("bn", nn.BatchNorm1d(2)));
        target.load(file);
        foreach (var (name, t) in source.state_dict())
            Assert.True(t.Equals(target.state_dict()[name]), name);
        // state_dict() hands out the tensors, not their modules, whose finalizers free them (found by the stress leg).
        GC.KeepAlive(source);
        GC.KeepAlive(target);
    }

    [Fact]
    public void WriteThenRead_ScalarAndEmptyAndInt_RoundTrip()
    {
        using var s = tensor(9L);
        using var e = zeros(new long[] { 2, 0 }, dtype: ScalarType.Int32);
        using var h = tensor(new[] { 1.5f, 2f }).to(ScalarType.Float16);
        var file = _dir.File("mixed.dat");
        using (var fs = File.Create(file))
            TorchSharpDatFile.Write(fs, new[] { new KeyValuePair<string, Tensor>("s", s), new("e", e), new("h", h) });
        using var read = TorchSharpDatFile.Read(file);
        Assert.Equal(9L, read.Items[0].Value.item<long>());
        Assert.Equal(new long[] { 2, 0 }, read.Items[1].Value.shape);
        Assert.Equal(ScalarType.Float16, read.Items[2].Value.dtype);
        Assert.True(h.Equals(read.Items[2].Value));
    }

    [Fact]
    public void Read_TruncatedInTensorData_IsUnreadable()
    {
        var file = _dir.File("net.dat");
        SmallNet().save(file);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^5]);
        Refused(file);
    }

    [Fact]
    public void Read_TruncatedInAName_IsUnreadable()
    {
        var file = Crafted(w => { w.Write((byte)1); w.Write((byte)20); w.Write("abc"u8.ToArray()); });
        Assert.Contains("ends in the middle", Refused(file).Message);
    }

    [Fact]
    public void Read_CountLargerThanFile_IsUnreadable() =>
        Assert.Contains("claims", Refused(Crafted(w => { w.Write((byte)0xff); w.Write((byte)0x7f); })).Message);

    [Fact]
    public void Read_UnsupportedDType_IsUnreadable() =>
        Assert.Contains("unsupported dtype", Refused(Crafted(w => { w.Write((byte)1); w.Write("a"); w.Write((byte)ScalarType.ComplexFloat32); w.Write((byte)0); })).Message);

    [Fact]
    public void Read_RankAbove16_IsUnreadable() =>
        Assert.Contains("rank", Refused(Crafted(w => { w.Write((byte)1); w.Write("a"); w.Write((byte)ScalarType.Float32); w.Write((byte)17); })).Message);

    [Fact]
    public void Read_ShapeLargerThanFile_IsUnreadable() =>
        Assert.Contains("more bytes than the file holds",
            Refused(Crafted(w => { w.Write((byte)1); w.Write("a"); w.Write((byte)ScalarType.Float32); w.Write((byte)1); w.Write((byte)100); w.Write(new byte[8]); })).Message);

    [Fact]
    public void Read_ShapeWhoseByteSizeOverflows_IsUnreadable()
    {
        // dim = 2^62, encoded 7 bits at a time: eight 0x80 bytes then 0x40.
        var file = Crafted(w =>
        {
            w.Write((byte)1); w.Write("a"); w.Write((byte)ScalarType.Float32); w.Write((byte)1);
            w.Write(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40 });
        });
        Refused(file);
    }

    [Fact]
    public void Read_MalformedLength_IsUnreadable() =>
        Assert.Contains("malformed", Refused(Crafted(w => w.Write(Enumerable.Repeat((byte)0xff, 12).ToArray()))).Message);
    [Fact]
    public void Open_ReadsNamesAndShapesNow_TheBytesOnlyWhenLoaded()
    {
        // Streamed like the other formats: no copy of the weights is held between open and load, so bytes changed on
        // disk in between are the bytes loaded (and a load holds the model once, not twice).
        var net = SmallNet();
        var file = _dir.File("stream.dat");
        net.save(file);
        using var index = CheckpointFile.Open(file);
        Assert.Equal(CheckpointFormat.TorchSharp, index.Format);
        var bytes = File.ReadAllBytes(file);
        var bias = ((TorchSharp.Modules.Linear)((TorchSharp.Modules.Sequential)net).children().First()).bias!;
        using var biasBytes = Fixtures.Contiguous(bias);
        int at = bytes.AsSpan().IndexOf(biasBytes.bytes);
        Assert.True(at > 0);
        BitConverter.GetBytes(42f).CopyTo(bytes, at);
        File.WriteAllBytes(file, bytes);
        var entry = index.Entries.Single(e => e.Name == "lin.bias");
        using var dest = empty(entry.Shape, entry.DType);
        index.Read(entry, dest);
        Assert.Equal(42f, dest[0].item<float>());
    }
}
