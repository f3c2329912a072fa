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
    ["mmdet-retinanet"] = () => BuildInitRetinaNet(quick ? 3 : 5),
};
if (!cases.TryGetValue(name, out var run))
{
    Console.WriteLine(string.Join(Environment.NewLine, cases.Keys));
    return name == "list" ? 0 : 2;
}
var result = run();
Console.WriteLine(JsonSerializer.Serialize(result));
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
    const double mmdet = 0.75 + 0.50;
    return new BenchResult("mmdet-retinanet", 37_968_692, build + init, mmdet, (build + init) / mmdet, 1.0, Measure.PeakRssMb(),
        note: $"one thread; build {build:F3} s + init {init:F3} s; floor_s is MMDetection 3.3's build 0.75 s + init 0.50 s (one thread, same machine kind)");
}

// ResNet-50 with MMDetection's backbone init_cfg; the floor makes the same draws on the same tensors in a plain loop.
static BenchResult InitResNet50(int reps)
{
    var model = Build(new { type = "resnet50" });
    var cfg = Cfg(new { type = "Kaiming", layer = "Conv2d" }, new { type = "Constant", val = 1, layer = new[] { "_BatchNorm", "GroupNorm" } });
    var engine = new InitEngine();
    void Engine() => engine.Initialize(model, new InitOptions { InitCfg = cfg, Seed = 0, Force = true });
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
    var undo = Undo(model, engine, cfg, Floor, reps,
        convs.Select(c => (Tensor)c.weight!).Concat(norms.SelectMany(b => new Tensor[] { b.weight!, b.bias! })).ToArray());
    Engine();
    var byEngine = convs.Select(c => c.weight!.clone()).ToArray();
    Floor();
    bool same = convs.Select((c, i) => c.weight!.Equals(byEngine[i])).All(x => x);
    return new BenchResult("init-resnet50", Params(model), e, f, e / f, 1.05, Measure.PeakRssMb(),
        note: $"MMEngine 0.150 s = 1.51x its floor; engine and floor draw identical tensors: {same}; {undo}");
}

// What all-or-nothing costs: the undo copies a run keeps until it commits (bytes reported by the engine), and the
// time of making them, as the floor with the same copies made first against the bare floor, in the same run.
static string Undo(nn.Module model, InitEngine engine, object cfg, Action floor, int reps, Tensor[] written)
{
    long undoBytes = engine.Initialize(model, new InitOptions { InitCfg = cfg, Seed = 0, Force = true }).UndoBytes;
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
    return $"undo copies {undoBytes / 1048576.0:F1} MB ({100.0 * undoBytes / modelBytes:F0}% of the {modelBytes / 1048576.0:F0} MB of parameters; the tensors written are {writtenBytes / 1048576.0:F1} MB), " +
           $"floor with undo {withUndo:F3} s / bare floor {bare:F3} s = {withUndo / bare:F3}x (undo time {withUndo - bare:F3} s)";
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
    var undo = Undo(model, engine, cfg, Floor, reps, model.parameters().Select(p => (Tensor)p).ToArray());
    return new BenchResult($"init-mlp{(pairs == 36 ? "302m" : pairs * 8 + "m")}", Params(model), e, f, e / f, 1.05, peak,
        note: $"PyTorch+MMEngine 14.4 s for 302M; model {modelMb:F0} MB, process {before:F0} MB before building; peak - model - baseline = {peak - modelMb - before:F0} MB; {undo}");
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

static BenchResult Load(string ext, int reps)
{
    var model = Build(new { type = "resnet50" });
    var file = Scratch(ext);
    CheckpointFile.Write(file, ModuleState.ForExport(model), CheckpointFile.FormatOf(file), overwrite: true);
    var buffer = new byte[1 << 20];
    try
    {
        var (e, f) = Measure.Interleaved(reps, () => LoadInto(model, file), () => ReadWhole(file, buffer));
        return new BenchResult($"load-resnet50-{ext}", Params(model), e, f, e / f, 3.0, Measure.PeakRssMb(),
            note: "floor: reading the same file once (page cache warm for both)");
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

// A flat-parameter checkpoint: 48 tensors (2,048 floats each, a 390 KB model) viewing one 64 MiB storage that they
// tile to its end. Each storage is read once and the views copied out of it; before, each view re-read the storage.
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
            note: $"48 views tiling one 64 MiB storage into a 390 KB model; RSS before loading {before:F0} MB; floor: reading the file once");
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
    string? folder = null;
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null && folder is null; dir = dir.Parent)
        foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "mmdet-configs"), Path.Combine(dir.FullName, "..", "shared", "mmdet-configs") })
            if (File.Exists(Path.Combine(candidate, "configs.txt"))) { folder = Path.GetFullPath(candidate); break; }
    if (folder is null) throw new DirectoryNotFoundException("../shared/mmdet-configs is absent");
    var root = Path.Combine(folder, "files");
    var listing = Path.Combine(folder, "configs.txt");
    var names = File.ReadAllLines(listing).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
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
    var src = Environment.GetEnvironmentVariable("MMENGINE_SRC");
    if (string.IsNullOrEmpty(src)) { why = "MMENGINE_SRC is not set, so MMEngine was not timed; see bench/README.md"; return null; }
    string? script = null;
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null && script is null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "mmengine_fromfile.py"))) script = Path.Combine(dir.FullName, "mmengine_fromfile.py");
    if (script is null) { why = "bench/mmengine_fromfile.py was not found"; return null; }
    var python = Environment.GetEnvironmentVariable("MMENGINE_PYTHON") is { Length: > 0 } p ? p : "python3";
    var start = new System.Diagnostics.ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { script, root, listing, reps.ToString(System.Globalization.CultureInfo.InvariantCulture), largest }) start.ArgumentList.Add(a);
    try
    {
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            why = $"MMEngine run failed ({python} exit {process.ExitCode}): {stderr.Result.Trim().Split('\n').LastOrDefault()}";
            return null;
        }
        using var doc = JsonDocument.Parse(stdout.Trim().Split('\n').Last());
        var r = doc.RootElement;
        why = "";
        return (r.GetProperty("all_s").GetDouble(), r.GetProperty("largest_s").GetDouble(), r.GetProperty("mmengine").GetString()!, r.GetProperty("python").GetString()!);
    }
    catch (System.ComponentModel.Win32Exception ex) { why = $"{python} could not start: {ex.Message}"; return null; }
}
