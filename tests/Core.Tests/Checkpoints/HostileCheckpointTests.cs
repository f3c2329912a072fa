using System.Buffers.Binary;
using System.Diagnostics;
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

    // conv1 Conv2d(3, 4, 3), bn1 BatchNorm2d(4), fc Linear(4, 2), as PretrainedInitTests.
    private static ConfigModule Backbone() =>
        Net("Backbone", ("conv1", nn.Conv2d(3, 4, 3)), ("bn1", nn.BatchNorm2d(4)), ("fc", nn.Linear(4, 2)));

    private InitResult Init(nn.Module model, string checkpoint) =>
        new WeightInitializer().Initialize(model, new InitOptions
        {
            InitCfg = List(Cfg("type", "Constant", "val", 9, "layer", "Conv2d"), Cfg("type", "Pretrained", "checkpoint", checkpoint)),
            Seed = 0,
            Environment = new InitEnvironment { Checkpoints = new CheckpointLocator(_cache, _dir.Path) },
        });

    private static byte[][] State(nn.Module m) => ModuleState.Entries(m).Select(e =>
    {
        using var c = e.Tensor.detach().contiguous();
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
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<InitCfgException>(() => Init(model, file));
        clock.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        _output.WriteLine($"{name}: {e.ErrorId} in {clock.ElapsedMilliseconds} ms, {allocated >> 10} KB: {e.Message}");
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(file, e.Message);
        // Ten times looser in the lifetime stress leg (.ci/run), where a GC every 128 KB slows every allocation.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is null ? 2 : 20), $"took {clock.ElapsedMilliseconds} ms");
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

    private static byte[] GoodPickle() => new PickleBytes().StateDict(("fc.bias", "0", 2, 0, new long[] { 2 }, new long[] { 1 })).ToArray();

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
            new PickleBytes().StateDict(("fc.bias", "0", 1L << 38, 0, new long[] { 2 }, new long[] { 1 })).ToArray(),
            ("0", PickleBytes.Floats(1, 2, 3, 4))), ErrorIds.CheckpointUnreadable);

    [Fact]
    public void Init_PickleShapeWhoseProductOverflows_IsUnreadable() =>
        Refused("product.pth", PickleBytes.Zip(
            new PickleBytes().StateDict(("fc.weight", "0", 4, 0, new long[] { 1L << 32, 1L << 32 }, new long[] { 1L << 32, 1 })).ToArray(),
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
            Param(source, "conv1.weight").fill_(float.NaN);
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
}
