using System.Text.Json;
using InitCfg.Core.Building;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Checkpoints.Sharding;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Walk;

// Lazy builds set libtorch's process-wide default device for a moment: no other test may create tensors meanwhile.
[Collection(Tests.MMDet.DefaultGeneratorCollection.Name)]
public sealed class StreamedInitTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static object LlamaConfig(int hidden = 16, int inter = 40, int layers = 3, int vocab = 50) =>
        Walk.LlamaConfig.Build(hidden, inter, layers, vocab, qBias: true);

    // Linear and Embedding drawn (TruncNormal and Kaiming interleave two kinds of draws), the norms constant.
    private static object Cfg() => ConfigReader.FromJson(JsonSerializer.Serialize(new object[]
    {
        new { type = "TruncNormal", std = 0.02, layer = "Linear", bias = 0.5 },
        new { type = "Kaiming", layer = "Embedding" },
        new { type = "Constant", val = 1, bias = 0, layer = "LayerNorm" },
    }), ConfigPath.Root("init_cfg"))!;

    private static nn.Module Lazy(object config) => LazyModel.Build(() => new ModelBuilder().Build(config));

    // The shard size that cuts this model into exactly ten shards.
    private static long TenShards(nn.Module model)
    {
        var state = ModuleState.ForExport(model);
        for (long size = ShardedSafetensors.Plan(state, long.MaxValue).TotalSize; size > 0; size -= 64)
            if (ShardedSafetensors.Plan(state, size).Shards.Count == 10) return size;
        throw new InvalidOperationException("no size gives ten shards");
    }

    [Fact]
    public void Build_LlamaConfig_EveryTensorOnMetaWithItsShape()
    {
        var lazy = Lazy(LlamaConfig());
        using var memory = new ModelBuilder().Build(LlamaConfig());
        Assert.True(LazyModel.IsLazy(lazy));
        Assert.False(LazyModel.IsLazy(memory));
        Assert.All(lazy.parameters(), p => Assert.Equal(TorchSharp.DeviceType.META, p.device_type));
        Assert.Equal(memory.named_parameters().Select(p => (p.name, string.Join("x", p.parameter.shape))),
            lazy.named_parameters().Select(p => (p.name, string.Join("x", p.parameter.shape))));
        using var t = ones(2, 4); // the default device is CPU again
        Assert.Equal(TorchSharp.DeviceType.CPU, t.device_type);
    }

    [Fact]
    public void Forward_LazyModel_ThrowsModelIsLazy()
    {
        var lazy = LazyModel.Build(() => nn.Linear(4, 3));
        using var x = ones(2, 4);
        var e = Assert.Throws<InitCfgException>(() => lazy.call(x));
        Assert.Equal(ErrorIds.ModelIsLazy, e.ErrorId);
    }

    [Fact]
    public void Initialize_LazyIntoTenShards_FilesEqualTheInMemoryExportByteForByte()
    {
        var lazy = Lazy(LlamaConfig());
        using var memory = new ModelBuilder().Build(LlamaConfig());
        long shardSize = TenShards(memory);
        var streamedDir = _dir.File("streamed");
        var result = new InitEngine().Initialize(lazy, new InitOptions { InitCfg = Cfg(), Seed = 7, OutputPath = streamedDir, OutputShardSize = shardSize });
        new InitEngine().Initialize(memory, new InitOptions { InitCfg = Cfg(), Seed = 7 });
        var exportedDir = _dir.File("exported");
        ShardedSafetensors.Write(exportedDir, ModuleState.ForExport(memory), shardSize, overwrite: false);

        Assert.Equal(Path.Combine(streamedDir, ShardPlan.IndexFileName), result.OutputFile);
        var names = Directory.GetFiles(exportedDir).Select(f => Path.GetFileName(f)!).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(11, names.Count); // ten shards and the index
        Assert.Equal(names, Directory.GetFiles(streamedDir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        foreach (var name in names)
            Assert.True(File.ReadAllBytes(Path.Combine(exportedDir, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(streamedDir, name))), name);
        // And tensor for tensor through the reader.
        using (var read = ShardedSafetensors.Open(result.OutputFile!))
        {
            var state = ModuleState.ForExport(memory);
            Assert.Equal(state.Count, read.Entries.Count);
        }
        Assert.True(LazyModel.IsLazy(lazy)); // the values live in the shards only
        Assert.Equal(memory.parameters().Count(), result.ParametersWritten);
    }

    [Fact]
    public void Initialize_Lazy_ReportEqualsTheInMemoryRun()
    {
        var lazy = Lazy(LlamaConfig(layers: 2));
        using var memory = new ModelBuilder().Build(LlamaConfig(layers: 2));
        new InitEngine().Initialize(lazy, new InitOptions { InitCfg = Cfg(), Seed = 3, OutputPath = _dir.File("out"), OutputShardSize = 4096 });
        new InitEngine().Initialize(memory, new InitOptions { InitCfg = Cfg(), Seed = 3 });
        var expected = InitReport.For(memory);
        var actual = InitReport.For(lazy);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Name, actual[i].Name);
            Assert.Equal(expected[i].InitInfo, actual[i].InitInfo);
            Assert.Equal(expected[i].ConfigPath, actual[i].ConfigPath);
            Assert.Equal((expected[i].Mean, expected[i].Std, expected[i].Min, expected[i].Max), (actual[i].Mean, actual[i].Std, actual[i].Min, actual[i].Max));
        }
        Assert.Equal(InitReport.ToLog(memory), InitReport.ToLog(lazy));
    }

    [Fact]
    public void Initialize_LazyWithoutOutputPath_ThrowsOutputPathRequiredAndChangesNothing()
    {
        var lazy = Lazy(LlamaConfig(layers: 1));
        var e = Assert.Throws<InitCfgException>(() => new InitEngine().Initialize(lazy, new InitOptions { InitCfg = Cfg(), Seed = 1 }));
        Assert.Equal(ErrorIds.OutputPathRequired, e.ErrorId);
        Assert.False(Modules.InitAttachment.IsInitialized(lazy));
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void Initialize_LazyWithUnwrittenNorms_ThrowsLazyInitUnsupportedBeforeWriting()
    {
        var lazy = Lazy(LlamaConfig(layers: 1));
        var cfg = ConfigReader.FromJson("""[{"type": "Normal", "std": 0.02, "layer": ["Linear", "Embedding"]}]""", ConfigPath.Root("init_cfg"));
        var e = Assert.Throws<InitCfgException>(() => new InitEngine().Initialize(lazy, new InitOptions { InitCfg = cfg, Seed = 1, OutputPath = _dir.File("out") }));
        Assert.Equal(ErrorIds.LazyInitUnsupported, e.ErrorId);
        Assert.Contains("layers.0.input_layernorm.weight", e.Message);
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public void Initialize_LazyStoppedMidway_LeavesNoFilesAndTheModelAsItWas()
    {
        var lazy = Lazy(LlamaConfig());
        var before = lazy.named_parameters().Select(p => p.parameter).ToList();
        using var stop = new CancellationTokenSource();
        int reports = 0;
        var progress = new InlineProgress<long>(_ => { if (++reports == 5) stop.Cancel(); });
        var output = _dir.File("out");
        Assert.Throws<OperationCanceledException>(() => new InitEngine().Initialize(lazy,
            new InitOptions { InitCfg = Cfg(), Seed = 1, OutputPath = output, OutputShardSize = 4096, OutputProgress = progress, Cancellation = stop.Token }));
        Assert.Equal(5, reports);
        Assert.False(Directory.Exists(output)); // created by the run, and removed with its temporary shards
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
        Assert.Equal(before, lazy.named_parameters().Select(p => p.parameter)); // the same meta tensors, no storage
        Assert.All(lazy.parameters(), p => Assert.Null(ParameterWrites.Get(p)));
        Assert.False(Modules.InitAttachment.IsInitialized(lazy));
    }

    // A checkpoint of the model under a "backbone." prefix, from ten shards, with one tensor (lm_head) left out.
    private string Checkpoint(int layers)
    {
        using var source = new ModelBuilder().Build(LlamaConfig(layers: layers));
        new InitEngine().Initialize(source, new InitOptions { InitCfg = Cfg(), Seed = 11 });
        var state = ModuleState.ForExport(source).Where(e => !e.Key.StartsWith("lm_head.")).Select(e => new KeyValuePair<string, Tensor>("backbone." + e.Key, e.Value)).ToList();
        var index = ShardedSafetensors.Write(_dir.File("checkpoint"), state, 4096, overwrite: false);
        GC.KeepAlive(source);
        return index;
    }

    [Fact]
    public void Initialize_LazyWithPretrained_StreamsTheCheckpointIntoShardsEqualToTheInMemoryLoad()
    {
        var checkpoint = Checkpoint(layers: 3);
        // Normal first, then the load (Pretrained runs after the children): every tensor but lm_head comes from the file.
        var cfg = ConfigReader.FromJson(JsonSerializer.Serialize(new object[]
        {
            new { type = "Normal", std = 0.5, layer = new[] { "Linear", "Embedding", "LayerNorm" } },
            new { type = "Pretrained", checkpoint, prefix = "backbone." },
        }), ConfigPath.Root("init_cfg"));
        var lazy = Lazy(LlamaConfig());
        using var memory = new ModelBuilder().Build(LlamaConfig());
        long shardSize = TenShards(memory);
        var streamed = new InitEngine().Initialize(lazy, new InitOptions { InitCfg = cfg, Seed = 4, OutputPath = _dir.File("streamed"), OutputShardSize = shardSize });
        var inMemory = new InitEngine().Initialize(memory, new InitOptions { InitCfg = cfg, Seed = 4 });
        var exported = ShardedSafetensors.Write(_dir.File("exported"), ModuleState.ForExport(memory), shardSize, overwrite: false);

        foreach (var file in Directory.GetFiles(_dir.File("exported")))
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_dir.File("streamed"), Path.GetFileName(file)))), file);
        Assert.Equal(Path.GetFileName(exported), Path.GetFileName(streamed.OutputFile));
        Assert.Equal(inMemory.LoadReports.Single().Loaded, streamed.LoadReports.Single().Loaded);
        Assert.Equal(InitReport.ToLog(memory), InitReport.ToLog(lazy));
        Assert.Contains("PretrainedInit", InitReport.ToLog(lazy));
    }

    [Fact]
    public void Initialize_LazyWithPretrainedMissingATensor_ThrowsLazyInitUnsupported()
    {
        var checkpoint = Checkpoint(layers: 1);
        var cfg = ConfigReader.FromJson(JsonSerializer.Serialize(new[] { new { type = "Pretrained", checkpoint, prefix = "backbone." } }), ConfigPath.Root("init_cfg"));
        var lazy = Lazy(LlamaConfig(layers: 1));
        var e = Assert.Throws<InitCfgException>(() => new InitEngine().Initialize(lazy, new InitOptions { InitCfg = cfg, OutputPath = _dir.File("out") }));
        Assert.Equal(ErrorIds.LazyInitUnsupported, e.ErrorId);
        Assert.Contains("lm_head.weight", e.Message);
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public void Initialize_InMemoryWithOutputPath_WritesTheShardsToo()
    {
        using var memory = new ModelBuilder().Build(LlamaConfig(layers: 1));
        var result = new InitEngine().Initialize(memory, new InitOptions { InitCfg = Cfg(), Seed = 2, OutputPath = _dir.File("out"), OutputShardSize = 4096 });
        using var read = ShardedSafetensors.Open(result.OutputFile!);
        Assert.Equal(ModuleState.Entries(memory).Count, read.Entries.Count);
        Assert.False(LazyModel.IsLazy(memory));
    }

    [Fact]
    public void Initialize_InMemoryIntoAFolderWithACheckpoint_ThrowsExportTargetExistsBeforeAnyChange()
    {
        using var memory = new ModelBuilder().Build(LlamaConfig(layers: 1));
        var output = _dir.File("out");
        ShardedSafetensors.Write(output, ModuleState.ForExport(memory), 4096, overwrite: false);
        var e = Assert.Throws<InitCfgException>(() => new InitEngine().Initialize(memory, new InitOptions { InitCfg = Cfg(), Seed = 2, OutputPath = output, OutputShardSize = 4096 }));
        Assert.Equal(ErrorIds.ExportTargetExists, e.ErrorId);
        Assert.False(Modules.InitAttachment.IsInitialized(memory));
    }

    private sealed class InlineProgress<T> : IProgress<T>
    {
        private readonly Action<T> _report;
        public InlineProgress(Action<T> report) => _report = report;
        public void Report(T value) => _report(value);
    }
}
