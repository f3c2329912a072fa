using System.Text.Json;
using InitCfg.Bench;
using InitCfg.Core.Building;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Configs;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using TorchSharp;
using static TorchSharp.torch;

// One case per process (so peak memory belongs to that case): InitCfg.Bench <case> [--quick]
var name = args.Length > 0 ? args[0] : "list";
bool quick = args.Contains("--quick");
int reps = quick ? 5 : 7;
var cases = new Dictionary<string, Func<BenchResult>>
{
    ["init-resnet50"] = () => InitResNet50(reps),
    ["init-mlp302m"] = () => InitMlp(quick ? 4 : 36, 5),
    ["report-mlp302m"] = () => ReportMlp(quick ? 4 : 36, reps),
    ["export-resnet50-pth"] = () => Export("pth", reps),
    ["export-resnet50-safetensors"] = () => Export("safetensors", reps),
    ["load-resnet50-pth"] = () => Load("pth", reps),
    ["load-resnet50-safetensors"] = () => Load("safetensors", reps),
    ["hostile-inputs"] = () => Hostile(reps),
    ["load-views-48x64mib"] = () => LoadViews(reps),
    ["read-mmdet-configs"] = () => ReadMmdetConfigs(reps),
    ["export-mmdet-configs"] = () => ExportMmdetConfigs.Run(reps),
    ["mmdet-retinanet"] = () => BuildInitRetinaNet(quick ? 3 : 5),
    ["export-shards-llama"] = () => ExportShardsLlama(quick ? 1 : 3),
    ["init-lazy-llama7b"] = LazyLlama.Run,
    ["build-resnet152-pytorch"] = () => BuildResNet152VsPyTorch(reps),
    ["load-resnet50-pytorch"] = () => LoadResNet50VsPyTorch(reps),
    ["parallel-resnet50"] = () => ParallelVsSerial("parallel-resnet50", Build(new { type = "resnet50" }), ResNetCfg(), quick ? reps : 15),
    ["report-resnet152-html"] = () => ReportResNet152Html(reps),
    ["erfinv-vector"] = () => ErfinvVector(quick, reps),
    ["parallel-mlp302m"] = () => ParallelVsSerial(quick ? "parallel-mlp32m" : "parallel-mlp302m", Mlp(quick ? 4 : 36),
        Cfg(new { type = "TruncNormal", layer = "Linear", std = 0.02, bias = 0.0 }), 5),
};
if (!cases.TryGetValue(name, out var run))
{
    Console.WriteLine(string.Join(Environment.NewLine, cases.Keys));
    return name == "list" ? 0 : 2;
}
var result = run();
// A peer that could not run leaves its ratio NaN, written as "NaN" rather than failing the case.
Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
return 0;

static nn.Module Build(object config) => new ModelBuilder().Build(ConfigReader.FromJson(JsonSerializer.Serialize(config), ConfigPath.Root("model")));

static object Cfg(params object[] items) => ConfigReader.FromJson(JsonSerializer.Serialize(items), ConfigPath.Root("init_cfg"))!;

static long Params(nn.Module m) => m.parameters().Sum(p => p.numel());

// RetinaNet R50-FPN from examples/retinanet_r50_fpn_1x_coco.yaml (Pretrained backbone init removed, as in the
// MMDetection reference): build (with its construction draws) + init_weights on one thread, against MMDetection
// 3.3's figure on this machine kind (build 0.75 s + init 0.50 s, one thread), which is not re-measured here.
static BenchResult BuildInitRetinaNet(int reps)
{
    torch.set_num_threads(1);
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "examples", "retinanet_r50_fpn_1x_coco.yaml"))) dir = dir.Parent;
    var config = (ConfigMap)ConfigReader.FromFile(Path.Combine(dir!.FullName, "examples", "retinanet_r50_fpn_1x_coco.yaml"))!;
    ((ConfigMap)config["backbone"]!).Set("init_cfg", null);
    var builds = new List<double>();
    var inits = new List<double>();
    for (int i = 0; i < reps; i++)
    {
        torch.random.manual_seed(1);
        nn.Module? model = null;
        builds.Add(Measure.Time(() => model = new ModelBuilder().Build(config)));
        inits.Add(Measure.Time(() => new InitEngine().Initialize(model!, new InitOptions { Seed = 0 })));
        model!.Dispose();
    }
    double build = Measure.Median(builds), init = Measure.Median(inits);
    // With MMDET_SRC (an MMDetection 3.3 tree; MMCV 2.1, MMEngine and addict on PYTHONPATH: bench/README.md) MMDetection
    // builds and initializes the same config in the same run, and is the floor; otherwise the floor is its recorded figure.
    if (Environment.GetEnvironmentVariable("MMDET_SRC") is { Length: > 0 } mmdetSrc)
    {
        if (MmdetSample.RunPython("mmdet_build_init.py", new[] { mmdetSrc, reps.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "MMDetection", out var why) is { } r)
        {
            double mb = r.GetProperty("build_s").GetDouble(), mi = r.GetProperty("init_s").GetDouble();
            return new BenchResult("mmdet-retinanet", 37_968_692, build + init, mb + mi, (build + init) / (mb + mi), 1.0, Measure.PeakRssMb(),
                note: $"side by side, one thread: InitCfg build {build:F3} s + init {init:F3} s; MMDetection {r.GetProperty("mmdet").GetString()} (torch {r.GetProperty("torch").GetString()}) build {mb:F3} s + init {mi:F3} s; floor: MMDetection");
        }
        return Recorded(build, init, $"MMDetection was not timed: {why}");
    }
    return Recorded(build, init, "MMDET_SRC is not set, so MMDetection was not timed (bench/README.md)");
}

