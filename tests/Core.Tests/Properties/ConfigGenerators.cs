using System.Collections;
using System.Collections.Specialized;
using CsCheck;

namespace InitCfg.Core.Tests.Properties;

/// <summary>
/// Config trees for the fuzz tests, built from a <see cref="Choices"/> sequence that CsCheck generates: random
/// trees of every scalar type, and mostly-valid init and model configs (real types, arguments, layer and child
/// names) with one or a few slots mutated, nested too deep or made very long.
/// </summary>
internal static class ConfigGenerators
{
    /// <summary>One fuzz case: which model, and the choices the config is built from.</summary>
    public sealed record Case(int Model, uint[] Choices, long Seed)
    {
        public FuzzModel FuzzModel => FuzzModel.All[Model];
    }

    /// <summary>Cases over the tiny models of <see cref="FuzzModel.All"/>.</summary>
    public static readonly Gen<Case> Cases =
        Gen.Select(Gen.Int[0, FuzzModel.All.Length - 1], Gen.UInt.Array[32, 256], Gen.Long[-3, 1L << 40],
            (m, c, s) => new Case(m, c, s));

    public static readonly string[] InitTypes =
        { "Constant", "Xavier", "Normal", "TruncNormal", "Uniform", "Kaiming", "Caffe2Xavier", "Orthogonal", "Dirac", "Eye", "Pretrained" };

    private static readonly string[] AnyWeight = { "Constant", "Normal", "TruncNormal", "Uniform" };
    private static readonly string[] FanBased = { "Xavier", "Kaiming", "Caffe2Xavier", "Orthogonal" };

    private static readonly string[] Keys =
    {
        "type", "Type", "TYPE", "layer", "Layer", "override", "name", "val", "bias", "bias_prob", "BiasProb", "biasprob", "gain",
        "distribution", "mean", "std", "a", "b", "mode", "nonlinearity", "groups", "checkpoint", "prefix", "map_location",
        "init_cfg", "InitCfg", "modules", "class_name", "in_features", "out_features", "in_channels", "out_channels",
        "kernel_size", "num_features", "s_t_d", "std_", "vals", "", " ", "layer.name", "0", "__class__", "!!python/object",
    };

    /// <summary>Strings a config may hold: real names, near misses, URIs, paths and awkward text.</summary>
    public static readonly string[] Words = InitTypes.Concat(new[]
    {
        "Conv2d", "_ConvNd", "Conv1d", "Conv3d", "BatchNorm2d", "_BatchNorm", "_NormBase", "Linear", "GroupNorm", "LayerNorm",
        "Module", "Net", "Body", "Outer", "Sequential", "ModuleList", "ModuleDict", "Identity", "ReLU", "Embedding",
        "normal", "uniform", "fan_in", "fan_out", "relu", "leaky_relu", "tanh", "linear", "sigmoid", "selu", "conv2d",
        "conv", "bn", "fc", "body", "head", "body.conv", "body.bn", "0", "1", "fc2", "body.nope", ".", "..", "a..b",
        "kaiming", "KAIMING", "Kaiming ", "Constantt", "cpu", "cuda:0", "backbone.", "",
        "torchvision://resnet18", "open-mmlab://x", "https://example.com/w.pth", "torchvision://../x", "/etc/passwd",
        "../../etc/passwd", "None", "null", "~", "1", "1.5", "nan", "True", "café", "\u01c5", "\u0000", "\ud800", "a\nb",
        "'\"", "\\", "{", "- x", "&a", "%s%n", "\u202e", "🙂",
    }).ToArray();

    private static readonly object?[] Exotic =
    {
        1, 2.5f, (short)3, (byte)4, (sbyte)-5, 7u, (ushort)8, ulong.MaxValue, 1.5m, 3m, decimal.MaxValue, -0.5m, 'c',
        float.NaN, float.PositiveInfinity, new object(), DateTime.UnixEpoch, Guid.Empty, Array.Empty<int>(), new int[2, 2],
        new byte[] { 1, 2 }, TimeSpan.Zero, StringComparison.Ordinal, new Version(1, 2),
    };

    // ---- scalars and random trees ----

    public static object? Long(Choices c) => c.Weighted(6, 1) == 0
        ? (long)(c.Next(7) - 3)
        : c.Pick(new[] { long.MaxValue, long.MinValue, 1L << 40, -(1L << 40), 1000L });

