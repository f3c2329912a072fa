using System.Text.Json;
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Walk;
using Xunit.Abstractions;

namespace InitCfg.Core.Tests.MMDet;

/// <summary>
/// MMDetection's own configs (the 94 of ../shared/mmdet-configs, merged by MMEngine): every config whose module
/// types are all registered builds and initializes without error (its Pretrained inits removed: no checkpoints here).
/// </summary>
public class ConfigSampleTests
{
    private readonly ITestOutputHelper _output;

    public ConfigSampleTests(ITestOutputHelper output) => _output = output;

    private static string? Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "mmdet-configs", "expected");
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }

    // The dict-valued arguments that hold configs of things without parameters (losses, coders, assigners...).
    private static readonly HashSet<string> Kept = new()
    {
        "data_preprocessor", "train_cfg", "test_cfg", "loss_cls", "loss_bbox", "loss_centerness", "loss_mask", "bbox_coder",
        "anchor_generator", "roi_layer", "upsample_cfg", "norm_cfg", "conv_cfg", "act_cfg", "init_cfg", "reg_predictor_cfg",
        "cls_predictor_cfg", "predictor_cfg",
    };

    private static IEnumerable<string> ModuleTypes(JsonElement e, string? key = null)
    {
        if (e.ValueKind == JsonValueKind.Array)
            foreach (var x in e.EnumerateArray()) foreach (var t in ModuleTypes(x, key)) yield return t;
        if (e.ValueKind != JsonValueKind.Object || key is not null && Kept.Contains(key)) yield break;
        if (e.TryGetProperty("type", out var type)) yield return type.ValueKind == JsonValueKind.String ? type.GetString()! : type.GetRawText();
        foreach (var p in e.EnumerateObject())
            foreach (var t in ModuleTypes(p.Value, p.Name)) yield return t;
    }

    private static object? WithoutPretrained(object? node) => node switch
    {
        ConfigMap m when m[ConfigKeys.InitCfg] is ConfigMap { } i && i[ConfigKeys.Type] is "Pretrained" => Strip(m),
        ConfigMap m => Map(m),
        IReadOnlyList<object?> l => l.Select(WithoutPretrained).ToList(),
        _ => node,
    };

    private static ConfigMap Strip(ConfigMap m)
    {
        var r = Map(m);
        r.Set(ConfigKeys.InitCfg, null);
        return r;
    }

    private static ConfigMap Map(ConfigMap m)
    {
        var r = new ConfigMap();
        foreach (var (k, v) in m) r.Set(k, WithoutPretrained(v));
        return r;
    }

    [SkippableFact]
    public void Sample_ConfigsOfRegisteredTypes_BuildAndInitialize()
    {
        var folder = Folder();
        Skip.If(folder is null, "../shared/mmdet-configs is absent: MMDetection config sample not built");
        int supported = 0, total = 0;
        var failures = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder!, "*.json", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            total++;
            // A lazy-import config names classes: {"__lazy__": "mmdet.models.detectors.retinanet.RetinaNet"} is type RetinaNet.
            var text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(file), @"\{\s*""__lazy__"":\s*""[\w.]*\.(\w+)""\s*\}", "\"$1\"")
                .Replace("\"PretrainedInit\"", "\"Pretrained\"");
            using var doc = JsonDocument.Parse(text);
            if (!doc.RootElement.TryGetProperty("type", out _)) { total--; continue; } // a partial config (only what it changes)
            var types = ModuleTypes(doc.RootElement).Distinct().ToArray();
            if (!types.All(t => ModuleRegistry.Default.TryGet(t, out _))) continue;
            supported++;
            try
            {
                var cfg = WithoutPretrained(ConfigReader.FromObject(doc.RootElement, ConfigPath.Root("model")));
                var model = new ModelBuilder().Build(cfg);
                new InitEngine().Initialize(model, new InitOptions { Seed = 0 });
                model.Dispose();
            }
            catch (Exception e)
            {
                failures.Add($"{Path.GetRelativePath(folder!, file)}: {e.Message}");
            }
        }
        _output.WriteLine($"{supported} of {total} sampled model configs use only registered types");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(supported >= 10, $"only {supported} sampled configs are supported");
    }
}
