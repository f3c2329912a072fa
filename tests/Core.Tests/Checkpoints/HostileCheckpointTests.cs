using InitCfg.Core;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Modules;
using InitCfg.Core.Walk;
using Xunit.Abstractions;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Checkpoints;

/// <summary>
/// Bad checkpoints made by the tests, loaded the way a user loads them (a Pretrained config after another config),
/// that the reader tests do not already cover: each must give a clear error quickly, without allocating what the
/// file claims and without running anything, and leave every parameter and buffer as it was.
/// </summary>
public sealed class HostileCheckpointTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly string _cache;
    private readonly ITestOutputHelper _output;

    public HostileCheckpointTests(ITestOutputHelper output)
    {
        _output = output;
        _cache = Directory.CreateDirectory(_dir.File("hub")).FullName;
    }

    public void Dispose() => _dir.Dispose();

    private InitResult Init(nn.Module model, string checkpoint) =>
        new InitEngine().Initialize(model, new InitOptions
        {
            InitCfg = List(Cfg("type", "Constant", "val", 9, "layer", "Conv2d"), Cfg("type", "Pretrained", "checkpoint", checkpoint)),
            Seed = 0,
            Environment = new InitEnvironment { Checkpoints = new CheckpointLocator(_cache, _dir.Path) },
        });

    private static byte[][] State(nn.Module m) => ModuleState.Entries(m).Select(e =>
    {
        using var c = Fixtures.Contiguous(e.Tensor);
        return c.bytes.ToArray();
    }).ToArray();

    /// <summary>Loads the file through Pretrained; returns the error after checking time, allocation and the model.</summary>
    private InitCfgException Refused(string name, byte[] bytes, string errorId)
    {
        var file = TorchSaveSamples.WriteTo(_dir.Path, name, bytes);
        var marker = _dir.File("pwned");
        var model = Backbone();
        var before = State(model);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InitCfgException>(() => Init(model, file));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        _output.WriteLine($"{name}: {e.ErrorId}, {allocated >> 10} KB: {e.Message}");
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(file, e.Message);
        Assert.True(allocated < 64 << 20, $"allocated {allocated >> 20} MB");
        Assert.True(before.Zip(State(model)).All(p => p.First.AsSpan().SequenceEqual(p.Second)), "the model changed");
        Assert.False(InitAttachment.IsInitialized(model));
        Assert.False(File.Exists(marker), "the file ran code");
        return e;
    }

    private static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, data) in entries)
                using (var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open()) s.Write(data);
        return ms.ToArray();
    }

    private static byte[] GoodPickle() => new PickleBytes().NamedTensors(("fc.bias", "0", 2, 0, new long[] { 2 }, new long[] { 1 })).ToArray();

    [Theory]
    [InlineData("archive/../../evil.pth")]
    [InlineData("../data/0")]
    [InlineData("/etc/cron.d/x")]
    [InlineData("archive/data/..\\..\\x")]
    public void Init_ZipEntryNamedOutsideTheArchive_IsUnsafe(string entry) =>
        Refused("escape.pth", Zip(("archive/data.pkl", GoodPickle()), ("archive/data/0", PickleBytes.Floats(1, 2)), (entry, new byte[] { 1 })),
            ErrorIds.CheckpointUnsafe);

    [Theory]
    [InlineData("builtins", "eval")]
    [InlineData("builtins", "exec")]
    [InlineData("builtins", "__import__")]
    [InlineData("subprocess", "Popen")]
    [InlineData("subprocess", "check_output")]
    [InlineData("posix", "system")]
    [InlineData("os", "system")]
    [InlineData("nt", "system")]
    [InlineData("pickle", "loads")]
    [InlineData("torch", "load")]
    [InlineData("torch.serialization", "load")]
    [InlineData("numpy", "load")]
    public void Init_PickleNamingACallableViaStackGlobal_IsRefusedBeforeAnythingRuns(string module, string name)
    {
        // Protocol 4's STACK_GLOBAL takes module and name from the stack (what pickle writes for __reduce__ today).
        var marker = _dir.File("pwned");
        var pickle = new PickleBytes().EmptyDict().Mark().Str("fc.bias")
            .Str(module).Str(name).Op(0x93).Mark().Str($"touch {marker}").Tuple().Reduce()
            .SetItems().Stop().ToArray();
        var e = Refused($"{module}.{name}.pth", PickleBytes.Zip(pickle), ErrorIds.CheckpointUnsafe);
        Assert.Contains($"{module}.{name}", e.Message);
        Assert.Equal(ErrorKind.Security, e.Kind);
    }

    [Fact]
    public void Init_PickleClaimingATerabyteStorage_IsRefusedWithoutAllocatingIt() =>
        Refused("claims.pth", PickleBytes.Zip(
            new PickleBytes().NamedTensors(("fc.bias", "0", 1L << 38, 0, new long[] { 2 }, new long[] { 1 })).ToArray(),
            ("0", PickleBytes.Floats(1, 2, 3, 4))), ErrorIds.CheckpointUnreadable);

    [Fact]
    public void Init_PickleShapeWhoseProductOverflows_IsUnreadable() =>
        Refused("product.pth", PickleBytes.Zip(
            new PickleBytes().NamedTensors(("fc.weight", "0", 4, 0, new long[] { 1L << 32, 1L << 32 }, new long[] { 1L << 32, 1 })).ToArray(),
            ("0", PickleBytes.Floats(1, 2, 3, 4))), ErrorIds.CheckpointUnreadable);

    private static byte[] Safetensors(string header, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var len = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)h.Length);
        return len.Concat(h).Concat(data).ToArray();
    }

    [Theory]
    [InlineData("[4294967296, 4294967296]", "[0, 0]")] // 2^64 elements: wraps to 0 in unchecked arithmetic
    [InlineData("[4611686018427387904, 4]", "[0, 0]")]
    [InlineData("[2]", "[0, 9223372036854775807]")]
    [InlineData("[2]", "[-8, 0]")]
    [InlineData("[-2]", "[0, 8]")]
    [InlineData("[2]", "[8, 16]")]
    public void Init_SafetensorsWithImpossibleShapeOrOffsets_IsUnreadable(string shape, string offsets) =>
        Refused("bad.safetensors", Safetensors($"{{\"fc.bias\":{{\"dtype\":\"F32\",\"shape\":{shape},\"data_offsets\":{offsets}}}}}", PickleBytes.Floats(1, 2)),
            ErrorIds.CheckpointUnreadable);

    [Fact]
    public void Init_SafetensorsWithWrongDTypeForItsSize_IsUnreadable() =>
        Refused("dtype.safetensors", Safetensors("{\"fc.bias\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", PickleBytes.Floats(1, 2)),
            ErrorIds.CheckpointUnreadable);

    private static byte[] Dat(params long[] sevenBitValues) // count, then per tensor: name, dtype, rank, dims (raw)
    {
        var ms = new MemoryStream();
        foreach (var v in sevenBitValues)
        {
            ulong u = (ulong)v;
            while (u >= 0x80) { ms.WriteByte((byte)(u | 0x80)); u >>= 7; }
            ms.WriteByte((byte)u);
        }
        return ms.ToArray();
    }

    private static byte[] DatTensor(long[] shape, int extraBytes)
    {
        var ms = new MemoryStream();
        ms.Write(Dat(1));
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) w.Write("fc.bias");
        ms.Write(Dat(new[] { (long)ScalarType.Float32, shape.Length }.Concat(shape).ToArray()));
        ms.Write(new byte[extraBytes]);
        return ms.ToArray();
    }

    [Fact]
    public void Init_DatWithShapeWhoseProductOverflows_IsUnreadable() =>
        Refused("product.dat", DatTensor(new[] { 1L << 32, 1L << 32 }, 16), ErrorIds.CheckpointUnreadable);

    [Fact]
    public void Init_DatClaimingMoreBytesThanTheFile_IsUnreadable() =>
        Refused("claims.dat", DatTensor(new[] { 1L << 30 }, 16), ErrorIds.CheckpointUnreadable);

    [Fact]
    public void Init_DatClaimingATrillionTensors_IsUnreadable() =>
        Refused("count.dat", Dat((1L << 40) + 1).Concat(new byte[32]).ToArray(), ErrorIds.CheckpointUnreadable);

    [Fact]
    public void Init_DatWithANameLongerThanTheFile_IsUnreadable() =>
        Refused("name.dat", Dat(1, int.MaxValue).Concat(Encoding.ASCII.GetBytes("fc.bias")).ToArray(), ErrorIds.CheckpointUnreadable);

    [Fact]
    public void Init_SymlinkInTheCacheLeadingOut_IsRefusedAndTheModelKeepsItsValues()
    {
        var outside = _dir.File("secret.pth");
        CheckpointFile.Write(outside, ModuleState.ForExport(Backbone()), CheckpointFormat.PyTorch, overwrite: false);
        File.CreateSymbolicLink(Path.Combine(_cache, "resnet18-f37072fd.pth"), outside);
        var model = Backbone();
        var before = State(model);
        var e = Assert.Throws<InitCfgException>(() => Init(model, "torchvision://resnet18"));
        Assert.Equal(ErrorIds.CheckpointPathEscapes, e.ErrorId);
        Assert.True(before.Zip(State(model)).All(p => p.First.AsSpan().SequenceEqual(p.Second)));
    }

    [Theory]
    [InlineData("inf.pth")]
    [InlineData("inf.safetensors")]
    [InlineData("inf.dat")]
    public void Init_NaNAndInfValues_AreLoadedAndWarnedAbout(string name)
    {
        var source = Backbone();
        using (no_grad())
        {
            Param(source, "fc.bias").copy_(tensor(new[] { float.PositiveInfinity, float.NegativeInfinity }));
            Param(source, "conv1.weight").Fill(float.NaN);
        }
        var file = _dir.File(name);
        CheckpointFile.Write(file, ModuleState.ForExport(source), CheckpointFile.FormatOf(file), overwrite: false);

        var model = Backbone();
        var result = Init(model, file);

        var w = Assert.Single(result.Warnings, w => w.WarningId == InitWarning.CheckpointNonFinite);
        Assert.Contains("fc.bias", w.Message);
        Assert.Contains("conv1.weight", w.Message);
        Assert.Equal(new[] { float.PositiveInfinity, float.NegativeInfinity }, Values(Param(model, "fc.bias")));
        Assert.All(Values(Param(model, "conv1.weight")), v => Assert.True(float.IsNaN(v)));
    }
    // ---- round two: format detection ----

    [Theory]
    [InlineData("model.pth")]
    [InlineData("model.safetensors")]
    [InlineData("model.dat")]
    public void Init_AllZeroFile_IsUnreadableSayingSo(string name) =>
        Assert.Contains("zero bytes", Refused(name, new byte[1 << 16], ErrorIds.CheckpointUnreadable).Message);

    [Fact]
    public void Init_SafetensorsHeaderLengthBeyondTheFile_IsUnreadableSayingSo()
    {
        var bytes = Safetensors("{\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", PickleBytes.Floats(1, 2));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1 << 20);
        Assert.Contains("header claims 1048576 bytes", Refused("long.safetensors", bytes, ErrorIds.CheckpointUnreadable).Message);
    }

    [Fact]
    public void Init_DatWithBytesAfterItsLastTensor_IsUnreadable()
    {
        var e = Refused("trailing.dat", DatTensor(new[] { 2L }, 8 + 5), ErrorIds.CheckpointUnreadable);
        Assert.Contains("end at byte", e.Message);
    }

    [Fact]
    public void Init_SafetensorsWithUnindexedTrailingBytes_IsUnreadable() =>
        Refused("tail.safetensors", Safetensors("{\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", PickleBytes.Floats(1, 2, 3)),
            ErrorIds.CheckpointUnreadable);

    [Theory]
    [InlineData("init.pth", "init_cfg:\n  - type: Kaiming\n    layer: Conv2d\n", "YAML")]
    [InlineData("init.safetensors", "{\"type\": \"Kaiming\", \"layer\": \"Conv2d\"}", "JSON")]
    public void Init_ConfigFileGivenAsCheckpoint_SaysItIsAConfig(string name, string text, string kind)
    {
        var e = Refused(name, Encoding.UTF8.GetBytes(text), ErrorIds.CheckpointUnreadable);
        Assert.Contains(kind + " text", e.Message);
        Assert.Contains("config file", e.Message);
        Assert.DoesNotContain("dtype", e.Message);
    }

    [Fact]
    public void Init_ZipContentNamedSafetensors_SaysTheNameContradictsTheContent()
    {
        var e = Refused("wrong.safetensors", PickleBytes.Zip(GoodPickle()), ErrorIds.CheckpointUnreadable);
        Assert.Contains("its name says .safetensors", e.Message);
    }

    [Fact]
    public void Init_ValidZipNamedSafetensors_LoadsByItsContentWithAWarning()
    {
        // As torch.load, the content decides; the name that says otherwise is a load warning, like missing keys.
        var source = Backbone();
        var file = _dir.File("zip.safetensors");
        var pth = _dir.File("zip-content.pth");
        CheckpointFile.Write(pth, ModuleState.ForExport(source), CheckpointFormat.PyTorch, overwrite: false);
        File.Move(pth, file);
        var model = Backbone();
        var result = Init(model, file);
        var warning = Assert.Single(result.Warnings, w => w.WarningId == InitWarning.CheckpointNameMismatch);
        Assert.Contains(".safetensors (Safetensors) but holds a PyTorch checkpoint", warning.Message);
        Assert.True(State(source).Zip(State(model)).All(p => p.First.AsSpan().SequenceEqual(p.Second)), "not loaded");
    }

    [Fact]
    public void Init_CheckpointNamedAsItsContent_HasNoNameWarning()
    {
        var file = _dir.File("right.pth");
        CheckpointFile.Write(file, ModuleState.ForExport(Backbone()), CheckpointFormat.PyTorch, overwrite: false);
        Assert.DoesNotContain(Init(Backbone(), file).Warnings, w => w.WarningId == InitWarning.CheckpointNameMismatch);
    }

    [Fact]
    public void Init_DevZero_IsRefusedUpFrontAsNotARegularFile()
    {
        var model = Backbone();
        var before = State(model);
        var e = Assert.Throws<InitCfgException>(() => Init(model, "/dev/zero"));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("character device", e.Message);
        Assert.True(before.Zip(State(model)).All(p => p.First.AsSpan().SequenceEqual(p.Second)));
    }

    [Fact]
    public void Init_FifoAsCheckpoint_IsRefusedWithoutBlocking()
    {
        var fifo = _dir.File("pipe.pth");
        Assert.Equal(0, Mkfifo(fifo));
        var model = Backbone();
        // Opened, a FIFO with no writer would block forever: the test would hang rather than fail.
        var e = Assert.Throws<InitCfgException>(() => Init(model, fifo));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("FIFO", e.Message);
    }

    [Fact]
    public void Init_FifoInTheHubCache_IsRefusedWithoutBlocking()
    {
        Assert.Equal(0, Mkfifo(Path.Combine(_cache, "resnet18-f37072fd.pth")));
        var e = Assert.Throws<InitCfgException>(() => Init(Backbone(), "torchvision://resnet18"));
        Assert.Contains("FIFO", e.Message);
    }

    [Fact]
    public void Init_DirectoryAsCheckpoint_SaysItIsADirectory()
    {
        var dir = Directory.CreateDirectory(_dir.File("weights.pth")).FullName;
        var e = Assert.Throws<InitCfgException>(() => Init(Backbone(), dir));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("directory", e.Message);
        Assert.DoesNotContain("does not exist", e.Message);
    }

    [Fact]
    public void Init_SymlinkLoopAsCheckpoint_SaysSoWithoutAnyChange()
    {
        var a = _dir.File("a.pth");
        File.CreateSymbolicLink(a, _dir.File("b.pth"));
        File.CreateSymbolicLink(_dir.File("b.pth"), a);
        var model = Backbone();
        var before = State(model);
        var e = Assert.Throws<InitCfgException>(() => Init(model, a));
        _output.WriteLine(e.Message);
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains(a, e.Message);
        Assert.Contains("symbolic link", e.Message);
        Assert.Equal(before, State(model));
    }

    internal static int Mkfifo(string path)
    {
        using var p = System.Diagnostics.Process.Start("mkfifo", new[] { path });
        p.WaitForExit();
        return p.ExitCode;
    }

    // ---- round two: zip integrity, byte order, DataParallel ----

    [Fact]
    public void Init_FlippedByteInAStoredRecord_FailsItsCrcAndLeavesTheModelUntouched()
    {
        var source = Backbone();
        using (no_grad()) Param(source, "fc.bias").copy_(tensor(new[] { 1234.5f, -6789.25f }));
        var good = _dir.File("good.pth");
        CheckpointFile.Write(good, ModuleState.ForExport(source), CheckpointFormat.PyTorch, overwrite: false);
        var bytes = File.ReadAllBytes(good);
        int at = bytes.AsSpan().IndexOf(PickleBytes.Floats(1234.5f, -6789.25f));
        Assert.True(at > 0);
        bytes[at + 1] ^= 0x10;
        Assert.Contains("CRC-32", Refused("flipped.pth", bytes, ErrorIds.CheckpointUnreadable).Message);
    }

    [Fact]
    public void Init_FlippedByteInTheLastRecord_IsFoundAfterTheOthersWereReadAndPutsEveryWeightBack()
    {
        // The CRC-32 is checked as each record is read into the model, so the earlier records are already in the
        // model's tensors when the last one fails: the run's transaction must put all of them back.
        var (bytes, last) = WithLastRecordFlipped("last.pth");
        var model = Backbone();
        Assert.Equal(last, ModuleState.Entries(model)[^1].Name); // the bad record is the last one the load reads
        var e = Refused("last-flipped.pth", bytes, ErrorIds.CheckpointUnreadable);
        Assert.Contains("CRC-32", e.Message);
        Assert.Contains(last, e.Message);
    }

    [Fact]
    public void LoadCheckpoint_FlippedByteInTheLastRecord_LeavesTheModelAsItWas()
    {
        var (bytes, _) = WithLastRecordFlipped("last.pth");
        var file = TorchSaveSamples.WriteTo(_dir.Path, "last-flipped.pth", bytes);
        var model = Backbone();
        var before = State(model);
        var e = Assert.Throws<InitCfgException>(() => model.LoadCheckpoint(file));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("CRC-32", e.Message);
        Assert.True(before.Zip(State(model)).All(p => p.First.AsSpan().SequenceEqual(p.Second)), "the model changed");
    }

    // An exported Backbone whose every tensor differs from a new one's, with one byte flipped in its last storage
    // record; returns the bad bytes and the name of the tensor in that record.
    private (byte[] Bytes, string Last) WithLastRecordFlipped(string name)
    {
        var source = Backbone();
        using (no_grad())
            foreach (var entry in ModuleState.Entries(source))
                if (entry.Tensor.is_floating_point()) entry.Tensor.Fill(entry.Tensor.dtype == ScalarType.Float32 ? 0.375 : 0.5);
        var last = ModuleState.Entries(source)[^1];
        using (no_grad()) last.Tensor.copy_(tensor(new[] { 1234.5f, -6789.25f }));
        var good = _dir.File(name);
        CheckpointFile.Write(good, ModuleState.ForExport(source), CheckpointFormat.PyTorch, overwrite: false);
        var bytes = File.ReadAllBytes(good);
        int at = bytes.AsSpan().IndexOf(PickleBytes.Floats(1234.5f, -6789.25f));
        Assert.True(at > 0);
        using (var zip = new ZipArchive(new MemoryStream(bytes)))
        {
            // It is the last data record of the archive, so every other one is read before it.
            var records = zip.Entries.Where(r => r.FullName.Contains("/data/")).OrderBy(r => int.Parse(r.Name)).ToList();
            Assert.True(records.Count > 5);
            using var s = records[^1].Open();
            var data = new byte[8];
            s.ReadExactly(data);
            Assert.Equal(PickleBytes.Floats(1234.5f, -6789.25f), data);
        }
        bytes[at + 1] ^= 0x10;
        return (bytes, last.Name);
    }

    [Fact]
    public void Init_BigEndianArchive_IsByteSwapped()
    {
        var pickle = new PickleBytes().NamedTensors(("fc.bias", "0", 2, 0, new long[] { 2 }, new long[] { 1 })).ToArray();
        var big = PickleBytes.Floats(2.0f, -0.5f);
        Array.Reverse(big, 0, 4);
        Array.Reverse(big, 4, 4);
        var zip = ZipWith(PickleBytes.Zip(pickle, ("0", big)), "archive/byteorder", "big");
        var file = TorchSaveSamples.WriteTo(_dir.Path, "big.pth", zip);
        var model = Backbone();
        Init(model, file);
        Assert.Equal(new[] { 2.0f, -0.5f }, Values(Param(model, "fc.bias")));
    }

    [Fact]
    public void Init_BigEndianStorageViewedByFourTensors_EachSliceIsByteSwapped()
    {
        // The views path (one storage read once, each view copied out of it) swaps as the single-tensor path does,
        // strided views included.
        var flat = Enumerable.Range(0, 200).Select(i => i * 0.5f - 7).ToArray();
        var big = PickleBytes.Floats(flat);
        for (int i = 0; i < big.Length; i += 4) Array.Reverse(big, i, 4);
        var pickle = new PickleBytes().NamedTensors(
            ("conv1.weight", "0", 200, 0, new long[] { 4, 3, 3, 3 }, new long[] { 27, 9, 3, 1 }),
            ("conv1.bias", "0", 200, 108, new long[] { 4 }, new long[] { 1 }),
            ("fc.weight", "0", 200, 112, new long[] { 2, 4 }, new long[] { 1, 2 }),
            ("fc.bias", "0", 200, 120, new long[] { 2 }, new long[] { 1 })).ToArray();
        var zip = ZipWith(PickleBytes.Zip(pickle, ("0", big)), "archive/byteorder", "big");
        var file = TorchSaveSamples.WriteTo(_dir.Path, "big-views.pth", zip);
        var model = Backbone();
        Init(model, file);
        Assert.Equal(flat[..108], Values(Param(model, "conv1.weight")));
        Assert.Equal(flat[108..112], Values(Param(model, "conv1.bias")));
        Assert.Equal(new[] { 112, 114, 116, 118, 113, 115, 117, 119 }.Select(i => flat[i]), Values(Param(model, "fc.weight")));
        Assert.Equal(flat[120..122], Values(Param(model, "fc.bias")));
    }

    [Fact]
    public void Init_UnknownByteOrder_IsUnreadable()
    {
        var zip = ZipWith(PickleBytes.Zip(GoodPickle(), ("0", PickleBytes.Floats(1, 2))), "archive/byteorder", "middle");
        Assert.Contains("byteorder", Refused("middle.pth", zip, ErrorIds.CheckpointUnreadable).Message);
    }

    private static byte[] ZipWith(byte[] zip, string name, string text)
    {
        using var ms = new MemoryStream();
        ms.Write(zip);
        using (var archive = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true))
        using (var s = archive.CreateEntry(name, CompressionLevel.NoCompression).Open())
            s.Write(Encoding.ASCII.GetBytes(text));
        return ms.ToArray();
    }

    [Fact]
    public void Init_ChildNamedModule_RoundTripsThroughExport()
    {
        static ConfigModule Wrapper() => Net("Wrapper", ("module", nn.Linear(3, 2)));
        var source = Wrapper();
        var file = _dir.File("wrapper.pth");
        CheckpointFile.Write(file, ModuleState.ForExport(source), CheckpointFormat.PyTorch, overwrite: false);
        var model = Wrapper();
        var result = new InitEngine().Initialize(model, new InitOptions
        {
            InitCfg = List(Cfg("type", "Pretrained", "checkpoint", file)), Strict = true,
            Environment = new InitEnvironment { Checkpoints = new CheckpointLocator(_cache, _dir.Path) },
        });
        Assert.Equal(Values(Param(source, "module.weight")), Values(Param(model, "module.weight")));
        Assert.Equal(Values(Param(source, "module.bias")), Values(Param(model, "module.bias")));
    }

    [Fact]
    public void Init_DataParallelCheckpoint_StillLoadsIntoAPlainModel()
    {
        var pickle = new PickleBytes().NamedTensors(("module.fc.bias", "0", 2, 0, new long[] { 2 }, new long[] { 1 })).ToArray();
        var file = TorchSaveSamples.WriteTo(_dir.Path, "dp.pth", PickleBytes.Zip(pickle, ("0", PickleBytes.Floats(7, 8))));
        var model = Backbone();
        Init(model, file);
        Assert.Equal(new[] { 7f, 8f }, Values(Param(model, "fc.bias")));
    }

    // ---- round two: bombs, views ----

    [Fact]
    public void Init_DeflatedPickleDeclaringAGigabyte_IsRefusedAsABomb()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var s = zip.CreateEntry("archive/data.pkl", CompressionLevel.SmallestSize).Open())
            {
                s.Write(GoodPickle());
                var zeros = new byte[1 << 20];
                for (int i = 0; i < 256; i++) s.Write(zeros); // 256 MiB of padding after STOP, deflated ~1000:1
            }
            using (var s = zip.CreateEntry("archive/data/0", CompressionLevel.NoCompression).Open()) s.Write(PickleBytes.Floats(1, 2));
        }
        Assert.Contains("decompression bomb", Refused("bomb.pth", ms.ToArray(), ErrorIds.CheckpointUnreadable).Message);
    }

    [Fact]
    public void Init_DeflatedStorageViewedBySixTensors_IsRefusedAsABomb()
    {
        long elements = 64L << 20; // 256 MiB of float zeros
        var pickle = new PickleBytes().NamedTensors(Enumerable.Range(0, 6).Select(i =>
            ($"t{i}", "0", elements, (long)i, new long[] { 2 }, new long[] { 1 })).ToArray()).ToArray();
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var s = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open()) s.Write(pickle);
            using (var s = zip.CreateEntry("archive/data/0", CompressionLevel.SmallestSize).Open())
            {
                var zeros = new byte[1 << 20];
                for (int i = 0; i < 256; i++) s.Write(zeros);
            }
        }
        Assert.Contains("decompression bomb", Refused("views.pth", ms.ToArray(), ErrorIds.CheckpointUnreadable).Message);
    }

    [Fact]
    public void Init_ManyViewsIntoOneStorage_EachGetsItsOwnSlice()
    {
        // conv1.weight [4,3,3,3] = 108, bn1 4 x 4, fc.weight [2,4] (transposed view) and fc.bias: one flat storage.
        var flat = Enumerable.Range(0, 200).Select(i => (float)i).ToArray();
        var pickle = new PickleBytes().NamedTensors(
            ("conv1.weight", "0", 200, 0, new long[] { 4, 3, 3, 3 }, new long[] { 27, 9, 3, 1 }),
            ("conv1.bias", "0", 200, 108, new long[] { 4 }, new long[] { 1 }),
            ("fc.weight", "0", 200, 112, new long[] { 2, 4 }, new long[] { 1, 2 }),
            ("fc.bias", "0", 200, 120, new long[] { 2 }, new long[] { 1 })).ToArray();
        var file = TorchSaveSamples.WriteTo(_dir.Path, "flat.pth", PickleBytes.Zip(pickle, ("0", PickleBytes.Floats(flat))));
        var model = Backbone();
        Init(model, file);
        Assert.Equal(flat[..108], Values(Param(model, "conv1.weight")));
        Assert.Equal(flat[108..112], Values(Param(model, "conv1.bias")));
        Assert.Equal(new[] { 112f, 114, 116, 118, 113, 115, 117, 119 }, Values(Param(model, "fc.weight")));
        Assert.Equal(new[] { 120f, 121 }, Values(Param(model, "fc.bias")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Init_SparseViewsIntoALargeStorage_EachGetsItsOwnSlice(bool bigEndian)
    {
        // Views far apart in a 1M-element storage (what torch.save writes for slices of a bigger tensor): only the
        // parts they cover are kept; the one overlapping another, the transposed one and the one ending at the
        // storage's last element must all read their own values, byte-swapped when the archive is big-endian.
        const int n = 1_000_000;
        var flat = Enumerable.Range(0, n).Select(i => (float)i).ToArray();
        var pickle = new PickleBytes().NamedTensors(
            ("conv1.weight", "0", n, 500_000, new long[] { 4, 3, 3, 3 }, new long[] { 27, 9, 3, 1 }),
            ("conv1.bias", "0", n, 500_100, new long[] { 4 }, new long[] { 1 }),
            ("fc.weight", "0", n, 7, new long[] { 2, 4 }, new long[] { 1, 2 }),
            ("fc.bias", "0", n, n - 2, new long[] { 2 }, new long[] { 1 })).ToArray();
        var data = PickleBytes.Floats(flat);
        if (bigEndian) for (int i = 0; i < data.Length; i += 4) Array.Reverse(data, i, 4);
        var zip = PickleBytes.Zip(pickle, ("0", data));
        if (bigEndian) zip = ZipWith(zip, "archive/byteorder", "big");
        var file = TorchSaveSamples.WriteTo(_dir.Path, "sparse.pth", zip);
        var model = Backbone();
        Init(model, file);
        Assert.Equal(flat[500_000..500_108], Values(Param(model, "conv1.weight")));
        Assert.Equal(flat[500_100..500_104], Values(Param(model, "conv1.bias")));
        Assert.Equal(new[] { 7f, 9, 11, 13, 8, 10, 12, 14 }, Values(Param(model, "fc.weight")));
        Assert.Equal(new[] { n - 2f, n - 1f }, Values(Param(model, "fc.bias")));
    }

    // ---- round two: raw exceptions, dtypes ----

    [Fact]
    public void Init_DatNameLengthWithASixByteVarint_IsUnreadable() =>
        Refused("varint.dat", Dat(1).Concat(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }).Concat(new byte[64]).ToArray(), ErrorIds.CheckpointUnreadable);

    [Theory]
    [InlineData("zero.dat")]
    [InlineData("zero.safetensors")]
    public void Init_ZeroSizeTensorWhoseOtherDimsOverflow_IsUnreadable(string name)
    {
        var bytes = name.EndsWith(".dat")
            ? DatTensor(new[] { 0L, 1L << 62, 1L << 62 }, 0)
            : Safetensors("{\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[0,4611686018427387904,4611686018427387904],\"data_offsets\":[0,0]}}", Array.Empty<byte>());
        Refused(name, bytes, ErrorIds.CheckpointUnreadable);
    }

    [Fact]
    public void Init_Complex64Tensor_IsUnsupportedNotUnsafe()
    {
        var pickle = new PickleBytes().NamedTensors(("fc.bias", "0", 2, 0, new long[] { 2 }, new long[] { 1 })).ToArray();
        pickle = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(pickle).Replace("FloatStorage", "ComplexFloatStorage"));
        var e = Refused("complex.pth", PickleBytes.Zip(pickle, ("0", new byte[16])), ErrorIds.CheckpointUnreadable);
        Assert.Contains("not supported", e.Message);
        Assert.Equal(ErrorKind.ReadError, e.Kind);
    }

    // ---- round two: prefix ----

    [Fact]
    public void Init_MisspeltPrefix_SuggestsTheNearestOne()
    {
        var source = Net("Detector", ("backbone", Backbone()));
        var file = _dir.File("det.pth");
        CheckpointFile.Write(file, ModuleState.ForExport(source), CheckpointFormat.PyTorch, overwrite: false);
        var result = new InitEngine().Initialize(Backbone(), new InitOptions
        {
            InitCfg = List(Cfg("type", "Pretrained", "checkpoint", file, "prefix", "backbon.")),
            Environment = new InitEnvironment { Checkpoints = new CheckpointLocator(_cache, _dir.Path) },
        });
        var w = Assert.Single(result.Warnings, w => w.WarningId == InitWarning.CheckpointLoadsNothing);
        Assert.Contains("did you mean 'backbone.'", w.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(result.Warnings, x => x.WarningId == InitWarning.CheckpointMissingKeys);
    }
}