    public static object? Double(Choices c) => c.Weighted(6, 2, 1) switch
    {
        0 => Math.Round(c.Uniform(-3, 3), c.Next(4)),
        1 => c.Pick(new[] { 0.0, -0.0, 0.5, 1.0, 1e-6, 0.999999, 2.0 }),
        _ => c.Pick(new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue, double.Epsilon, 1e308 }),
    };

    public static string Text(Choices c) => c.Weighted(8, 2, 1) switch
    {
        0 => c.Pick(Words),
        1 => new string(Enumerable.Range(0, c.Next(12)).Select(_ => (char)(c.Pick(new[] { 'a', 'z', '_', '.', '0', 'K', ' ', '-' }) + 0)).ToArray()),
        _ => new string('x', c.Next(3000)),
    };

    /// <summary>Any scalar; <paramref name="exotic"/> adds .NET types a JSON or YAML file cannot hold.</summary>
    public static object? Scalar(Choices c, bool exotic) => c.Weighted(3, 3, 1, 4, 1, exotic ? 1 : 0) switch
    {
        0 => Long(c),
        1 => Double(c),
        2 => c.Next(2) == 1,
        3 => Text(c),
        4 => null,
        _ => c.Pick(Exotic),
    };

    /// <summary>A random tree of dictionaries and lists.</summary>
    public static object? Tree(Choices c, int depth, bool exotic)
    {
        if (depth <= 0 || c.Weighted(5, 2) == 0) return Scalar(c, exotic);
        int n = c.Next(5);
        if (c.Next(2) == 0)
        {
            var list = new List<object?>();
            for (int i = 0; i < n; i++) list.Add(Tree(c, depth - 1, exotic));
            return list;
        }
        var map = new OrderedDictionary();
        for (int i = 0; i < n; i++) map[c.Chance(80) ? c.Pick(Keys) : Text(c)] = Tree(c, depth - 1, exotic);
        return map;
    }

    /// <summary><paramref name="leaf"/> wrapped in <paramref name="levels"/> lists or one-key dicts.</summary>
    public static object? Deep(Choices c, object? leaf, int levels)
    {
        for (int i = 0; i < levels; i++)
            leaf = c.Next(2) == 0 ? new List<object?> { leaf } : new OrderedDictionary { [c.Pick(Keys) is { Length: > 0 } k ? k : "k"] = leaf };
        return leaf;
    }

    // ---- mostly-valid init configs ----

    /// <summary>A valid init_cfg for the model: one dict or a list of one to three.</summary>
    public static object ValidInitCfg(FuzzModel m, Choices c, string checkpoint)
    {
        int n = c.Next(4);
        if (n == 0) return ValidInitDict(m, c, checkpoint, top: true);
        var list = new List<object?>();
        for (int i = 0; i < n; i++) list.Add(ValidInitDict(m, c, checkpoint, top: true));
        return list;
    }

    private static OrderedDictionary ValidInitDict(FuzzModel m, Choices c, string checkpoint, bool top)
    {
        var type = c.Pick(InitTypes);
        var d = new OrderedDictionary { ["type"] = type };
        string[] layers = type switch
        {
            "Dirac" => m.ConvLayers,
            "Eye" => m.LinearLayers,
            "Xavier" or "Kaiming" or "Caffe2Xavier" or "Orthogonal" => m.ConvLayers.Concat(m.LinearLayers).ToArray(),
            _ => m.AllLayers,
        };
        switch (type)
        {
            case "Constant": d["val"] = c.Next(2) == 0 ? (long)(c.Next(5) - 2) : c.Uniform(-2, 2); break;
            case "Xavier":
                if (c.Chance(50)) d["gain"] = c.Uniform(0.1, 3);
                if (c.Chance(50)) d["distribution"] = c.Pick(new[] { "normal", "uniform" });
                break;
            case "Normal":
                if (c.Chance(50)) d["mean"] = c.Uniform(-1, 1);
                if (c.Chance(50)) d["std"] = c.Uniform(0, 2);
                break;
            case "TruncNormal":
                if (c.Chance(50)) d["std"] = c.Uniform(0.1, 2);
                if (c.Chance(50)) { d["a"] = c.Uniform(-3, -0.5); d["b"] = c.Uniform(0.5, 3); }
                break;
            case "Uniform":
                if (c.Chance(50)) { d["a"] = c.Uniform(-2, 0); d["b"] = c.Uniform(0.01, 2); }
                break;
            case "Kaiming":
                if (c.Chance(30)) d["a"] = c.Uniform(0, 1);
                if (c.Chance(40)) d["mode"] = c.Pick(new[] { "fan_in", "fan_out" });
                if (c.Chance(40)) d["nonlinearity"] = c.Pick(new[] { "relu", "leaky_relu", "tanh", "linear", "sigmoid" });
                if (c.Chance(40)) d["distribution"] = c.Pick(new[] { "normal", "uniform" });
                break;
            case "Orthogonal": if (c.Chance(50)) d["gain"] = c.Uniform(0.1, 2); break;
            case "Dirac": if (c.Chance(30)) d["groups"] = 1L; break;
            case "Pretrained":
                d["checkpoint"] = checkpoint;
                if (c.Chance(20)) d["prefix"] = c.Pick(new[] { "body", "body.", "nope." });
                return d;
        }
        if (c.Chance(30)) d["bias"] = c.Next(2) == 0 ? (long)(c.Next(3) - 1) : c.Uniform(-1, 1);
        else if (c.Chance(15)) d["bias_prob"] = c.Uniform(0.01, 0.99);
        if (top && layers.Length > 0 && c.Weighted(1, 4) == 1)
            d["layer"] = c.Next(2) == 0 ? c.Pick(layers) : layers.Where(_ => c.Next(2) == 0).Cast<object?>().ToList();
        if (top && m.Children.Length > 0 && c.Chance(30))
        {
            var overrides = new List<object?>();
            for (int i = 0, n = 1 + c.Next(2); i < n; i++)
            {
                var name = c.Pick(m.Children);
                if (c.Next(3) == 0 && type is "Constant" or "Normal" or "Uniform" or "TruncNormal") overrides.Add(new OrderedDictionary { ["name"] = name });
                else
                {
                    var ov = ValidInitDict(m, c, checkpoint, top: false);
                    if (!AnyWeight.Contains(ov["type"])) ov = new OrderedDictionary { ["type"] = "Constant", ["val"] = 1L };
                    var named = new OrderedDictionary { ["name"] = name };
                    foreach (DictionaryEntry e in ov) named[e.Key] = e.Value;
                    overrides.Add(named);
                }
            }
            d["override"] = overrides.Count == 1 && c.Next(2) == 0 ? overrides[0] : overrides;
        }
        return d;
    }

    /// <summary>Fan-based initializers need 2+ dimensional weights; the valid builder keeps them off norm layers.</summary>
    public static bool IsFanBased(string type) => FanBased.Contains(type);
}
