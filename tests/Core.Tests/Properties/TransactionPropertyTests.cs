using InitCfg.Core;
using System.Collections.Specialized;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Tests.Checkpoints;
using InitCfg.Core.Tests.Walk;
using InitCfg.Core.Walk;
using Xunit.Abstractions;
using static InitCfg.Core.Tests.Properties.ConfigGenerators;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Properties;

/// <summary>
/// All or nothing, as a property (10,000 cases a run): random valid configs over the tiny models, some already
/// initialized by an earlier run (then -Force), with one failure injected at a random step: a script-block
/// initializer that writes and then throws, a checkpoint changed between planning and loading, or a stop. Whenever
/// the call fails, the model's fingerprint (every tensor's bytes and identity, records, loads, warnings, init_cfgs
/// and marks) is the one it had before the call, whether the undo copies were kept in memory, spilled to a temp file
/// or both.
/// </summary>
public sealed class TransactionPropertyTests : IDisposable
{
    private const int Cases = 10_000;

    private readonly ITestOutputHelper _output;
    private readonly TempFolder _dir = new();
    private readonly InitEnvironment _environment;
    private readonly InitializerRegistry _registry = BuiltinInitializers.CreateRegistry();
    private readonly string[] _templates;
    private int _throwAfter;
    private string _tamper = "";
    private long _undoLimit = InitOptions.DefaultUndoMemoryLimit;

    public TransactionPropertyTests(ITestOutputHelper output)
    {
        _output = output;
        _environment = new InitEnvironment { Checkpoints = new CheckpointLocator(_dir.File("hub"), _dir.Path) };
        _templates = FuzzModel.All.Select((m, i) =>
        {
            var path = _dir.File($"model{i}" + (i % 2 == 0 ? ".safetensors" : ".pth"));
            using var model = m.Build();
            var state = ModuleState.ForExport(model).Select(e => new KeyValuePair<string, Tensor>(e.Key,
                e.Value.is_floating_point() ? full_like(e.Value, 0.25 + i) : ones_like(e.Value))).ToArray();
            CheckpointFile.Write(path, state, CheckpointFile.FormatOf(path), overwrite: true);
            return path;
        }).ToArray();
        // Writes its weight, then throws on the N-th call of the run.
        _registry.RegisterDelegate("Boom", Array.Empty<ArgumentSpec>(), (m, w, a, g) =>
        {
            w.Fill(13);
            if (--_throwAfter == 0) throw new InvalidOperationException("injected failure");
        });
        // Writes its weight, then truncates or replaces the checkpoint a later Pretrained will load.
        _registry.RegisterDelegate("Tamper", Array.Empty<ArgumentSpec>(), (m, w, a, g) =>
        {
            w.Fill(17);
            if (!File.Exists(_tamper)) return;
            if (w.numel() % 2 == 0)
            {
                using var fs = new FileStream(_tamper, FileMode.Open, FileAccess.Write);
                fs.SetLength(fs.Length - 3);
            }
            else
            {
                File.WriteAllBytes(_tamper, File.ReadAllBytes(_tamper));
                File.SetLastWriteTimeUtc(_tamper, DateTime.UtcNow.AddSeconds(5));
            }
        });
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Initialize_FailureInjectedAtRandomStep_ModelByteIdenticalToBefore()
    {
        int n = 0;
        var outcomes = PropertyRunner.Run(nameof(Initialize_FailureInjectedAtRandomStep_ModelByteIdenticalToBefore),
            ConfigGenerators.Cases, Cases, k => Check(k, n++), k => $"{k.FuzzModel} choices {string.Join(",", k.Choices.Take(24))}", _output);
        Assert.True(outcomes.Keys.Count(o => o.StartsWith("rolled back", StringComparison.Ordinal)) >= 3, string.Join("; ", outcomes));
    }

    private string Check(Case k, int index)
    {
        var c = new Choices(k.Choices);
        var fm = k.FuzzModel;
        var checkpoint = _dir.File($"case{index % 8}" + Path.GetExtension(_templates[k.Model]));
        File.Copy(_templates[k.Model], checkpoint, overwrite: true);
        using var model = fm.Build();
        bool force = false;
        if (c.Chance(30))
        {
            _undoLimit = InitOptions.DefaultUndoMemoryLimit;
            try { Run(model, ValidInitCfg(fm, c, checkpoint), k.Seed, false, null); force = true; }
            catch (InitCfgException) { }
        }

        var list = AsList(ValidInitCfg(fm, c, checkpoint));
        int kind = c.Next(3);
        var layers = fm.AllLayers.Where(l => fm.ConvLayers.Contains(l) || fm.LinearLayers.Contains(l)).ToArray();
        IProgress<InitProgress>? progress = null;
        _throwAfter = -1;
        _tamper = "";
        switch (kind)
        {
            case 0 when layers.Length > 0:
                _throwAfter = 1 + c.Next(3);
                list.Insert(c.Next(list.Count + 1), new OrderedDictionary { ["type"] = "Boom", ["layer"] = layers.Cast<object?>().ToList() });
                break;
            case 1 when layers.Length > 0:
                _tamper = checkpoint;
                list.Insert(0, new OrderedDictionary { ["type"] = "Tamper", ["layer"] = c.Pick(layers) });
                list.Add(new OrderedDictionary { ["type"] = "Pretrained", ["checkpoint"] = checkpoint });
                break;
            default:
                kind = 2;
                progress = new StopAtStep(1 + c.Next(6));
                break;
        }
        // Undo copies all in memory, all in the temp file, or split between the two (a 64-byte budget).
        _undoLimit = c.Next(3) switch { 0 => 0, 1 => 64, _ => InitOptions.DefaultUndoMemoryLimit };
        var before = ModelFingerprint.Take(model);
        try
        {
            Run(model, list, k.Seed + 1, force, progress);
            return "committed";
        }
        catch (Exception e) when (e is InitCfgException or OperationCanceledException)
        {
            var after = ModelFingerprint.Take(model);
            if (after != before) throw new Xunit.Sdk.XunitException($"not restored after {e.GetType().Name}: {e.Message}\nbefore:\n{before}\nafter:\n{after}");
            return e is InitCfgException ice ? $"rolled back: {ice.ErrorId}" : "rolled back: stop";
        }
    }

    private void Run(nn.Module model, object cfg, long seed, bool force, IProgress<InitProgress>? progress) =>
        new InitEngine(_registry).Initialize(model, new InitOptions
        {
            InitCfg = cfg, Seed = seed, Force = force, Progress = progress, Environment = _environment, UndoMemoryLimit = _undoLimit,
        });

    private static List<object?> AsList(object cfg) => cfg is List<object?> l ? l : new List<object?> { cfg };
}
