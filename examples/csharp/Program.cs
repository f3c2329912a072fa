// A TorchSharp module of our own, initialized from a YAML init_cfg with a seed, as MMEngine's init_weights would.
// Run: dotnet run -- [init_cfg.yaml] [output.safetensors]
using InitCfg.Core;
using InitCfg.Core.Initializers;
using InitCfg.Core.Errors;
using TorchSharp;
using static TorchSharp.torch;

var configFile = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "init_cfg.yaml");
var output = args.Length > 1 ? args[1] : "tiny_detector.safetensors";

var model = new TinyDetector();
try
{
    var initCfg = InitConfig.Load(configFile);          // or InitConfig.Parse(yamlOrJsonText)
    var result = model.InitWeights(initCfg, seed: 0);
    Console.WriteLine($"Initialized {result.ParametersWritten} parameter tensors ({result.ElementsWritten:N0} elements).");
    foreach (var warning in result.Warnings) Console.WriteLine($"warning: {warning}");

    foreach (var r in model.GetInitReport())
        Console.WriteLine($"{r.Name,-16} {string.Join("x", r.Shape),-10} {r.InitInfo,-62} mean={r.Mean:F6} std={r.Std:F6}");

    // Anonymous objects work where a config goes, too: this one is refused before any weight changes.
    try { model.InitWeights(new { type = "Normal", std = -1, layer = "Linear" }, force: true); }
    catch (InitCfgException e) { Console.WriteLine($"refused ({e.ErrorId}): {e.Message}"); }

    var file = model.ExportWeights(output, force: true);
    Console.WriteLine($"Exported {file.Name} ({file.Length:N0} bytes)");
    return 0;
}
catch (InitCfgException e)
{
    Console.Error.WriteLine($"{e.ErrorId}: {e.Message}");
    return 1;
}

/// <summary>A small detector-like network: a conv stem and two heads.</summary>
internal sealed class TinyDetector : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv = nn.Conv2d(3, 8, 3, padding: 1);
    private readonly nn.Module<Tensor, Tensor> bn = nn.BatchNorm2d(8);
    private readonly nn.Module<Tensor, Tensor> pool = nn.AdaptiveAvgPool2d(1);
    private readonly nn.Module<Tensor, Tensor> reg = nn.Linear(8, 4);
    private readonly nn.Module<Tensor, Tensor> cls = nn.Linear(8, 3);

    public TinyDetector() : base(nameof(TinyDetector)) => RegisterComponents();

    public override Tensor forward(Tensor x)
    {
        var features = pool.call(nn.functional.relu(bn.call(conv.call(x)))).flatten(1);
        return torch.cat(new[] { reg.call(features), cls.call(features) }, 1);
    }
}