static BenchResult Recorded(double build, double init, string why)
{
    const double mmdet = 0.75 + 0.50;
    return new BenchResult("mmdet-retinanet", 37_968_692, build + init, mmdet, (build + init) / mmdet, 1.0, Measure.PeakRssMb(),
        note: $"one thread; build {build:F3} s + init {init:F3} s; floor_s is MMDetection 3.3's recorded build 0.75 s + init 0.50 s (one thread, same machine kind); {why}");
}

// ResNet-50 with MMDetection's backbone init_cfg; the floor makes the same draws on the same tensors in a plain loop.
static BenchResult InitResNet50(int reps)
{
    var model = Build(new { type = "resnet50" });
    var cfg = Cfg(new { type = "Kaiming", layer = "Conv2d" }, new { type = "Constant", val = 1, layer = new[] { "_BatchNorm", "GroupNorm" } });
    var engine = new InitEngine();
    void Engine() => engine.Initialize(model, new InitOptions { InitCfg = cfg, Seed = 0, Force = true });
    Action EngineWith(long limit) => () => engine.Initialize(model, new InitOptions { InitCfg = cfg, Seed = 0, Force = true, UndoMemoryLimit = limit });
    var convs = ModuleNode.Build(model).PostOrder().Select(n => n.Module).OfType<TorchSharp.Modules.Conv2d>().ToArray();
    var norms = ModuleNode.Build(model).PostOrder().Select(n => n.Module).OfType<TorchSharp.Modules.BatchNorm2d>().ToArray();
    void Floor()
    {
        using var g = new Generator(0);
        using var _ = no_grad();
        foreach (var c in convs)
        {
            var w = c.weight!;
            double fanOut = w.shape[0] * w.shape[2] * w.shape[3];
            w.normal_(0, Math.Sqrt(2.0) / Math.Sqrt(fanOut), g);
            c.bias?.fill_(0);
        }
        foreach (var b in norms) { b.weight!.fill_(1); b.bias!.fill_(0); }
    }
    var (e, f) = Measure.Interleaved(reps, Engine, Floor);
    double peak = Measure.PeakRssMb();
    var undo = Undo(model, engine, cfg, Floor, reps,
        convs.Select(c => (Tensor)c.weight!).Concat(norms.SelectMany(b => new Tensor[] { b.weight!, b.bias! })).ToArray());
    var variants = UndoVariants(EngineWith, Floor, reps, ("all spilled (UndoMemoryLimit 0)", 0));
    Engine();
    var byEngine = convs.Select(c => c.weight!.clone()).ToArray();
    Floor();
    bool same = convs.Select((c, i) => c.weight!.Equals(byEngine[i])).All(x => x);
    return new BenchResult("init-resnet50", Params(model), e, f, e / f, 1.05, peak,
        note: $"MMEngine 0.150 s = 1.51x its floor; engine and floor draw identical tensors: {same}; default undo (in memory): peak RSS {peak:F0} MB; {undo}; {variants}");
}

// Export-InitReport's .html of a seeded ResNet-152 (Kaiming + Constant), written to a file, against the issue's
// budget of 1 s (floor_s); the process CPU time per page is in the note, as the machine is shared.
static BenchResult ReportResNet152Html(int reps)
{
    random.manual_seed(0); // the constructors' draws too: the same page every run
    var model = Build(new { type = "resnet152" });
    new InitEngine().Initialize(model, new InitOptions { InitCfg = ResNetCfg(), Seed = 0, Force = true });
    var file = Scratch("html");
    var cpu = new List<double>();
    try
    {
        var proc = System.Diagnostics.Process.GetCurrentProcess();
        void Page()
        {
            proc.Refresh();
            var before = proc.TotalProcessorTime;
            ReportExporter.Export(model, file, overwrite: true);
            proc.Refresh();
            cpu.Add((proc.TotalProcessorTime - before).TotalSeconds);
        }
        Page(); // warm-up: JIT, fonts
        cpu.Clear();
        var times = new List<double>();
        for (int i = 0; i < reps; i++) times.Add(Measure.Time(Page));
        double e = Measure.Median(times);
        long bytes = new FileInfo(file).Length;
        return new BenchResult("report-resnet152-html", Params(model), e, 1.0, e / 1.0, 1.0, Measure.PeakRssMb(),
            note: $"floor_s: the issue's budget (1 s); page {bytes / 1048576.0:F1} MB, 60 charts; process CPU {Measure.Median(cpu):F3} s per page on {Environment.ProcessorCount} cores; load average {LoadAverage()}");
    }
    finally { File.Delete(file); }
}

