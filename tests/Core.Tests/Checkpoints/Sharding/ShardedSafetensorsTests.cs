using System.Text.Json;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;
using InitCfg.Core.Checkpoints.Sharding;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Checkpoints.Sharding;

public sealed class ShardedSafetensorsTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    // Ten Linear-like pairs (a 16x16 weight, 1,024 bytes, and a bias, 64 bytes) and one int64 counter: at 1,088 bytes
    // a shard, each pair fills one and the counter goes alone, so 11 shards.
    private static List<KeyValuePair<string, Tensor>> State(int pairs = 10)
    {
        var state = new List<KeyValuePair<string, Tensor>>();
        for (int i = 0; i < pairs; i++)
        {
            state.Add(new($"layers.{i}.weight", arange(256, dtype: ScalarType.Float32).reshape(16, 16) * (i + 1)));
            state.Add(new($"layers.{i}.bias", arange(16, dtype: ScalarType.Float32) - i));
        }
        return state;
    }

    private static void AssertSame(IReadOnlyList<KeyValuePair<string, Tensor>> expected, NamedTensors read)
    {
        Assert.Equal(expected.Select(e => e.Key).OrderBy(k => k, StringComparer.Ordinal), read.Items.Select(i => i.Key).OrderBy(k => k, StringComparer.Ordinal));
        var byName = read.Items.ToDictionary(i => i.Key, i => i.Value);
        foreach (var (name, t) in expected)
        {
            Assert.Equal(t.dtype, byName[name].dtype);
            Assert.Equal(t.shape, byName[name].shape);
            Assert.True(t.Equals(byName[name]), name);
        }
    }

    [Fact]
    public void Write_TenShards_EqualsMonolithicExportTensorForTensor()
    {
        var state = State();
        var folder = _dir.File("sharded");
        var mono = _dir.File("mono.safetensors");
        CheckpointFile.Write(mono, state, CheckpointFormat.Safetensors, overwrite: false);

        var index = ShardedSafetensors.Write(folder, state, 1088, overwrite: false);

        Assert.Equal(Path.Combine(folder, ShardPlan.IndexFileName), index);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => ShardPlan.ShardName(i, 10)).Append(ShardPlan.IndexFileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var sharded = CheckpointFile.Read(folder);
        using var monolithic = CheckpointFile.Read(mono);
        AssertSame(monolithic.Items, sharded);
        // Each shard is a safetensors file on its own, as any safetensors reader opens it.
        using var first = SafetensorsReader.Read(Path.Combine(folder, ShardPlan.ShardName(0, 10)));
        Assert.Equal(new[] { "layers.0.weight", "layers.0.bias" }, first.Items.Select(i => i.Key));
    }

    [Fact]
    public void Write_Index_HasTotalSizeAndSortedWeightMapAsTransformersWritesIt()
    {
        var state = State(2);
        var index = ShardedSafetensors.Write(_dir.File("m"), state, 1088, overwrite: false);

        var text = File.ReadAllText(index);
        Assert.EndsWith("}\n", text);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(2 * 1088, doc.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
        var map = doc.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)).ToList();
        Assert.Equal(new[]
        {
            ("layers.0.bias", "model-00001-of-00002.safetensors"), ("layers.0.weight", "model-00001-of-00002.safetensors"),
            ("layers.1.bias", "model-00002-of-00002.safetensors"), ("layers.1.weight", "model-00002-of-00002.safetensors"),
        }, map);
    }

    [Fact]
    public void WriteLater_QueuedWrites_EqualTheSynchronousExport()
    {
        var state = State();
        var folder = _dir.File("later");
        var done = 0;
        using (var writer = new ShardWriter(folder, state, 1088, overwrite: false))
        {
            for (int i = state.Count - 1; i >= 0; i--) writer.WriteLater(i, state[i].Value, () => Interlocked.Increment(ref done));
            writer.Commit();
        }
        Assert.Equal(state.Count, done);
        using var read = CheckpointFile.Read(folder);
        AssertSame(state, read);
    }

    [Fact]
    public void Write_LargeTensorsAtUnalignedOffsets_EqualTheMonolithicExportByteForByte()
    {
        // Tensors of a few MiB go to their shards mostly with O_DIRECT (whole pages) and their ends buffered; odd sizes
        // put every tensor's range at an offset that is no multiple of the page size.
        var state = new List<KeyValuePair<string, Tensor>>();
        var r = new Random(7);
        foreach (var (name, n) in new[] { ("a", 5), ("b", 786_433), ("c", 1_310_719), ("d", 3), ("e", 2_097_152), ("f", 999_999) })
        {
            var values = new float[n];
            for (int i = 0; i < n; i++) values[i] = (float)r.NextDouble();
            state.Add(new(name, tensor(values)));
        }
        var mono = _dir.File("mono.safetensors");
        CheckpointFile.Write(mono, state, CheckpointFormat.Safetensors, overwrite: false);
        foreach (bool later in new[] { false, true })
        {
            var folder = _dir.File(later ? "direct-later" : "direct");
            using (var writer = new ShardWriter(folder, state, 6 << 20, overwrite: false))
            {
                for (int i = 0; i < state.Count; i++)
                    if (later) writer.WriteLater(i, state[i].Value);
                    else writer.Write(i, state[i].Value);
                writer.Commit();
            }
            using var read = CheckpointFile.Read(folder);
            AssertSame(state, read);
        }
    }

    [Fact]
    public void WriteLater_AWriteFailsOnTheWorker_CommitThrowsAndNoShardIsLeft()
    {
        // A meta tensor has no bytes to write: its write fails on the worker, the writes queued after it are skipped
        // (their callbacks still run, so the caller gets its storage back), and nothing is committed.
        var state = State(2);
        var folder = _dir.File("failing");
        var done = 0;
        using (var writer = new ShardWriter(folder, state, 1088, overwrite: false))
        {
            using var meta = empty(new long[] { 16, 16 }, device: new Device("meta"));
            writer.WriteLater(0, meta, () => Interlocked.Increment(ref done));
            for (int i = 1; i < state.Count; i++) writer.WriteLater(i, state[i].Value, () => Interlocked.Increment(ref done));
            Assert.ThrowsAny<Exception>(() => writer.Commit());
            Assert.ThrowsAny<Exception>(() => writer.WriteLater(1, state[1].Value));
        }
        Assert.Equal(state.Count, done);
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any(), "a shard or temporary file was left");
    }

    [Fact]
    public void Write_OneShard_ModelSafetensorsWithoutIndex()
    {
        var written = ShardedSafetensors.Write(_dir.File("one"), State(2), 1L << 30, overwrite: false);

        Assert.Equal(ShardPlan.SingleFileName, Path.GetFileName(written));
        Assert.Equal(new[] { ShardPlan.SingleFileName }, Directory.GetFiles(_dir.File("one")).Select(Path.GetFileName));
        using var read = CheckpointFile.Read(_dir.File("one"));
        AssertSame(State(2), read);
    }

    [Fact]
    public void Write_FolderHoldsACheckpoint_RefusedWithoutOverwriteAndNothingChanges()
    {
        var folder = _dir.File("m");
        ShardedSafetensors.Write(folder, State(3), 1088, overwrite: false);
        var before = Directory.GetFiles(folder).ToDictionary(f => f, File.ReadAllBytes);

        var e = Assert.Throws<InitCfgException>(() => ShardedSafetensors.Write(folder, State(2), 1088, overwrite: false));

        Assert.Equal(ErrorIds.ExportTargetExists, e.ErrorId);
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(folder).Order());
        foreach (var (f, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(f));
    }

    [Fact]
    public void Write_Overwrite_RemovesShardsTheNewCheckpointDoesNotUse()
    {
        var folder = _dir.File("m");
        ShardedSafetensors.Write(folder, State(3), 1088, overwrite: false);
        File.WriteAllText(Path.Combine(folder, "README.md"), "kept");

        ShardedSafetensors.Write(folder, State(2), 1088, overwrite: true);

        Assert.Equal(new[] { "README.md", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", ShardPlan.IndexFileName }.Order(StringComparer.Ordinal),
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var read = CheckpointFile.Read(folder);
        AssertSame(State(2), read);

        ShardedSafetensors.Write(folder, State(1), 1L << 20, overwrite: true);
        Assert.Equal(new[] { "README.md", ShardPlan.SingleFileName }.Order(StringComparer.Ordinal),
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Write_PathIsAFile_ExportFailed()
    {
        var file = _dir.File("file");
        File.WriteAllText(file, "x");

        var e = Assert.Throws<InitCfgException>(() => ShardedSafetensors.Write(file, State(1), 1088, overwrite: true));

        Assert.Equal(ErrorIds.ExportFailed, e.ErrorId);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public void Write_Progress_CountsEveryTensorByteAcrossShards()
    {
        var reports = new List<long>();
        ShardedSafetensors.Write(_dir.File("p"), State(), 1088, overwrite: false, new SyncProgressForTests(reports.Add));

        Assert.Equal(10 * 1088, reports[^1]);
        Assert.Equal(reports.Order(), reports);
    }

    private sealed class SyncProgressForTests : IProgress<long>
    {
        private readonly Action<long> _report;
        public SyncProgressForTests(Action<long> report) => _report = report;
        public void Report(long value) => _report(value);
    }

    private string Sharded(int pairs = 3)
    {
        var folder = _dir.File("s");
        ShardedSafetensors.Write(folder, State(pairs), 1088, overwrite: true);
        return Path.Combine(folder, ShardPlan.IndexFileName);
    }

    private static void Rewrite(string index, Func<string, string> edit) => File.WriteAllText(index, edit(File.ReadAllText(index)));

    [Fact]
    public void Open_ShardNameLeavesTheFolder_CheckpointPathEscapes()
    {
        var index = Sharded();
        Rewrite(index, t => t.Replace("model-00001-of-00003.safetensors", "../model-00001-of-00003.safetensors"));

        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Open(index));

        Assert.Equal(ErrorIds.CheckpointPathEscapes, e.ErrorId);
    }

    [Theory]
    [InlineData("model-00002-of-00003.safetensors\"", "model-00009-of-00003.safetensors\"", "does not exist")]
    [InlineData("\"layers.0.bias\": \"model-00001-of-00003.safetensors\"", "\"layers.0.bias\": \"model-00002-of-00003.safetensors\"", "holds tensor layers.0.bias, which the index does not give it")]
    [InlineData("\"weight_map\"", "\"weights\"", "no weight_map")]
    [InlineData("\"metadata\"", "\"metadata\" [", "not valid JSON")]
    public void Open_IndexDisagreesWithShards_CheckpointUnreadable(string from, string to, string why)
    {
        var index = Sharded();
        Rewrite(index, t => t.Replace(from, to));

        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Open(index));

        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Open_IndexNamesItselfAsAShard_CheckpointUnreadableInsteadOfARecursion()
    {
        var index = Sharded();
        Rewrite(index, t => t.Replace("model-00002-of-00003.safetensors\"", ShardPlan.IndexFileName + "\""));

        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Open(index));

        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains(ShardPlan.IndexFileName, e.Message);
    }

    [Fact]
    public void Open_ShardIsALinkBackToTheFolder_CheckpointUnreadableInsteadOfARecursion()
    {
        var index = Sharded();
        var folder = Path.GetDirectoryName(index)!;
        Directory.CreateSymbolicLink(Path.Combine(folder, "loop"), folder);
        Rewrite(index, t => t.Replace("model-00002-of-00003.safetensors\"", "loop\""));

        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Open(index));

        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("directory", e.Message);
    }

    [Fact]
    public void Open_ShardHoldsATensorTheIndexOmits_CheckpointUnreadable()
    {
        var index = Sharded();
        using var doc = JsonDocument.Parse(File.ReadAllText(index));
        var map = doc.RootElement.GetProperty("weight_map").EnumerateObject().Where(p => p.Name != "layers.2.bias")
            .ToDictionary(p => p.Name, p => p.Value.GetString());
        File.WriteAllText(index, JsonSerializer.Serialize(new { weight_map = map }));

        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Open(index));

        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("layers.2.bias", e.Message);
    }

    [Fact]
    public void Open_Folder_LoadsThroughTheModelsStateLoader()
    {
        var folder = _dir.File("lin");
        using var source = nn.Linear(16, 16);
        ShardedSafetensors.Write(folder, ModuleState.ForExport(source), 100, overwrite: false);
        using var target = nn.Linear(16, 16);

        using var index = CheckpointFile.Open(folder);
        var report = StateLoader.Plan(target, index, folder, null, "");
        StateLoader.Load(target, index, report);

        Assert.True(source.weight!.Equals(target.weight!));
        Assert.True(source.bias!.Equals(target.bias!));
    }
}
