using System.Text.Json;
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Initializers;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Bench;

/// <summary>
/// init-lazy-llama7b: a Llama-shaped model built lazily (meta device) and initialized straight into 2 GiB safetensors
/// shards, module by module, on a machine with less memory than the model. Size from $INITCFG_BENCH_LLAMA7B =
/// "hidden,intermediate,layers,vocab" (default 4096,11008,32,32000: Llama-2 7B's Linear layers, 6.7B parameters,
/// 27 GB). Records time, peak RSS against the bound (largest module's tensors + one shard + 300 MB) and disk written;
/// the shards are deleted right after. The floor is the larger of the two things the run cannot avoid: drawing every
/// value (the in-memory parallel draw rate of one 4096x11008 tensor, scaled) and writing every byte to disk (a 2 GiB
/// file written from a 64 MiB buffer with O_DIRECT where the file system takes it, as the shards are, and flushed,
/// scaled); the run draws the next tensors while the writer's worker writes the last ones.
/// </summary>
internal static class LazyLlama
{
    /// <summary>A Llama-shaped model config: embedding, blocks of q/k/v/o and gate/up/down Linear layers without bias, norms, lm_head.</summary>
    public static object Config(int hidden, int inter, int layers, int vocab) =>
        global::InitCfg.Core.Tests.Walk.LlamaConfig.Build(hidden, inter, layers, vocab, normBias: false);

    /// <summary>The init_cfg of both Llama cases: Normal(0.02) for Linear and Embedding, 1 for the norms.</summary>
    public static object InitCfg() => ConfigReader.FromJson(JsonSerializer.Serialize(new object[]
    {
        new { type = "Normal", std = 0.02, layer = new[] { "Linear", "Embedding" } },
        new { type = "Constant", val = 1, layer = "LayerNorm" },
    }), ConfigPath.Root("init_cfg"))!;

    public static BenchResult Run()
    {
        var dims = (Environment.GetEnvironmentVariable("INITCFG_BENCH_LLAMA7B") ?? "4096,11008,32,32000").Split(',').Select(int.Parse).ToArray();
        int hidden = dims[0], inter = dims[1], layers = dims[2], vocab = dims[3];
        const long shardSize = 2L << 30;
        var folder = Path.Combine(Path.GetTempPath(), $"initcfg-bench-{Environment.ProcessId}.lazy-llama");
        try
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var model = LazyModel.Build(() => new ModelBuilder().Build(Config(hidden, inter, layers, vocab)));
            double build = sw.Elapsed.TotalSeconds;
            long elements = model.parameters().Sum(p => p.numel());
            long bytes = elements * 4;
            long largest = model.modules().Prepend(model).Max(m => m.named_parameters(recurse: false).Sum(p => p.parameter.numel() * 4));
            sw.Restart();
            var result = new InitEngine().Initialize(model, new InitOptions { InitCfg = InitCfg(), Seed = 0, OutputPath = folder, OutputShardSize = shardSize });
            double init = sw.Elapsed.TotalSeconds;
            double peak = Measure.PeakRssMb();
            var files = Directory.GetFiles(folder);
            long disk = files.Sum(f => new FileInfo(f).Length);
            Directory.Delete(folder, recursive: true);

            double bound = (largest + shardSize) / 1048576.0 + 300;
            double draw = DrawSeconds(Math.Min(hidden, inter), Math.Max(hidden, inter)) * elements / ((double)hidden * inter);
            long sample = Math.Max(64L << 20, Math.Min(bytes, 2L << 30) / (64 << 20) * (64 << 20));
            double write = WriteSeconds(sample, out var how) * bytes / sample;
            double floor = Math.Max(draw, write);
            return new BenchResult("init-lazy-llama7b", elements, build + init, floor, (build + init) / floor, 1.5, peak,
                note: $"lazy {hidden},{inter},{layers},{vocab}: build {build:F2} s + streamed init {init:F1} s into {files.Length} files, " +
                      $"{disk / 1e9:F2} GB written ({result.ParametersWritten} tensors); peak RSS {peak:F0} MB against the bound {bound:F0} MB " +
                      $"(largest module {largest / 1048576.0:F0} MB + one {shardSize >> 20} MB shard + 300 MB): {(peak <= bound ? "within" : "OVER")}; " +
                      $"floor = max(draw every value {draw:F1} s, write every byte {write:F1} s ({how}))");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    // Median of 3 in-memory draws of a rows x cols float32 tensor, as the Normal initializer draws it (parallel chunks).
    private static double DrawSeconds(int rows, int cols)
    {
        using var t = empty(rows, cols);
        using var g = new Generator(0);
        ParallelDraws.Normal(t, 0, 0.02, g);
        var times = new List<double>();
        for (int i = 0; i < 3; i++) times.Add(Measure.Time(() => ParallelDraws.Normal(t, 0, 0.02, g)));
        return Measure.Median(times);
    }

    // Writing a file of this many bytes from a 64 MiB buffer, flushed to disk: the disk's own rate here. With O_DIRECT
    // where the file system takes it, as the shards are written (buffered, the kernel's copy into the page cache
    // costs more CPU than the disk takes time on this VM kind), else buffered.
    private static double WriteSeconds(long bytes, out string how)
    {
        var file = Path.Combine(Path.GetTempPath(), $"initcfg-bench-{Environment.ProcessId}.disk");
        const int size = 64 << 20, align = 4096;
        var array = GC.AllocateUninitializedArray<byte>(size + align, pinned: true);
        var pin = System.Runtime.InteropServices.GCHandle.Alloc(array, System.Runtime.InteropServices.GCHandleType.Pinned);
        int skip = (int)((align - pin.AddrOfPinnedObject() % align) % align);
        pin.Free();
        var buffer = new ArraySegment<byte>(array, skip, size);
        new Random(1).NextBytes(buffer);
        bytes = bytes / size * size;
        try
        {
            int fd = OperatingSystem.IsLinux() ? Open(file, 0x1 | 0x40 | 0x200 | 0x4000 | 0x80000, 0x180) : -1; // O_WRONLY|O_CREAT|O_TRUNC|O_DIRECT|O_CLOEXEC
            how = fd >= 0 ? "O_DIRECT" : "buffered";
            if (fd >= 0)
            {
                using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
                return Measure.Time(() =>
                {
                    for (long done = 0; done < bytes; done += size) RandomAccess.Write(handle, (ReadOnlySpan<byte>)buffer, done);
                    RandomAccess.FlushToDisk(handle);
                });
            }
            return Measure.Time(() =>
            {
                using var fs = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1);
                for (long done = 0; done < bytes; done += size) fs.Write(buffer);
                fs.Flush(flushToDisk: true);
            });
        }
        finally { File.Delete(file); }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int flags, int mode);
}