// PyTorch 1.13's erfinv 16 values at a time (glibc's erff and expf in AVX-512) against glibc's scalar calls, on
// 64M values from TruncNormal's default range, both on every core; without --quick every float in (-1, 1) is
// also compared bit for bit (about 2.1 billion values, a minute).
static BenchResult ErfinvVector(bool quick, int reps)
{
    var random = new Random(1);
    double edge = 2 * InitCfg.Core.Initializers.InitMath.NormCdf(2) - 1;
    var y = new float[64 << 20];
    for (int i = 0; i < y.Length; i++) y[i] = (float)((random.NextDouble() * 2 - 1) * edge);
    var work = new float[y.Length];
    void Run(bool vector)
    {
        y.CopyTo(work, 0);
        InitCfg.Core.Initializers.PyTorchErfinv.Vectorized = vector;
        InitCfg.Core.Initializers.PyTorchErfinv.Apply(work);
    }
    var (e, f) = Measure.Interleaved(reps, () => Run(true), () => Run(false));
    string exhaustive = "not run (--quick)";
    if (!quick)
    {
        const int block = 1 << 24;
        var a = new float[block];
        var b = new float[block];
        long differ = 0, total = 0;
        for (uint start = 0; start < 0x3F800000u; start += block)
            foreach (uint sign in new[] { 0u, 0x80000000u })
            {
                int n = (int)Math.Min(block, 0x3F800000u - start);
                for (int i = 0; i < n; i++) a[i] = BitConverter.UInt32BitsToSingle((start + (uint)i) | sign);
                Array.Copy(a, b, n);
                InitCfg.Core.Initializers.PyTorchErfinv.Vectorized = true;
                InitCfg.Core.Initializers.PyTorchErfinv.Apply(a.AsSpan(0, n));
                InitCfg.Core.Initializers.PyTorchErfinv.Vectorized = false;
                InitCfg.Core.Initializers.PyTorchErfinv.Apply(b.AsSpan(0, n));
                for (int i = 0; i < n; i++)
                    if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i])) differ++;
                total += n;
            }
        exhaustive = $"{total:N0} floats, {differ} differ";
    }
    InitCfg.Core.Initializers.PyTorchErfinv.Vectorized = true;
    return new BenchResult("erfinv-vector", y.Length, e, f, e / f, 1.0, Measure.PeakRssMb(),
        note: $"engine_s: erfinv of 64M floats from TruncNormal's default range, 16 at a time (AVX-512: {InitCfg.Core.Initializers.PyTorchErfinv.Vectorized}); " +
              $"floor_s: the same through glibc's scalar erff/expf, eight interleaved; both on every core; every float in (-1, 1) vector vs scalar: {exhaustive}");
}

static object ResNetCfg() =>
    Cfg(new { type = "Kaiming", layer = "Conv2d" }, new { type = "Constant", val = 1, layer = new[] { "_BatchNorm", "GroupNorm" } });

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

// The same seeded init with draws on every core against draws on one (ParallelDraws.Enabled, as
// INITCFG_SERIAL_DRAWS=1 sets it), interleaved in one process, and whether the two give the same bytes and
// leave the same generator state behind.
static BenchResult ParallelVsSerial(string name, nn.Module model, object cfg, int reps)
{
    var engine = new InitEngine();
    // The floor is the engine as the issue measured it: libtorch's normal_ and uniform_ on one core and erfinv
    // through glibc's scalar calls. The third variant (one core, this engine's own draw kernels and vector erfinv)
    // tells the gain of the kernels from that of the cores apart.
    void Run(bool parallel, bool ownKernels, bool seeded = true)
    {
        InitCfg.Core.Initializers.ParallelDraws.Enabled = parallel;
        InitCfg.Core.Initializers.PyTorchDraws.Enabled = ownKernels;
        InitCfg.Core.Initializers.PyTorchErfinv.Vectorized = ownKernels;
        if (seeded) engine.Initialize(model, new InitOptions { InitCfg = cfg, Seed = 0, Force = true });
        else GlobalGenerator.Use(() => engine.Initialize(model, new InitOptions { InitCfg = cfg, Force = true }));
    }
    var proc = System.Diagnostics.Process.GetCurrentProcess();
    var cpu = new[] { new List<double>(), new List<double>(), new List<double>() };
    Action Timed(int variant, bool parallel, bool ownKernels) => () =>
    {
        proc.Refresh();
        var before = proc.TotalProcessorTime;
        Run(parallel, ownKernels);
        proc.Refresh();
        cpu[variant].Add((proc.TotalProcessorTime - before).TotalSeconds);
    };
    var t = Measure.Interleaved(reps, new[] { Timed(0, true, true), Timed(1, false, false), Timed(2, false, true) });
    double parallel = t[0], serial = t[1], serialOwn = t[2];
    (byte[][] Bytes, byte[] State) Result(bool parallel, bool ownKernels)
    {
        random.manual_seed(7); // the unseeded path draws from the default generator: its state after is comparable
        Run(parallel, ownKernels, seeded: false);
        using var state = get_rng_state();
        return (model.parameters().Select(p => p.detach().bytes.ToArray()).ToArray(), state.bytes.ToArray());
    }
    var a = Result(false, false);
    var b = Result(true, true);
    bool same = a.Bytes.Zip(b.Bytes).All(x => x.First.AsSpan().SequenceEqual(x.Second)) && a.State.AsSpan().SequenceEqual(b.State);
    InitCfg.Core.Initializers.ParallelDraws.Enabled = true;
    InitCfg.Core.Initializers.PyTorchDraws.Enabled = true;
    InitCfg.Core.Initializers.PyTorchErfinv.Vectorized = true;
    return new BenchResult(name, Params(model), parallel, serial, parallel / serial, 0.6, Measure.PeakRssMb(),
        note: $"engine_s: draws on {Environment.ProcessorCount} cores with the engine's own normal_/uniform_ kernels (on: {InitCfg.Core.Initializers.PyTorchDraws.Enabled}), erfinv 16 values at a time (AVX-512: {InitCfg.Core.Initializers.PyTorchErfinv.Vectorized}); " +
              $"floor_s: the engine as the issue measured it, libtorch's normal_/uniform_ on one core (INITCFG_SERIAL_DRAWS=1) and erfinv through glibc's scalar calls; " +
              $"one core with the own kernels and vector erfinv: {serialOwn:F3} s (ratio {parallel / serialOwn:F3}); " +
              $"process CPU per run: engine {Measure.Median(cpu[0]):F3} s, floor {Measure.Median(cpu[1]):F3} s, one core + own kernels {Measure.Median(cpu[2]):F3} s; load average {LoadAverage()}; " +
              $"bit-identical weights and generator state after (engine vs floor): {same}; the machine is shared, so figures are noisy");
}

