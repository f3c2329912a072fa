using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Checkpoints;

// Loads of more than 8 MB read independent records on every core: the result must be the serial load's, and a record
// that fails its CRC-32 on one worker must still undo everything the others wrote.
public sealed class ParallelLoadTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    // About 13 MB in twelve tensors of different sizes, so several workers each read several records.
    private static nn.Module Model(long seed)
    {
        var model = Net("Wide",
            ("a", nn.Linear(1024, 1024)), ("b", nn.Linear(1024, 768)), ("c", nn.Linear(768, 1024)),
            ("d", nn.Linear(1024, 512)), ("e", nn.Linear(512, 256)), ("f", nn.Linear(256, 10)));
        using var g = new Generator((ulong)seed);
        using (no_grad())
            foreach (var p in model.parameters()) p.uniform_(-1, 1, g);
        return model;
    }

    private static byte[][] Values(nn.Module m) => m.parameters().Select(p => p.detach().bytes.ToArray()).ToArray();

    [Theory]
    [InlineData(".pth")]
    [InlineData(".safetensors")]
    [InlineData(".dat")]
    public void Load_ThirteenMegabytes_EqualsTheSourceTensorForTensor(string ext)
    {
        var source = Model(1);
        var file = _dir.File("wide" + ext);
        CheckpointFile.Write(file, ModuleState.ForExport(source), CheckpointFile.FormatOf(file), overwrite: false);
        var model = Model(2);
        using var index = CheckpointFile.Open(file);
        Assert.True(index.Entries.All(e => e.ThreadSafe), "whole records should be read on every core");
        var plan = StateLoader.Plan(model, index, file, null, "");
        var (written, report) = StateLoader.Load(model, index, plan);
        Assert.Equal(12, written.Count);
        Assert.Empty(report.NonFinite);
        Assert.Equal(model.parameters().Select(p => p.Handle), written.Select(t => t.Handle)); // in model order
        foreach (var (a, b) in Values(source).Zip(Values(model))) Assert.True(a.AsSpan().SequenceEqual(b));
    }

    [Fact]
    public void Load_NonFiniteValuesOnAWorker_AreReportedByNameInModelOrder()
    {
        var source = Model(3);
        using (no_grad())
        {
            source.named_parameters().First(p => p.name == "e.weight").parameter[0, 0] = float.NaN;
            source.named_parameters().First(p => p.name == "a.bias").parameter[3] = float.PositiveInfinity;
        }
        var file = _dir.File("nan.pth");
        CheckpointFile.Write(file, ModuleState.ForExport(source), CheckpointFormat.PyTorch, overwrite: false);
        var model = Model(4);
        using var index = CheckpointFile.Open(file);
        var (_, report) = StateLoader.Load(model, index, StateLoader.Plan(model, index, file, null, ""));
        Assert.Equal(new[] { "a.bias", "e.weight" }, report.NonFinite);
    }

    [Theory]
    [InlineData(null)]      // every undo copy in memory, made on every core
    [InlineData(6L << 20)]  // the first few in memory on every core, the rest spilled to the undo file
    [InlineData(0L)]        // all spilled
    public void Init_FlippedByteInOneRecord_FailsItsCrcAndPutsBackWhatEveryWorkerWrote(long? undoMemory)
    {
        var source = Model(5);
        using (no_grad()) source.named_parameters().First(p => p.name == "c.weight").parameter[0, TensorIndex.Slice(0, 2)] = tensor(new[] { 1234.5f, -6789.25f });
        var file = _dir.File("flipped.pth");
        CheckpointFile.Write(file, ModuleState.ForExport(source), CheckpointFormat.PyTorch, overwrite: false);
        var bytes = File.ReadAllBytes(file);
        var marker = BitConverter.GetBytes(1234.5f).Concat(BitConverter.GetBytes(-6789.25f)).ToArray();
        int at = bytes.AsSpan().IndexOf(marker);
        Assert.True(at > 0);
        bytes[at + 5] ^= 0x40;
        File.WriteAllBytes(file, bytes);

        var model = Model(6);
        var before = Values(model);
        var e = Assert.Throws<InitCfgException>(() => new InitEngine().Initialize(model, new InitOptions
        {
            InitCfg = List(Cfg("type", "Pretrained", "checkpoint", file)),
            UndoMemoryLimit = undoMemory ?? new InitOptions().UndoMemoryLimit,
        }));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("CRC-32", e.Message);
        foreach (var (a, b) in before.Zip(Values(model))) Assert.True(a.AsSpan().SequenceEqual(b), "the model changed");
    }
}
