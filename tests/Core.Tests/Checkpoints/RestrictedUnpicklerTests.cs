using System.IO.Compression;
using InitCfg.Core.Checkpoints.Pickle;
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Checkpoints;

public class RestrictedUnpicklerTests
{
    private static object? Load(PickleBytes p) => RestrictedUnpickler.Load(p.ToArray(), "test.pth");

    private static InitCfgException Refused(PickleBytes p) => Assert.Throws<InitCfgException>(() => Load(p));

    [Fact]
    public void Load_PlainContainers_ReadsDictListTupleNumbersStrings()
    {
        var p = new PickleBytes().EmptyDict().Mark()
            .Str("int").Int(-5)
            .Str("long").Long(1L << 40)
            .Str("float").Op('G').Op(BitConverter.GetBytes(0.25).Reverse().ToArray())
            .Str("list").EmptyList().Mark().Int(1).Str("two").Op('N').Op(0x88).Appends()
            .Str("tuple").Int(3).Int(4).Op(0x86)
            .SetItems().Stop();

        var d = Assert.IsType<PickleDict>(Load(p));
        Assert.Equal(new object?[] { "int", "long", "float", "list", "tuple" }, d.Entries.Select(e => e.Key));
        Assert.Equal(-5L, d.Get("int"));
        Assert.Equal(1L << 40, d.Get("long"));
        Assert.Equal(0.25, d.Get("float"));
        Assert.Equal(new object?[] { 1L, "two", null, true }, Assert.IsType<List<object?>>(d.Get("list")));
        Assert.Equal("PickleTuple", d.Get("tuple")!.GetType().Name);
    }

    [Fact]
    public void Load_MemoPutAndGet_ReusesObjects()
    {
        // BINPUT 0 on a string, then BINGET 0 as a second value, as torch.save does for repeated storages and keys.
        var p = new PickleBytes().EmptyDict().Mark().Str("a").Str("shared").Op((byte)'q', 0).Str("b").Op((byte)'h', 0).SetItems().Stop();
        var d = Assert.IsType<PickleDict>(Load(p));
        Assert.Equal("shared", d.Get("b"));
    }

    [Fact]
    public void Load_RebuildTensorV2_GivesTensorRefOverTypedStorage()
    {
        var p = new PickleBytes().EmptyDict().Mark()
            .Str("w").Tensor("7", 12, 2, new long[] { 2, 3 }, new long[] { 3, 1 }, "DoubleStorage")
            .SetItems().Stop();
        var t = Assert.IsType<TensorRef>(Assert.IsType<PickleDict>(Load(p)).Get("w"));
        Assert.Equal(new StorageRef("7", ScalarType.Float64, 12), t.Storage);
        Assert.Equal(2, t.Offset);
        Assert.Equal(new long[] { 2, 3 }, t.Size);
        Assert.Equal(new long[] { 3, 1 }, t.Stride);
    }

    [Fact]
    public void Load_RebuildParameter_UnwrapsTheTensor()
    {
        var p = new PickleBytes().EmptyDict().Mark().Str("w")
            .Global("torch._utils", "_rebuild_parameter").Mark()
            .Tensor("0", 4, 0, new long[] { 4 }, new long[] { 1 })
            .Op(0x88).Global("collections", "OrderedDict").EmptyTuple().Reduce().Tuple().Reduce()
            .SetItems().Stop();
        Assert.IsType<TensorRef>(Assert.IsType<PickleDict>(Load(p)).Get("w"));
    }