// What all-or-nothing costs: the undo copies a run keeps until it commits (bytes reported by the engine), and, for
// comparison, the time the former undo took (a libtorch clone of each tensor written) as the floor with those clones
// made first against the bare floor, in the same run.
static string Undo(nn.Module model, InitEngine engine, object cfg, Action floor, int reps, Tensor[] written)
{
    var result = engine.Initialize(model, new InitOptions { InitCfg = cfg, Seed = 0, Force = true });
    long undoBytes = result.UndoBytes;
    long writtenBytes = written.Sum(t => t.numel() * t.element_size());
    long modelBytes = model.parameters().Sum(p => p.numel() * p.element_size());
    void FloorWithUndo()
    {
        var copies = new List<Tensor>(written.Length);
        using (no_grad()) foreach (var t in written) copies.Add(t.detach().clone());
        floor();
        foreach (var c in copies) c.Dispose();
    }
    var (withUndo, bare) = Measure.Interleaved(reps, FloorWithUndo, floor);
    return $"undo copies {undoBytes / 1048576.0:F1} MB, {result.UndoSpilledBytes / 1048576.0:F1} MB of it spilled ({100.0 * undoBytes / modelBytes:F0}% of the {modelBytes / 1048576.0:F0} MB of parameters; the tensors written are {writtenBytes / 1048576.0:F1} MB); " +
           $"for comparison, the former undo (libtorch clone() copies) made before the floor: {withUndo:F3} s / bare floor {bare:F3} s = {withUndo / bare:F3}x";
}

// The engine with other undo memory budgets, each interleaved with the same floor; the peak is reset before each
// (VmHWM, through /proc/self/clear_refs), so it is that variant's own.
static string UndoVariants(Func<long, Action> engineWith, Action floor, int reps, params (string Name, long Limit)[] variants)
{
    var parts = new List<string>();
    foreach (var (name, limit) in variants)
    {
        var engine = engineWith(limit);
        engine();
        Measure.ResetPeak();
        double rss = Measure.RssMb();
        var (e, f) = Measure.Interleaved(reps, engine, floor);
        parts.Add($"{name}: engine {e:F3} s / floor {f:F3} s = {e / f:F3}x, peak RSS {Measure.PeakRssMb():F0} MB (RSS {rss:F0} MB before)");
    }
    return string.Join("; ", parts);
}

static nn.Module Mlp(int pairs)
{
    var modules = new List<object>();
    for (int i = 0; i < pairs; i++)
    {
        modules.Add(new { type = "Linear", in_features = 1024, out_features = 4096 });
        modules.Add(new { type = "Linear", in_features = 4096, out_features = 1024 });
    }
    return Build(new { type = "Sequential", modules });
}

