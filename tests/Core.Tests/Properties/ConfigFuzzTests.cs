using InitCfg.Core.Modules;
using System.Collections.Specialized;
using System.Reflection;
using InitCfg.Core.Building;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Tests.Checkpoints;
using InitCfg.Core.Walk;
using Xunit.Abstractions;
using static InitCfg.Core.Tests.Properties.ConfigGenerators;
using static InitCfg.Core.Tests.Properties.ConfigMutations;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Properties;

/// <summary>
/// Property tests over generated configs (10,000 cases a run, seeded by <see cref="PropertyRunner"/>): whatever a
/// config holds, initializing a model ends in success or an <see cref="InitCfgException"/> with an error id and a
/// path, never another exception, and on error every parameter and buffer is byte-for-byte as it was.
/// </summary>
public sealed class ConfigFuzzTests : IDisposable
{
    private const int TreeCases = 4000;
    private const int TextCases = 3500;
    private const int ModelCases = 2500;

    private static readonly HashSet<string> KnownIds = typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!).ToHashSet();

    private readonly ITestOutputHelper _output;
    private readonly TempFolder _dir = new();
    private readonly InitEnvironment _environment;
    private readonly InitEngine _engine = new(BuiltinInitializers.CreateRegistry());
    private readonly string[][] _checkpoints;

    public ConfigFuzzTests(ITestOutputHelper output)
    {
        _output = output;
        var cache = Directory.CreateDirectory(_dir.File("hub")).FullName;
        _environment = new InitEnvironment { Checkpoints = new CheckpointLocator(cache, _dir.Path) };
        // Per model: its own weights (loads fully), the first model's (loads partly), a truncated file, a missing
        // file, a torchvision name absent from the cache, and a name escaping the cache folder.
        var first = Save(0);
        var truncated = _dir.File("truncated.pth");
        File.WriteAllBytes(truncated, File.ReadAllBytes(first)[..200]);
        _checkpoints = FuzzModel.All.Select((_, i) => new[]
        {
            Save(i), Save(i), first, truncated, _dir.File("missing.pth"), "torchvision://resnet18", "torchvision://../x",
        }).ToArray();
    }

    public void Dispose() => _dir.Dispose();

    private string Save(int model)
    {
        var path = _dir.File($"model{model}.safetensors");
        if (File.Exists(path)) return path;
        using var m = FuzzModel.All[model].Build();
        var state = ModuleState.ForExport(m).Select(e => new KeyValuePair<string, Tensor>(e.Key, e.Value.is_floating_point() ? full_like(e.Value, 0.5) : zeros_like(e.Value))).ToArray();
        CheckpointFile.Write(path, state, CheckpointFormat.Safetensors, overwrite: true);
        return path;
    }

    [Fact]
    public void Initialize_GeneratedConfigTrees_SucceedOrFailCleanlyLeavingTensorsUnchanged()
    {
        var outcomes = PropertyRunner.Run(nameof(Initialize_GeneratedConfigTrees_SucceedOrFailCleanlyLeavingTensorsUnchanged),
            Cases, TreeCases, k =>
            {
                var c = new Choices(k.Choices);
                var cfg = ConfigText.Reshape(InitConfigFor(k, c, exotic: true), c);
                return Apply(k.FuzzModel.Build(), cfg, k.Seed, c.Chance(20), c.Chance(20), attached: false);
            }, k => Print(k, exotic: true), _output);
        AssertBothPathsTaken(outcomes, TreeCases);
    }

    [Fact]
    public void FromFile_GeneratedJsonAndYaml_ReadAndInitializeOrFailCleanly()
    {
        var outcomes = PropertyRunner.Run(nameof(FromFile_GeneratedJsonAndYaml_ReadAndInitializeOrFailCleanly),
            Cases, TextCases, k =>
            {
                var c = new Choices(k.Choices);
                var (file, _) = WriteText(InitConfigFor(k, c, exotic: false), c);
                object? tree;
                try { tree = ConfigReader.FromFile(file); }
                catch (InitCfgException e) { AssertWellFormed(e); return "read error: " + e.ErrorId; }
                return Apply(k.FuzzModel.Build(), tree, k.Seed, c.Chance(20), c.Chance(20), attached: false);
            }, k =>
            {
                var c = new Choices(k.Choices);
                var (file, bytes) = WriteText(InitConfigFor(k, c, exotic: false), c);
                return $"model {k.FuzzModel}, seed {k.Seed}, {Path.GetFileName(file)}: {System.Text.Json.JsonSerializer.Serialize(System.Text.Encoding.UTF8.GetString(bytes))}";
            }, _output);
        AssertBothPathsTaken(outcomes, TextCases);
        Assert.Contains(outcomes.Keys, o => o.StartsWith("read error", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_GeneratedModelConfigs_BuildAndInitializeOrFailCleanly()
    {
        var outcomes = PropertyRunner.Run(nameof(Build_GeneratedModelConfigs_BuildAndInitializeOrFailCleanly),
            Cases, ModelCases, k =>
            {
                var (c, node, asText) = ModelCase(k);
                var builder = new ModelBuilder(initializers: BuiltinInitializers.CreateRegistry());
                nn.Module model;
                try { model = asText ? builder.BuildFile(WriteText(node, c).File) : builder.Build(ConfigText.Reshape(node, c)); }
                catch (InitCfgException e) { AssertWellFormed(e); return "build error: " + e.ErrorId; }
                return Apply(model, null, k.Seed, false, c.Chance(20), attached: true);
            }, k =>
            {
                var (c, node, asText) = ModelCase(k);
                if (!asText) return "as objects: " + Show(node);
                var (file, bytes) = WriteText(node, c);
                return $"as text, {Path.GetFileName(file)}: {System.Text.Json.JsonSerializer.Serialize(System.Text.Encoding.UTF8.GetString(bytes))}";
            }, _output);
        AssertBothPathsTaken(outcomes, ModelCases);
    }

    private static (Choices, object?, bool) ModelCase(ConfigGenerators.Case k)
    {
        var c = new Choices(k.Choices);
        bool asText = c.Next(2) == 0;
        var node = Mutate(ModelNode(c, 3), c, c.Weighted(2, 6, 2) switch { 0 => 0, 1 => 1, _ => 2 }, exotic: !asText);
        return (c, node, asText);
    }

    // ---- regressions: configs the fuzz found that passed validation, then failed inside libtorch midway ----

    [Theory]
    [InlineData("val", 1e39)]
    [InlineData("val", -1.7976931348623157e308)]
    [InlineData("bias", 1e300)]
    public void Initialize_ConstantBeyondFloat32_IsRefusedBeforeAnyChange(string key, double value)
    {
        var second = key == "val" ? Fixtures.Cfg("type", "Constant", "val", value, "layer", "Conv2d")
            : Fixtures.Cfg("type", "Constant", "val", 1, key, value, "layer", "Conv2d");
        var cfg = Fixtures.List(Fixtures.Cfg("type", "Constant", "val", 2, "layer", "Linear"), second);
        AssertRefusedUnchanged(cfg, "init_cfg[1]");
    }

    [Theory]
    [InlineData("uniform")]
    [InlineData("normal")]
    public void Initialize_XavierNegativeGain_IsRefusedBeforeAnyChange(string distribution)
    {
        var cfg = Fixtures.List(
            Fixtures.Cfg("type", "Constant", "val", 2, "layer", "Linear"),
            Fixtures.Cfg("type", "Xavier", "gain", -1, "distribution", distribution, "layer", "Conv2d"));
        AssertRefusedUnchanged(cfg, "init_cfg[1].gain");
    }

    private void AssertRefusedUnchanged(object cfg, string path)
    {
        using var model = FuzzModel.All[0].Build();
        var before = State(model);
        var e = Assert.Throws<InitCfgException>(() => _engine.Initialize(model, new InitOptions { InitCfg = cfg, Seed = 1 }));
        AssertWellFormed(e);
        Assert.StartsWith(path, e.ConfigPath);
        Assert.True(before.Zip(State(model)).All(p => p.First.AsSpan().SequenceEqual(p.Second)), "tensors changed");
    }

    // ---- the config of a case ----

    private object? InitConfigFor(ConfigGenerators.Case k, Choices c, bool exotic)
    {
        var m = k.FuzzModel;
        var checkpoint = c.Pick(_checkpoints[k.Model]);
        switch (c.Weighted(55, 25, 10, 10))
        {
            case 0:
                int mutations = c.Weighted(15, 70, 15) switch { 0 => 0, 1 => 1, _ => 2 + c.Next(2) };
                return Mutate(ValidInitCfg(m, c, checkpoint), c, mutations, exotic);
            case 1:
                if (c.Next(2) == 0) return Tree(c, 4, exotic);
                var d = new OrderedDictionary { ["type"] = c.Pick(InitTypes) };
                for (int i = 0, n = c.Next(6); i < n; i++) d[c.Pick(Words.Concat(new[] { "val", "std", "layer", "override", "bias" }).ToArray())] = Tree(c, 2, exotic);
                return d;
            case 2:
                return Deep(c, ValidInitCfg(m, c, checkpoint), 90 + c.Next(20));
            default:
                return c.Next(3) switch
                {
                    0 => Enumerable.Range(0, 50 + c.Next(350)).Select(_ => (object?)new OrderedDictionary { ["type"] = "Constant", ["val"] = 1L, ["layer"] = c.Pick(m.AllLayers.Append("Conv2d").ToArray()) }).ToList(),
                    1 => new OrderedDictionary { ["type"] = "Constant", ["val"] = 0.5, ["layer"] = Enumerable.Range(0, 200 + c.Next(2800)).Select(_ => (object?)c.Pick(Words)).ToList() },
                    _ => new OrderedDictionary
                    {
                        ["type"] = "Normal", ["std"] = 0.1,
                        ["override"] = Enumerable.Range(0, 20 + c.Next(200)).Select(_ => (object?)new OrderedDictionary { ["name"] = m.Children.Length > 0 ? c.Pick(m.Children) : "x" }).ToList(),
                    },
                };
        }
    }

    private (string File, byte[] Bytes) WriteText(object? tree, Choices c)
    {
        var text = c.Next(3) switch { 0 => ConfigText.ToJson(tree), 1 => ConfigText.ToYaml(tree, flow: false), _ => ConfigText.ToYaml(tree, flow: true) };
        var file = _dir.File("case" + c.Pick(new[] { ".json", ".yaml", ".yml", ".cfg" }));
        var bytes = ConfigText.Damage(text, c);
        File.WriteAllBytes(file, bytes);
        return (file, bytes);
    }

    private string Print(ConfigGenerators.Case k, bool exotic)
    {
        var c = new Choices(k.Choices);
        var cfg = InitConfigFor(k, c, exotic);
        return $"model {k.FuzzModel}, seed {k.Seed}, init_cfg {Show(cfg)}";
    }

    // ---- the property ----

    private string Apply(nn.Module model, object? initCfg, long seed, bool force, bool strict, bool attached)
    {
        using (model)
        {
            var before = State(model);
            try
            {
                var result = _engine.Initialize(model, new InitOptions
                {
                    InitCfg = initCfg, Seed = seed, Force = force, Strict = strict, Environment = _environment,
                });
                return result.ParametersWritten > 0 ? "ok: weights written" : "ok: nothing written";
            }
            catch (InitCfgException e)
            {
                AssertWellFormed(e);
                var after = State(model);
                Assert.True(before.Length == after.Length && before.Zip(after).All(p => p.First.AsSpan().SequenceEqual(p.Second)),
                    $"{e.ErrorId}: the model's tensors changed although the call failed");
                Assert.False(InitAttachment.IsInitialized(model), "a failed call marked the model initialized");
                if (!attached) Assert.Null(InitAttachment.GetConfig(model));
                return "error: " + e.ErrorId;
            }
        }
    }

    private static byte[][] State(nn.Module model) =>
        model.parameters().Concat(model.buffers()).Select(t =>
        {
            using var d = t.detach();
            using var c = d.contiguous();
            return c.bytes.ToArray();
        }).ToArray();

    private static void AssertWellFormed(InitCfgException e)
    {
        Assert.Contains(e.ErrorId, KnownIds);
        Assert.False(string.IsNullOrWhiteSpace(e.ConfigPath), $"{e.ErrorId} has no path: {e.Message}");
        Assert.NotEmpty(e.Problems);
        foreach (var p in e.Problems)
        {
            Assert.Contains(p.ErrorId, KnownIds);
            Assert.False(string.IsNullOrWhiteSpace(p.Path), $"problem {p.ErrorId} has no path: {p.Message}");
            Assert.False(string.IsNullOrWhiteSpace(p.Message));
        }
        Assert.True(e.Message.Length < 1_000_000, $"{e.ErrorId}: a {e.Message.Length:N0}-character message is not a clear error");
    }

    private static void AssertBothPathsTaken(IReadOnlyDictionary<string, int> outcomes, int cases)
    {
        cases = Math.Min(cases, outcomes.Values.Sum()); // INITCFG_FUZZ_MAX_CASES may run fewer
        int ok = outcomes.Where(o => o.Key.StartsWith("ok", StringComparison.Ordinal)).Sum(o => o.Value);
        Assert.True(ok >= cases / 10, $"only {ok} of {cases} cases succeeded: the generator no longer exercises the success path");
        Assert.True(cases - ok >= cases / 10, $"only {cases - ok} of {cases} cases failed: the generator no longer exercises the error paths");
    }
}