    [Fact]
    public void Load_OsSystem_RefusedAsUnsafeBeforeAnyCall()
    {
        // The classic exploit: c os\nsystem\n (X 'touch pwned' t R .
        var marker = Path.Combine(Path.GetTempPath(), "initcfg-pwned-" + Guid.NewGuid().ToString("N"));
        var p = new PickleBytes().Global("os", "system").Mark().Str("touch " + marker).Tuple().Reduce().Stop();
        var e = Refused(p);
        Assert.Equal(ErrorIds.CheckpointUnsafe, e.ErrorId);
        Assert.Equal(ErrorKind.Security, e.Kind);
        Assert.Contains("os.system", e.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Load_GlobalNamedButNeverCalled_RefusedWhenNamed()
    {
        var e = Refused(new PickleBytes().Global("os", "system").Stop());
        Assert.Equal(ErrorIds.CheckpointUnsafe, e.ErrorId);
    }

    [Fact]
    public void Load_ReduceStyleBuiltinsEval_RefusedAsUnsafe()
    {
        // What a class with __reduce__ returning (eval, ("__import__('os').system('id')",)) pickles to (protocol 4 STACK_GLOBAL).
        var p = new PickleBytes().EmptyDict().Mark().Str("x")
            .Str("builtins").Str("eval").Op(0x93)
            .Str("__import__('os').system('id')").Op(0x85).Reduce()
            .SetItems().Stop();
        var e = Refused(p);
        Assert.Equal(ErrorIds.CheckpointUnsafe, e.ErrorId);
        Assert.Contains("builtins.eval", e.Message);
    }

    [Theory]
    [InlineData("posix", "system")]
    [InlineData("subprocess", "Popen")]
    [InlineData("__builtin__", "getattr")]
    [InlineData("torch", "load")]
    [InlineData("torch._utils", "_rebuild_tensor")]
    [InlineData("numpy.core.multiarray", "_reconstruct")]
    public void Load_OtherGlobals_RefusedAsUnsafe(string module, string name) =>
        Assert.Equal(ErrorIds.CheckpointUnsafe, Refused(new PickleBytes().Global(module, name).Stop()).ErrorId);

    [Fact]
    public void Load_InstOpcode_Refused()
    {
        // INST ('i') names and calls a class in one opcode; the reader does not know it at all.
        var p = new PickleBytes().Mark().Op('i').Op(System.Text.Encoding.ASCII.GetBytes("os\nsystem\n")).Stop();
        var e = Refused(p);
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("opcode 0x69", e.Message);
    }

    [Fact]
    public void Load_StorageClassCalledDirectly_Refused()
    {
        var p = new PickleBytes().Global("torch", "FloatStorage").EmptyTuple().Reduce().Stop();
        Assert.Equal(ErrorIds.CheckpointUnreadable, Refused(p).ErrorId);
    }

    [Fact]
    public void Load_OrderedDictWithArguments_Refused()
    {
        var p = new PickleBytes().Global("collections", "OrderedDict").Mark().EmptyList().Tuple().Reduce().Stop();
        Assert.Equal(ErrorIds.CheckpointUnreadable, Refused(p).ErrorId);
    }

    [Fact]
    public void Load_RebuildTensorOnNonStorage_Refused()
    {
        var p = new PickleBytes().Global("torch._utils", "_rebuild_tensor_v2")
            .Mark().Str("not a storage").Long(0).Ints(1).Ints(1).Tuple().Reduce().Stop();
        Assert.Contains("_rebuild_tensor_v2", Refused(p).Message);
    }

    [Fact]
    public void Load_PersistentIdNotAStorage_Refused()
    {
        var p = new PickleBytes().Mark().Str("module").Str("x").Tuple().Op('Q').Stop();
        Assert.Equal(ErrorIds.CheckpointUnreadable, Refused(p).ErrorId);
    }

    [Fact]
    public void Load_NegativeStorageSize_Refused()
    {
        var p = new PickleBytes().Mark().Str("storage").Global("torch", "FloatStorage").Str("0").Str("cpu").Long(-1).Tuple().Op('Q').Stop();
        Assert.Contains("negative", Refused(p).Message);
    }

    [Fact]
    public void Load_SizeAndStrideOfDifferentLengths_Refused()
    {
        var p = new PickleBytes().EmptyDict().Mark().Str("w").Tensor("0", 4, 0, new long[] { 2, 2 }, new long[] { 1 }).SetItems().Stop();
        Assert.Equal(ErrorIds.CheckpointUnreadable, Refused(p).ErrorId);
    }

    [Fact]
    public void Load_Truncated_RefusedAsUnreadable()
    {
        var bytes = new PickleBytes().EmptyDict().Mark().Str("a").Int(1).SetItems().Stop().ToArray();
        var e = Assert.Throws<InitCfgException>(() => RestrictedUnpickler.Load(bytes[..^3], "cut.pth"));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("cut.pth", e.Message);
    }

    [Fact]
    public void Load_LengthPastTheEnd_RefusedWithoutAllocating()
    {
        // BINUNICODE claiming 4 GiB - 1 bytes in a 20-byte pickle.
        var p = new PickleBytes().Op('X').Op(0xff, 0xff, 0xff, 0xff).Stop();
        Assert.Contains("past the end", Refused(p).Message);
    }

    [Fact]
    public void Load_MemoGetBeforePut_Refused() =>
        Assert.Contains("memo", Refused(new PickleBytes().Op((byte)'h', 9).Stop()).Message);

    [Fact]
    public void Load_StackUnderflow_Refused() =>
        Assert.Equal(ErrorIds.CheckpointUnreadable, Refused(new PickleBytes().Op('s').Stop()).ErrorId);

    [Fact]
    public void Load_IntegerWiderThan64Bits_Refused() =>
        Assert.Equal(ErrorIds.CheckpointUnreadable, Refused(new PickleBytes().Op(0x8a, 9).Op(new byte[9]).Stop()).ErrorId);

    [Fact]
    public void Load_RealTorchSavePickle_ReadsEveryTensorRef()
    {
        using var zip = new ZipArchive(new MemoryStream(TorchSaveSamples.BatchNorm));
        using var s = zip.GetEntry("bn/data.pkl")!.Open();
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        var d = Assert.IsType<PickleDict>(RestrictedUnpickler.Load(ms.ToArray(), "bn.pth"));
        Assert.Equal(new object?[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }, d.Entries.Select(e => e.Key));
        var n = Assert.IsType<TensorRef>(d.Get("num_batches_tracked"));
        Assert.Equal(ScalarType.Int64, n.Storage.DType);
        Assert.Empty(n.Size);
    }
    [Fact]
    public void Load_DictWith200kKeysAndRepeats_KeepsFirstPositionsAndLastValues()
    {
        // SETITEMS of 200,000 keys, then every tenth key set again: one pass (a hash per key), not a scan per key.
        var p = new PickleBytes().EmptyDict().Mark();
        for (int i = 0; i < 200_000; i++) p.Str("k" + i).Int(i);
        for (int i = 0; i < 200_000; i += 10) p.Str("k" + i).Int(-i);
        var d = Assert.IsType<PickleDict>(RestrictedUnpickler.Load(p.SetItems().Stop().ToArray(), "big.pkl"));
        Assert.Equal(200_000, d.Entries.Count);
        Assert.Equal("k0", d.Entries[0].Key);
        Assert.Equal(-10L, d.Get("k10"));
        Assert.Equal(11L, d.Get("k11"));
        Assert.Equal("k199999", d.Entries[^1].Key);
    }

    [Fact]
    public void PickleDictSet_5000KeysThenRepeats_ComparesEachKeyAFewTimesNotWithEveryEarlierKey()
    {
        // The cost that made a 200k-key dict take 42 s, counted instead of timed: a scan per Set compares each new
        // key with every earlier one (n^2/2 = 1.4e7 comparisons here, 2e10 for 200k keys); a hash compares it with the
        // keys of its hash only.
        var comparisons = new int[1];
        var d = new PickleDict();
        for (int i = 0; i < 5_000; i++) d.Set(new CountingKey(i, comparisons), i);
        for (int i = 0; i < 5_000; i += 10) d.Set(new CountingKey(i, comparisons), -i);
        Assert.Equal(5_000, d.Entries.Count);
        Assert.Equal(-10, d.Entries[10].Value);
        Assert.True(comparisons[0] <= 2 * 5_500, $"{comparisons[0]} key comparisons for 5,500 Set calls");
    }

    // A key that counts how often it is compared; equal ids are equal keys, and the id is the hash.
    private sealed class CountingKey(int id, int[] comparisons)
    {
        private readonly int _id = id;

        public override bool Equals(object? obj)
        {
            comparisons[0]++;
            return obj is CountingKey k && k._id == _id;
        }

        public override int GetHashCode() => _id;
    }
    [Theory]
    [InlineData(new byte[] { 0x8b, 0x00, 0x00, 0x00, 0x80 })] // LONG4 of 2^31 bytes
    [InlineData(new byte[] { 0x8d, 0, 0, 0, 0, 0, 0, 0, 0x80 })] // BINUNICODE8 of 2^63 bytes
    [InlineData(new byte[] { 0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff })] // BINUNICODE8 of 2^64 - 1 bytes
    [InlineData(new byte[] { (byte)'X', 0xff, 0xff, 0xff, 0xff })] // BINUNICODE of 4 GiB
    public void Load_LengthsPastTheEnd_AreUnreadableNotOverflow(byte[] op)
    {
        var e = Assert.Throws<InitCfgException>(() => RestrictedUnpickler.Load(new byte[] { 0x80, 2 }.Concat(op).Concat(new byte[] { (byte)'.' }).ToArray(), "len.pkl"));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("len.pkl", e.Message);
    }
}