// The 302M-parameter stack with TruncNormal(std=0.02); the floor is PyTorch's trunc_normal_ recipe in a plain loop.
static BenchResult InitMlp(int pairs, int reps)
{
    double before = Measure.RssMb();
    var model = Mlp(pairs);
    double modelMb = Params(model) * 4 / 1048576.0;
    var cfg = Cfg(new { type = "TruncNormal", layer = "Linear", std = 0.02, bias = 0.0 });
    var engine = new InitEngine();
    void Engine() => engine.Initialize(model, new InitOptions { InitCfg = cfg, Seed = 0, Force = true });
    Action EngineWith(long limit) => () => engine.Initialize(model, new InitOptions { InitCfg = cfg, Seed = 0, Force = true, UndoMemoryLimit = limit });
    var linears = model.modules().OfType<TorchSharp.Modules.Linear>().ToArray();
    void Floor()
    {
        using var g = new Generator(0);
        using var _ = no_grad();
        foreach (var l in linears)
        {
            var w = l.weight!;
            w.uniform_(-1, 1, g);
            InitCfg.Core.Initializers.PyTorchErfinv.Apply(w); // PyTorch 1.13's erfinv: what makes the result bit-identical
            w.mul_(0.02 * Math.Sqrt(2.0));
            w.add_(0.0);
            w.clamp_(-2.0, 2.0);
            l.bias!.fill_(0.0);
        }
    }
    var (e, f) = Measure.Interleaved(reps, Engine, Floor);
    double peak = Measure.PeakRssMb();
    // Fewer repetitions for the comparisons: each pass is seconds long.
    var undo = Undo(model, engine, cfg, Floor, 3, model.parameters().Select(p => (Tensor)p).ToArray());
    var variants = UndoVariants(EngineWith, Floor, 3, ("all in memory (UndoMemoryLimit max)", long.MaxValue), ("all spilled (UndoMemoryLimit 0)", 0));
    return new BenchResult($"init-mlp{(pairs == 36 ? "302m" : pairs * 8 + "m")}", Params(model), e, f, e / f, 1.05, peak,
        note: $"PyTorch+MMEngine 14.4 s for 302M; model {modelMb:F0} MB, process {before:F0} MB before building; default undo ({InitOptions.DefaultUndoMemoryLimit >> 20} MiB in memory, the rest spilled): peak - model - baseline = {peak - modelMb - before:F0} MB; {undo}; {variants}");
}

// Report statistics against one pass of libtorch's own reductions per tensor.
static BenchResult ReportMlp(int pairs, int reps)
{
    var model = Mlp(pairs);
    var ps = model.parameters().ToArray();
    void Engine() => InitReport.For(model);
    void Floor()
    {
        foreach (var p in ps)
        {
            using var _ = no_grad();
            var (s, m) = std_mean(p);
            var (mn, mx) = p.aminmax();
            s.Dispose(); m.Dispose(); mn.Dispose(); mx.Dispose();
        }
    }
    var (e, f) = Measure.Interleaved(reps, Engine, Floor);
    return new BenchResult($"report-mlp{(pairs == 36 ? "302m" : pairs * 8 + "m")}", Params(model), e, f, e / f, 1.5, Measure.PeakRssMb(),
        note: "floor: std_mean + aminmax per tensor (float32); engine: mean/std (float64 accumulation), min, max");
}

static string Scratch(string ext) => Path.Combine(Path.GetTempPath(), $"initcfg-bench-{Environment.ProcessId}.{ext}");

static BenchResult Export(string ext, int reps)
{
    var model = Build(new { type = "resnet50" });
    var file = Scratch(ext);
    var copy = file + ".copy";
    var format = CheckpointFile.FormatOf(file);
    try
    {
        CheckpointFile.Write(file, ModuleState.ForExport(model), format, overwrite: true);
        var (e, f) = Measure.Interleaved(reps,
            () => CheckpointFile.Write(file, ModuleState.ForExport(model), format, overwrite: true),
            () => { File.Copy(file, copy, overwrite: true); using var fs = new FileStream(copy, FileMode.Open); fs.Flush(flushToDisk: true); });
        return new BenchResult($"export-resnet50-{ext}", Params(model), e, f, e / f, 3.0, Measure.PeakRssMb(),
            note: $"floor: copying a file of the same size ({new FileInfo(file).Length / 1048576.0:F0} MB) and flushing it");
    }
    finally { File.Delete(file); File.Delete(copy); }
}

// A Llama-shaped model (embedding, blocks of attention q/k/v/o and MLP gate/up/down Linear layers without bias, two
// norms a block, final norm, lm_head), built and initialized in memory, then written as Hugging Face shards of
// 512 MiB against the floor of the same tensors written as one .safetensors file. The size comes from
// $INITCFG_BENCH_LLAMA = "hidden,intermediate,layers,vocab" (default 1536,4096,16,32000: 0.55B parameters, 2.2 GB;
// Llama-2 7B is 4096,11008,32,32000). Disk written is the shards' total size; everything is deleted afterwards.
static BenchResult ExportShardsLlama(int reps)
{
    var dims = (Environment.GetEnvironmentVariable("INITCFG_BENCH_LLAMA") ?? "1536,4096,16,32000").Split(',').Select(int.Parse).ToArray();
    int hidden = dims[0], inter = dims[1], layers = dims[2], vocab = dims[3];
    var sw = System.Diagnostics.Stopwatch.StartNew();
    var model = new ModelBuilder().Build(LazyLlama.Config(hidden, inter, layers, vocab));
    new InitEngine().Initialize(model, new InitOptions { InitCfg = LazyLlama.InitCfg(), Seed = 0 });
    double buildInit = sw.Elapsed.TotalSeconds;
    var folder = Scratch("shards");
    var file = Scratch("safetensors");
    const long shardSize = 512L << 20;
    try
    {
        var (e, f) = Measure.Interleaved(reps,
            () => InitCfg.Core.Checkpoints.Sharding.ShardedSafetensors.Write(folder, ModuleState.ForExport(model), shardSize, overwrite: true),
            () => CheckpointFile.Write(file, ModuleState.ForExport(model), CheckpointFormat.Safetensors, overwrite: true));
        var shards = Directory.GetFiles(folder);
        long disk = shards.Sum(x => new FileInfo(x).Length);
        return new BenchResult("export-shards-llama", Params(model), e, f, e / f, 1.1, Measure.PeakRssMb(),
            note: $"in memory (no lazy model): {hidden},{inter},{layers},{vocab}; build + init {buildInit:F1} s; {shards.Length} files, " +
                  $"{disk / 1e9:F2} GB written per export; floor: the same tensors as one .safetensors file ({new FileInfo(file).Length / 1e9:F2} GB)");
    }
    finally
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        File.Delete(file);
    }
}

