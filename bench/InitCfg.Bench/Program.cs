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
        inits.Add(Measure.Time(() => new WeightInitializer().Initialize(model!, new InitOptions { Seed = 0 })));
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
    var engine = new WeightInitializer();
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
    Engine();
    var byEngine = convs.Select(c => c.weight!.clone()).ToArray();
    Floor();
    bool same = convs.Select((c, i) => c.weight!.Equals(byEngine[i])).All(x => x);
    return new BenchResult("init-resnet50", Params(model), e, f, e / f, 1.05, Measure.PeakRssMb(),
        note: $"MMEngine 0.150 s = 1.51x its floor; engine and floor draw identical tensors: {same}");
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
    var engine = new WeightInitializer();
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
    return new BenchResult($"init-mlp{(pairs == 36 ? "302m" : pairs * 8 + "m")}", Params(model), e, f, e / f, 1.05, peak,
        note: $"PyTorch+MMEngine 14.4 s for 302M; model {modelMb:F0} MB, process {before:F0} MB before building; peak - model - baseline = {peak - modelMb - before:F0} MB");
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
        var (e, f) = Measure.Interleaved(reps,
            () =>
            {
                // What Pretrained does: open (names, shapes checked), plan, read straight into the model's tensors.
                using var index = CheckpointFile.Open(file);
                var plan = StateLoader.Plan(model, index, file, null, "");
                StateLoader.Load(model, index, plan);
            },
            () =>
            {
                using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
                while (fs.Read(buffer) > 0) { }
            });
        return new BenchResult($"load-resnet50-{ext}", Params(model), e, f, e / f, 3.0, Measure.PeakRssMb(),
            note: "floor: reading the same file once (page cache warm for both)");
    }
    finally { File.Delete(file); }
}

