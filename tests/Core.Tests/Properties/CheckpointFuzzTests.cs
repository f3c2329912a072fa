using CsCheck;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Checkpoints.Pickle;
using InitCfg.Core.Errors;
using InitCfg.Core.Tests.Checkpoints;
using Xunit.Abstractions;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Properties;

/// <summary>
/// The checkpoint readers fed random bytes (11,000 cases a run, seeded by <see cref="PropertyRunner"/>): mutations
/// of real files of every format (flipped bytes, cut, spliced, overwritten, random noise), of a real pickle, and
/// of a sharded checkpoint's index and shards.
/// Whatever the bytes, opening and reading ends in a checkpoint or a <see cref="InitCfgException"/> with a reader
/// error id naming the file, never another exception, and never allocates more than the file could justify.
/// </summary>
public sealed class CheckpointFuzzTests : IDisposable
{
    private const int FileCases = 8500;
    private const int PickleCases = 1500;
    private const int ShardedCases = 1000;

    private readonly ITestOutputHelper _output;
    private readonly TempFolder _dir = new();
    private readonly (string Ext, byte[] Bytes)[] _samples;
    private readonly byte[] _pickle;

    public CheckpointFuzzTests(ITestOutputHelper output)
    {
        _output = output;
        var model = Net("Net", ("conv", nn.Conv2d(2, 3, 3)), ("bn", nn.BatchNorm2d(3)), ("fc", nn.Linear(3, 2)));
        var state = ModuleState.ForExport(model);
        _samples = new[] { ".pth", ".safetensors", ".dat" }.Select(ext =>
        {
            var file = _dir.File("sample" + ext);
            CheckpointFile.Write(file, state, CheckpointFile.FormatOf(file), overwrite: false);
            return (ext, File.ReadAllBytes(file));
        }).Append((".pth", TorchSaveSamples.BatchNorm)).ToArray();
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(TorchSaveSamples.BatchNorm));
        using var pkl = zip.Entries.First(e => e.FullName.EndsWith("data.pkl")).Open();
        using var ms = new MemoryStream();
        pkl.CopyTo(ms);
        _pickle = ms.ToArray();
    }

    public void Dispose() => _dir.Dispose();

    private static readonly Gen<(int Sample, ulong Seed)> Cases = Gen.Select(Gen.Int[0, 4], Gen.ULong);

    // Deterministic from the seed: one to three mutations of a sample, or pure noise (Sample == 4).
    private static byte[] Mutate(byte[] sample, bool noise, ulong seed)
    {
        var r = new Random((int)(seed ^ (seed >> 32)));
        if (noise)
        {
            var bytes = new byte[r.Next(0, 4096)];
            r.NextBytes(bytes);
            return bytes;
        }
        var b = sample.ToList();
        int times = r.Next(1, 4);
        for (int t = 0; t < times && b.Count > 0; t++)
        {
            int at = r.Next(b.Count);
            switch (r.Next(6))
            {
                case 0: b[at] ^= (byte)(1 << r.Next(8)); break;
                case 1: b.RemoveRange(at, b.Count - at); break;
                case 2: { var junk = new byte[r.Next(1, 64)]; r.NextBytes(junk); b.InsertRange(at, junk); break; }
                case 3: for (int i = at; i < Math.Min(b.Count, at + r.Next(1, 16)); i++) b[i] = (byte)r.Next(256); break;
                case 4: b[at] = new byte[] { 0x00, 0x7f, 0x80, 0xff }[r.Next(4)]; break;
                default: b.RemoveRange(at, Math.Min(b.Count - at, r.Next(1, 32))); break;
            }
        }
        return b.ToArray();
    }

    [Fact]
    public void Open_RandomBytes_EndInACheckpointOrACheckpointError()
    {
        var file = _dir.File("fuzz");
        var outcomes = PropertyRunner.Run("checkpoint-files", Cases, FileCases, c =>
        {
            bool noise = c.Sample == 4;
            var (ext, bytes) = noise ? (".pth", Array.Empty<byte>()) : _samples[c.Sample];
            var path = file + ext;
            File.WriteAllBytes(path, Mutate(bytes, noise, c.Seed));
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                using var state = CheckpointFile.Read(path);
                return "read " + state.Format;
            }
            catch (InitCfgException e)
            {
                Assert.True(e.ErrorId is ErrorIds.CheckpointUnreadable or ErrorIds.CheckpointUnsafe, e.ErrorId + ": " + e.Message);
                Assert.Contains(path, e.Message);
                return e.ErrorId;
            }
            finally
            {
                Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 64 << 20, "allocated more than 64 MB");
                File.Delete(path);
            }
        }, c => $"sample {c.Sample}, seed {c.Seed}", _output);
        Assert.True(outcomes.Keys.Any(k => k.StartsWith("read")), "no mutation was harmless: the mutations are too coarse");
    }

    [Fact]
    public void Open_RandomShardedIndexOrShardBytes_EndInACheckpointOrACheckpointError()
    {
        // A real three-shard checkpoint; each case mutates its index (or pure noise for it) or one of its shards.
        var model = Net("Net", ("conv", nn.Conv2d(2, 3, 3)), ("bn", nn.BatchNorm2d(3)), ("fc", nn.Linear(3, 2)));
        var state = ModuleState.ForExport(model);
        var source = _dir.File("sharded-source");
        var index = InitCfg.Core.Checkpoints.Sharding.ShardedSafetensors.Write(source, state, 200, overwrite: false);
        var files = Directory.GetFiles(source).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        Assert.True(files.Length >= 3, $"{files.Length} files");
        var folder = _dir.File("sharded");
        var outcomes = PropertyRunner.Run("sharded-checkpoints", Cases, ShardedCases, c =>
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Directory.CreateDirectory(folder);
            foreach (var f in files) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
            var r = new Random((int)c.Seed);
            var target = c.Sample < 2 ? Path.Combine(folder, Path.GetFileName(index)) : Path.Combine(folder, Path.GetFileName(files[r.Next(files.Length)]));
            File.WriteAllBytes(target, Mutate(File.ReadAllBytes(target), c.Sample == 4, c.Seed));
            var path = Path.Combine(folder, Path.GetFileName(index));
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                using var read = CheckpointFile.Read(path);
                return "read";
            }
            catch (InitCfgException e)
            {
                Assert.True(e.ErrorId is ErrorIds.CheckpointUnreadable or ErrorIds.CheckpointUnsafe or ErrorIds.CheckpointPathEscapes,
                    e.ErrorId + ": " + e.Message);
                Assert.Contains(folder, e.Message);
                return e.ErrorId;
            }
            finally
            {
                Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 64 << 20, "allocated more than 64 MB");
            }
        }, c => $"sample {c.Sample}, seed {c.Seed}", _output);
        Assert.True(outcomes.Keys.Any(k => k.StartsWith("read")), "no mutation was harmless: the mutations are too coarse");
    }

    [Fact]
    public void Load_RandomPickleBytes_EndInAValueOrACheckpointError()
    {
        PropertyRunner.Run("pickles", Cases, PickleCases, c =>
        {
            var bytes = Mutate(_pickle, c.Sample == 4, c.Seed);
            try
            {
                RestrictedUnpickler.Load(bytes, "fuzz.pkl");
                return "loaded";
            }
            catch (InitCfgException e)
            {
                Assert.True(e.ErrorId is ErrorIds.CheckpointUnreadable or ErrorIds.CheckpointUnsafe, e.ErrorId + ": " + e.Message);
                return e.ErrorId;
            }
        }, c => $"sample {c.Sample}, seed {c.Seed}", _output);
    }
}