// PyTorch as the peer: building resnet152 (construction draws included on both sides) against
// torchvision.models.resnet152(), measured in the same run; ratio = InitCfg / PyTorch. Without torch the case reports
// InitCfg alone, floor 0, and says why.
static BenchResult BuildResNet152VsPyTorch(int reps)
{
    var times = new List<double>();
    Build(new { type = "resnet152" }).Dispose(); // warm-up, as the Python side does
    for (int i = 0; i < reps; i++)
    {
        nn.Module? m = null;
        times.Add(Measure.Time(() => m = Build(new { type = "resnet152" })));
        m!.Dispose();
    }
    double e = Measure.Median(times);
    using var model = Build(new { type = "resnet152" });
    var peer = RunPyTorch(new[] { "build", reps.ToString(System.Globalization.CultureInfo.InvariantCulture) }, out var why);
    return new BenchResult("build-resnet152-pytorch", Params(model), e, peer?.Seconds ?? 0, peer is { } p ? e / p.Seconds : double.NaN, 1.0, Measure.PeakRssMb(),
        note: peer is { } q ? $"InitCfg {torch.get_num_threads()} threads; peer: torchvision.models.resnet152() on {q.Who}, median of {reps} after one warm-up each side" : why);
}

// PyTorch as the peer of a Pretrained load: the engine's Pretrained path (open, check, plan, undo copies, read into
// the model with every record's CRC-32 checked, record) of a torchvision-named ResNet-50 .pth written by InitCfg,
// against model.load_state_dict(torch.load(file)).
static BenchResult LoadResNet50VsPyTorch(int reps)
{
    var model = Build(new { type = "resnet50" });
    var file = Scratch("pth");
    CheckpointFile.Write(file, ModuleState.ForExport(model), CheckpointFormat.PyTorch, overwrite: true);
    try
    {
        var engine = new InitEngine();
        var cfg = Cfg(new { type = "Pretrained", checkpoint = file });
        var times = new List<double>();
        engine.Initialize(model, new InitOptions { InitCfg = cfg, Force = true });
        for (int i = 0; i < reps; i++) times.Add(Measure.Time(() => engine.Initialize(model, new InitOptions { InitCfg = cfg, Force = true })));
        double e = Measure.Median(times);
        var peer = RunPyTorch(new[] { "load", reps.ToString(System.Globalization.CultureInfo.InvariantCulture), file }, out var why);
        return new BenchResult("load-resnet50-pytorch", Params(model), e, peer?.Seconds ?? 0, peer is { } p ? e / p.Seconds : double.NaN, 1.0, Measure.PeakRssMb(),
            note: peer is { } q ? $"InitCfg: the engine's Pretrained init (undo copies and CRC-32 checks included); peer: load_state_dict(torch.load(f)) on {q.Who}; same file, page cache warm" : why);
    }
    finally { File.Delete(file); }
}

static BenchResult Load(string ext, int reps)
{
    var model = Build(new { type = "resnet50" });
    var file = Scratch(ext);
    CheckpointFile.Write(file, ModuleState.ForExport(model), CheckpointFile.FormatOf(file), overwrite: true);
    var buffer = new byte[1 << 20];
    try
    {
        // What checking costs (issue 11): the CRC-32 and NaN/Inf pass alone over the file's bytes, in 1 MiB pieces as
        // the load reads them, timed in the same run; the load does it once per stored record.
        var bytes = File.ReadAllBytes(file);
        uint sink = 0;
        void Check()
        {
            var crc = new InitCfg.Core.Checkpoints.ZipRecordCrc();
            for (int at = 0; at < bytes.Length; at += 1 << 20) crc.Append(bytes.AsSpan(at, Math.Min(1 << 20, bytes.Length - at)));
            sink ^= crc.GetCurrentHash();
        }
        var t = Measure.Interleaved(reps, new Action[] { () => LoadInto(model, file), () => ReadWhole(file, buffer), Check });
        double e = t[0], f = t[1], check = t[2];
        return new BenchResult($"load-resnet50-{ext}", Params(model), e, f, e / f, 3.0, Measure.PeakRssMb(),
            note: "floor: reading the same file once (page cache warm for both)" + (ext == "pth"
                ? $"; the CRC-32 + NaN/Inf check of every byte alone: {check:F4} s ({100 * check / e:F0}% of the load; AVX-512 folds: {InitCfg.Core.Checkpoints.ZipRecordCrc.IsVectorized})"
                : ""));
    }
    finally { File.Delete(file); }
}


