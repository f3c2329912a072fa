using System.IO.Compression;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Checkpoints;

public sealed class PyTorchZipReaderTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, Tensor> ByName(NamedTensors s) => s.Items.ToDictionary(i => i.Key, i => i.Value);

    private InitCfgException ReadError(byte[] bytes, string name = "bad.pth")
    {
        var file = TorchSaveSamples.WriteTo(_dir.Path, name, bytes);
        return Assert.Throws<InitCfgException>(() => PyTorchZipReader.Read(file));
    }

    [Fact]
    public void Read_TorchSaveOfStateDict_GivesExactValuesAndBuffers()
    {
        var file = TorchSaveSamples.WriteTo(_dir.Path, "bn.pth", TorchSaveSamples.BatchNorm);
        using var s = PyTorchZipReader.Read(file);
        Assert.Equal(CheckpointFormat.PyTorch, s.Format);
        Assert.Equal(new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }, s.Items.Select(i => i.Key));
        var t = ByName(s);
        Assert.Equal(new[] { 1.5f, -2f, 0.25f }, t["weight"].data<float>().ToArray());
        Assert.Equal(new[] { 0.5f, 1f, 2f }, t["bias"].data<float>().ToArray());
        Assert.Equal(new[] { 0.1f, 0.2f, 0.3f }, t["running_mean"].data<float>().ToArray());
        Assert.Equal(new[] { 4f, 5f, 6f }, t["running_var"].data<float>().ToArray());
        Assert.Equal(ScalarType.Int64, t["num_batches_tracked"].dtype);
        Assert.Empty(t["num_batches_tracked"].shape);
        Assert.Equal(7L, t["num_batches_tracked"].item<long>());
    }

    [Fact]
    public void Read_StateDictWrapperWithDataParallelKeys_UnwrapsAndStripsModulePrefix()
    {
        var file = TorchSaveSamples.WriteTo(_dir.Path, "wrapped.pth", TorchSaveSamples.Wrapped);
        using var s = PyTorchZipReader.Read(file);
        Assert.Equal(new[] { "a", "b", "c", "d" }, s.Items.Select(i => i.Key));
        var t = ByName(s);
        // a = arange(6)[1:4]: a view at storage offset 1.
        Assert.Equal(new[] { 1f, 2f, 3f }, t["a"].data<float>().ToArray());
        // b = (arange(6).reshape(2, 3) * 10).t(): strided, read in C order of the view.
        Assert.Equal(new long[] { 3, 2 }, t["b"].shape);
        Assert.Equal(new[] { 0f, 30f, 10f, 40f, 20f, 50f }, Fixtures.Values(t["b"]));
        Assert.Equal(ScalarType.Float16, t["c"].dtype);
        Assert.Equal(new[] { 1.5f, -0.5f }, Fixtures.Values(t["c"]));
        Assert.Equal(ScalarType.Int64, t["d"].dtype);
        Assert.Equal(new long[] { 1, -2, 3, 4 }, t["d"].data<long>().ToArray());
    }

    [Fact]
    public void Read_ModelWrapper_Unwraps()
    {
        var pickle = new PickleBytes().EmptyDict().Mark().Str("epoch").Int(3).Str("model")
            .EmptyDict().Mark().Str("w").Tensor("0", 2, 0, new long[] { 2 }, new long[] { 1 }).SetItems()
            .SetItems().Stop().ToArray();
        var file = TorchSaveSamples.WriteTo(_dir.Path, "model.pth", PickleBytes.Zip(pickle, ("0", PickleBytes.Floats(1, 2))));
        using var s = PyTorchZipReader.Read(file);
        Assert.Equal("w", Assert.Single(s.Items).Key);
    }

    [Fact]
    public void Read_SomeKeysWithoutModulePrefix_KeepsEveryKey()
    {
        var pickle = new PickleBytes().NamedTensors(
            ("module.a", "0", 1, 0, new long[] { 1 }, new long[] { 1 }),
            ("b", "1", 1, 0, new long[] { 1 }, new long[] { 1 })).ToArray();
        var file = TorchSaveSamples.WriteTo(_dir.Path, "mixed.pth",
            PickleBytes.Zip(pickle, ("0", PickleBytes.Floats(1)), ("1", PickleBytes.Floats(2))));
        using var s = PyTorchZipReader.Read(file);
        Assert.Equal(new[] { "module.a", "b" }, s.Items.Select(i => i.Key));
    }

    [Fact]
    public void Read_TruncatedZip_IsUnreadable()
    {
        var bytes = TorchSaveSamples.BatchNorm;
        var e = ReadError(bytes[..(bytes.Length / 2)]);
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("bad.pth", e.Message);
    }

    [Fact]
    public void Read_TruncatedJustBeforeTheEnd_IsUnreadable() =>
        Assert.Equal(ErrorIds.CheckpointUnreadable, ReadError(TorchSaveSamples.BatchNorm[..^10]).ErrorId);

    [Fact]
    public void Read_MissingStorageRecord_IsUnreadableNamingIt()
    {
        var pickle = new PickleBytes().NamedTensors(
            ("a", "0", 2, 0, new long[] { 2 }, new long[] { 1 }),
            ("b", "1", 2, 0, new long[] { 2 }, new long[] { 1 })).ToArray();
        var e = ReadError(PickleBytes.Zip(pickle, ("0", PickleBytes.Floats(1, 2))));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("data/1 is missing", e.Message);
    }

    [Fact]
    public void Read_StorageShorterThanClaimed_IsUnreadable()
    {
        var pickle = new PickleBytes().NamedTensors(("a", "0", 4, 0, new long[] { 4 }, new long[] { 1 })).ToArray();
        var e = ReadError(PickleBytes.Zip(pickle, ("0", PickleBytes.Floats(1, 2, 3))));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("claims 16 bytes but the record holds 12", e.Message);
    }

    [Fact]
    public void Read_StorageLongerThanClaimed_IsUnreadable()
    {
        var pickle = new PickleBytes().NamedTensors(("a", "0", 1, 0, new long[] { 1 }, new long[] { 1 })).ToArray();
        Assert.Equal(ErrorIds.CheckpointUnreadable, ReadError(PickleBytes.Zip(pickle, ("0", PickleBytes.Floats(1, 2)))).ErrorId);
    }

    [Theory]
    [InlineData(3, new long[] { 4 }, new long[] { 1 })] // offset 3 + 4 elements > 4
    [InlineData(0, new long[] { 2, 3 }, new long[] { 3, 1 })] // 6 elements in a storage of 4
    [InlineData(0, new long[] { 2 }, new long[] { 4 })] // the stride jumps past the end
    public void Read_ViewPastTheEndOfItsStorage_IsUnreadable(long offset, long[] size, long[] stride)
    {
        var pickle = new PickleBytes().NamedTensors(("a", "0", 4, offset, size, stride)).ToArray();
        var e = ReadError(PickleBytes.Zip(pickle, ("0", PickleBytes.Floats(1, 2, 3, 4))));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("past the end of its storage", e.Message);
    }

    [Fact]
    public void Read_EmptyView_IsReadWhateverItsOffset()
    {
        var pickle = new PickleBytes().NamedTensors(("a", "0", 4, 5, new long[] { 0, 3 }, new long[] { 3, 1 })).ToArray();
        var file = TorchSaveSamples.WriteTo(_dir.Path, "empty.pth", PickleBytes.Zip(pickle, ("0", PickleBytes.Floats(1, 2, 3, 4))));
        using var s = PyTorchZipReader.Read(file);
        Assert.Equal(new long[] { 0, 3 }, s.Items[0].Value.shape);
    }

    [Fact]
    public void Read_NegativeOffset_IsUnreadable()
    {
        var pickle = new PickleBytes().NamedTensors(("a", "0", 4, -1, new long[] { 2 }, new long[] { 1 })).ToArray();
        Assert.Equal(ErrorIds.CheckpointUnreadable, ReadError(PickleBytes.Zip(pickle, ("0", PickleBytes.Floats(1, 2, 3, 4)))).ErrorId);
    }

    [Fact]
    public void Read_StorageSizeOverflowing64Bits_IsUnreadable()
    {
        var pickle = new PickleBytes().NamedTensors(("a", "0", 1L << 62, 0, new long[] { 1 }, new long[] { 1 })).ToArray();
        Assert.Equal(ErrorIds.CheckpointUnreadable, ReadError(PickleBytes.Zip(pickle, ("0", Array.Empty<byte>()))).ErrorId);
    }

    [Fact]
    public void Read_ZipWithoutDataPkl_IsUnreadable()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            using (var s = zip.CreateEntry("archive/other.txt").Open()) s.WriteByte(1);
        Assert.Contains("no data.pkl", ReadError(ms.ToArray()).Message);
    }

    [Fact]
    public void Read_PickleOfAList_IsUnreadable()
    {
        var pickle = new PickleBytes().EmptyList().Stop().ToArray();
        Assert.Contains("no dictionary of tensors", ReadError(PickleBytes.Zip(pickle)).Message);
    }

    [Fact]
    public void Read_UnsafePickleInsideZip_IsRefusedAsUnsafe()
    {
        var pickle = new PickleBytes().Global("os", "system").Mark().Str("echo pwned").Tuple().Reduce().Stop().ToArray();
        Assert.Equal(ErrorIds.CheckpointUnsafe, ReadError(PickleBytes.Zip(pickle)).ErrorId);
    }

    [Fact]
    public void Read_SharedStorage_GivesIndependentTensors()
    {
        var pickle = new PickleBytes().NamedTensors(
            ("a", "0", 4, 0, new long[] { 2 }, new long[] { 1 }),
            ("b", "0", 4, 2, new long[] { 2 }, new long[] { 1 })).ToArray();
        var file = TorchSaveSamples.WriteTo(_dir.Path, "shared.pth", PickleBytes.Zip(pickle, ("0", PickleBytes.Floats(1, 2, 3, 4))));
        using var s = PyTorchZipReader.Read(file);
        var t = ByName(s);
        using (TorchSharp.Scalar ten = 10, one = 1) t["a"].add_(ten, one); // held: temporaries could be freed mid-call
        Assert.Equal(new[] { 3f, 4f }, t["b"].data<float>().ToArray());
        Assert.Equal(new[] { 11f, 12f }, t["a"].data<float>().ToArray());
    }

    [Fact]
    public void Read_TiedWeights_BothKeysGetTheWholeStorage()
    {
        // torch.save writes a storage shared by two parameters (tied embeddings) once; both keys refer to it.
        var pickle = new PickleBytes().NamedTensors(
            ("embed.weight", "0", 4, 0, new long[] { 2, 2 }, new long[] { 2, 1 }),
            ("head.weight", "0", 4, 0, new long[] { 2, 2 }, new long[] { 2, 1 })).ToArray();
        var file = TorchSaveSamples.WriteTo(_dir.Path, "tied.pth", PickleBytes.Zip(pickle, ("0", PickleBytes.Floats(1, 2, 3, 4))));
        using var s = PyTorchZipReader.Read(file);
        Assert.All(s.Items, i => Assert.Equal(new[] { 1f, 2f, 3f, 4f }, i.Value.data<float>().ToArray()));
    }
}