// How long hostile inputs take to be refused (the timing that HostileConfigTests / HostileCheckpointTests used to
// assert): an alias bomb, JSON nested 5,000 deep, an all-zero .pth, and a 200,000-key pickle dict (read, not refused).
// The floor reads the same files' bytes.
static BenchResult Hostile(int reps)
{
    var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"initcfg-bench-hostile-{Environment.ProcessId}")).FullName;
    try
    {
        var bomb = new System.Text.StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 9; i++) bomb.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
        var files = new[]
        {
            Write(dir, "bomb.yaml", System.Text.Encoding.UTF8.GetBytes(bomb.ToString())),
            Write(dir, "deep.json", System.Text.Encoding.UTF8.GetBytes(new string('[', 5000) + "1" + new string(']', 5000))),
        };
        var zeros = Write(dir, "zeros.pth", new byte[1 << 16]);
        var pickle = new MemoryStream();
        pickle.Write(new byte[] { 0x80, 2, (byte)'}', (byte)'(' });
        for (int i = 0; i < 200_000; i++)
        {
            var key = System.Text.Encoding.UTF8.GetBytes("k" + i);
            pickle.WriteByte((byte)'X');
            pickle.Write(BitConverter.GetBytes(key.Length));
            pickle.Write(key);
            pickle.WriteByte((byte)'K');
            pickle.WriteByte((byte)(i & 0xff));
        }
        pickle.Write(new byte[] { (byte)'u', (byte)'.' });
        var pickleBytes = pickle.ToArray();
        void Engine()
        {
            foreach (var f in files)
                try { ConfigReader.FromFile(f); } catch (InitCfg.Core.Errors.InitCfgException) { }
            try { CheckpointFile.Open(zeros).Dispose(); } catch (InitCfg.Core.Errors.InitCfgException) { }
            InitCfg.Core.Checkpoints.Pickle.RestrictedUnpickler.Load(pickleBytes, "bench.pkl");
        }
        void Floor()
        {
            foreach (var f in files.Append(zeros)) File.ReadAllBytes(f);
            _ = pickleBytes.AsSpan().IndexOf((byte)'.');
        }
        var (e, fl) = Measure.Interleaved(reps, Engine, Floor);
        return new BenchResult("hostile-inputs", 0, e, fl, e / fl, 1000.0, Measure.PeakRssMb(),
            note: "engine: refuse an alias bomb, JSON 5,000 deep, an all-zero .pth, and read a 200,000-key pickle dict; floor: read the bytes; the tests used to assert 1 s per config file and 2 s per checkpoint");
    }
    finally { Directory.Delete(dir, recursive: true); }
}

static string Write(string dir, string name, byte[] bytes)
{
    var path = Path.Combine(dir, name);
    File.WriteAllBytes(path, bytes);
    return path;
}

// A flat-parameter checkpoint: 48 tensors (2,048 floats each, a 390 KB model) viewing one 64 MiB storage, spread
// over it to its end. Each storage is read once and the views copied out of it; before, each view re-read the storage.
static BenchResult LoadViews(int reps)
{
    const long storage = 16L << 20; // floats: 64 MiB
    var model = Build(new { type = "Sequential", modules = Enumerable.Range(0, 48).Select(_ => new { type = "Linear", in_features = 64, out_features = 32, bias = false }).ToArray() });
    long stride = storage / 48;
    var tensors = Enumerable.Range(0, 48).Select(i => ($"{i}.weight", "0", storage, i * stride + (i == 47 ? stride - 2048 : 0), new long[] { 32, 64 }, new long[] { 64, 1 })).ToArray();
    var pickle = new InitCfg.Core.Tests.Checkpoints.PickleBytes().NamedTensors(tensors).ToArray();
    var file = Scratch("pth");
    var data = new byte[storage * 4];
    new Random(0).NextBytes(data);
    File.WriteAllBytes(file, InitCfg.Core.Tests.Checkpoints.PickleBytes.Zip(pickle, ("0", data)));
    data = null;
    var buffer = new byte[1 << 20];
    try
    {
        double before = Measure.RssMb();
        var (e, f) = Measure.Interleaved(reps, () => LoadInto(model, file), () => ReadWhole(file, buffer));
        return new BenchResult("load-views-48x64mib", Params(model), e, f, e / f, 3.0, Measure.PeakRssMb(),
            note: $"48 views spread over one 64 MiB storage into a 390 KB model; RSS before loading {before:F0} MB; floor: reading the file once");
    }
    finally { File.Delete(file); }
}

// What Pretrained does: open (names, shapes checked), plan, read straight into the model's tensors.
static void LoadInto(nn.Module model, string file)
{
    using var index = CheckpointFile.Open(file);
    var plan = StateLoader.Plan(model, index, file, null, "");
    StateLoader.Load(model, index, plan);
}

// The floor of a load: reading the file once.
static void ReadWhole(string file, byte[] buffer)
{
    using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
    while (fs.Read(buffer) > 0) { }
}

// Every config of ../shared/mmdet-configs read as Config.fromfile would (bases merged). When MMENGINE_SRC names a
// folder with MMEngine's source (bench/README.md), MMEngine's own Config.fromfile reads the same files in the same
// run (bench/mmengine_fromfile.py) and is the floor: ratio = ours / MMEngine. Without it the floor is reading the
// bytes of every file those configs use, and the note says MMEngine was not timed.
static BenchResult ReadMmdetConfigs(int reps)
{
    var folder = MmdetSample.Folder();
    var root = Path.Combine(folder, "files");
    var listing = Path.Combine(folder, "configs.txt");
    var names = MmdetSample.Configs(folder);
    var configs = names.Select(l => Path.Combine(root, l)).ToList();
    // The largest config: the one whose merged model (as MMEngine dumped it) is the largest, so both sides time
    // the same file whatever either side finds slow.
    var largestName = names.OrderByDescending(n => new FileInfo(Path.Combine(folder, "expected", n + ".json")) is { Exists: true } fi ? fi.Length : 0).First();
    var largest = Path.Combine(root, largestName);
    // Timed after the whole sample was read, so the JIT is warm as it is for MMEngine after its warm-up pass.
    double Largest() => Measure.Median(Enumerable.Range(0, reps).Select(_ => Measure.Time(() => InitCfg.Core.Configs.Python.PythonConfig.ReadFile(largest))).ToList());
    var mmengine = RunMmengine(root, listing, reps, largest, out var why);
    if (mmengine is { } m)
    {
        var all = Measure.Median(Enumerable.Range(0, reps + 1).Select(_ => Measure.Time(() => { foreach (var c in configs) InitCfg.Core.Configs.Python.PythonConfig.ReadFile(c); })).Skip(1).ToList());
        var ours = Largest();
        return new BenchResult("read-mmdet-configs", configs.Count, all, m.All, all / m.All, 1, Measure.PeakRssMb(),
            note: $"side by side with MMEngine {m.Version} (Python {m.Python}, Config.fromfile): {configs.Count} configs in {all * 1000:F1} ms (InitCfg) vs {m.All * 1000:F1} ms (MMEngine), ratio {all / m.All:F3}; largest, {largestName}: {ours * 1000:F2} ms vs {m.Largest * 1000:F2} ms (ratio {ours / m.Largest:F3}); floor: MMEngine");
    }
    var allFiles = Directory.GetFiles(root, "*.py", SearchOption.AllDirectories);
    var (e, f) = Measure.Interleaved(reps,
        () => { foreach (var c in configs) InitCfg.Core.Configs.Python.PythonConfig.ReadFile(c); },
        () => { foreach (var c in allFiles) File.ReadAllText(c); });
    var oursLargest = Largest();
    return new BenchResult("read-mmdet-configs", configs.Count, e, f, e / f, 0, Measure.PeakRssMb(),
        note: $"ran InitCfg only ({why}): {configs.Count} configs read in {e * 1000:F1} ms ({e * 1000 / configs.Count:F2} ms each); largest, {largestName}: {oursLargest * 1000:F2} ms; floor: reading all {allFiles.Length} .py files of the sample once, not MMEngine");
}

// MMEngine's Config.fromfile over the same files, in a Python process of its own (bench/mmengine_fromfile.py); null
// with the reason when MMENGINE_SRC is unset or the run fails, so the case still reports our side.
static (double All, double Largest, string Version, string Python)? RunMmengine(string root, string listing, int reps, string largest, out string why)
{
    if (MmdetSample.RunMmengine("mmengine_fromfile.py", new[] { root, listing, reps.ToString(System.Globalization.CultureInfo.InvariantCulture), largest }, "MMEngine was not timed", out why) is not { } r) return null;
    return (r.GetProperty("all_s").GetDouble(), r.GetProperty("largest_s").GetDouble(), r.GetProperty("mmengine").GetString()!, r.GetProperty("python").GetString()!);
}

// PyTorch 1.13 (Debian's python3-torch) running bench/pytorch_peer.py with these arguments: its median seconds and
// a description of its side, or null with the reason (no torch, script missing).
static (double Seconds, string Who)? RunPyTorch(string[] arguments, out string why)
{
    var python = Environment.GetEnvironmentVariable("PYTORCH_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";
    if (MmdetSample.RunPython("pytorch_peer.py", arguments, "PyTorch", out why, python) is not { } r) return null;
    return (r.GetProperty("seconds").GetDouble(),
        $"PyTorch {r.GetProperty("torch").GetString()} ({r.GetProperty("threads").GetInt32()} threads, Python {r.GetProperty("python").GetString()})");
}
