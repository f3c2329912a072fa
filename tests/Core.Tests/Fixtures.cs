using System.Collections.Specialized;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Modules;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests;

/// <summary>Small builders shared by the engine tests: configs, models, snapshots and statistics.</summary>
internal static class Fixtures
{
    /// <summary>An ordered dictionary from alternating keys and values: <c>Cfg("type", "Kaiming", "layer", "Conv2d")</c>.</summary>
    public static OrderedDictionary Cfg(params object?[] keysAndValues)
    {
        var d = new OrderedDictionary();
        for (int i = 0; i < keysAndValues.Length; i += 2) d.Add((string)keysAndValues[i]!, keysAndValues[i + 1]);
        return d;
    }

    /// <summary>A list value of a config.</summary>
    public static object?[] List(params object?[] items) => items;

    /// <summary>A composite with a class name and named children, in order.</summary>
    public static ConfigModule Net(string className, params (string Name, nn.Module Module)[] children) =>
        new(className, children.Select(c => new KeyValuePair<string, nn.Module>(c.Name, c.Module)));

    /// <summary>The toy net of many tests: conv Conv2d(3, 4, 3), bn BatchNorm2d(4), fc Linear(4, 2).</summary>
    public static ConfigModule ToyNet(string className = "ToyNet") =>
        Net(className, ("conv", nn.Conv2d(3, 4, 3)), ("bn", nn.BatchNorm2d(4)), ("fc", nn.Linear(4, 2)));

    /// <summary>The checkpoint tests' backbone: conv1 Conv2d(3, 4, 3), bn1 BatchNorm2d(4), fc Linear(4, 2).</summary>
    public static ConfigModule Backbone() =>
        Net("Backbone", ("conv1", nn.Conv2d(3, 4, 3)), ("bn1", nn.BatchNorm2d(4)), ("fc", nn.Linear(4, 2)));

    /// <summary>Runs init_weights with a seed.</summary>
    public static InitResult Init(nn.Module model, object? initCfg, long seed = 0, bool force = false, bool strict = false,
        InitEngine? engine = null) =>
        (engine ?? new InitEngine()).Initialize(model, new InitOptions { InitCfg = initCfg, Seed = seed, Force = force, Strict = strict });

    /// <summary>The configs attached to a module, parsed as the walk parses them.</summary>
    public static IReadOnlyList<InitConfig> AttachedConfigs(nn.Module module) =>
        InitConfig.ParseList(InitAttachment.GetConfig(module), ConfigPath.Root(ConfigKeys.InitCfg));

    /// <summary>Parses one config dict built from alternating keys and values.</summary>
    public static InitConfig Parse(params object?[] keysAndValues) => InitConfig.ParseList(Cfg(keysAndValues), ConfigPath.Root("init_cfg"))[0];

    /// <summary>Builds the initializer of one config dict (not whole-module).</summary>
    public static InitializerBase Build(params object?[] keysAndValues) =>
        (InitializerBase)Parse(keysAndValues).Initializer!;

    /// <summary>The error ParseList throws for <paramref name="raw"/> at root <c>init_cfg</c>.</summary>
    public static InitCfgException ParseError(object? raw) =>
        Assert.Throws<InitCfgException>(() => InitConfig.ParseList(raw, ConfigPath.Root("init_cfg")));

    /// <summary>Clones of every parameter, by name.</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module model) =>
        model.named_parameters().ToDictionary(p => p.name, p => CopyOf(p.parameter));

    // Tensor code here keeps every intermediate reachable (a variable or a dispose scope): a temporary such as the
    // t.detach() of t.detach().clone() is garbage while libtorch works on it, and its finalizer can free it mid-call
    // (the lifetime stress leg crashed in THSTensor_clone that way).

    /// <summary>A detached copy of <paramref name="t"/>'s values.</summary>
    public static Tensor CopyOf(Tensor t)
    {
        using var _ = no_grad();
        using var d = t.detach();
        var copy = d.clone();
        GC.KeepAlive(t); // a parameter of a model nothing else holds: its wrapper is garbage too
        return copy;
    }

    /// <summary>A detached, contiguous CPU tensor with <paramref name="t"/>'s values (a view when it can be); dispose it.</summary>
    public static Tensor Contiguous(Tensor t)
    {
        using var d = t.detach();
        using var c = d.cpu();
        var contiguous = c.contiguous();
        GC.KeepAlive(t);
        return contiguous;
    }

    /// <summary>Asserts that every parameter equals its snapshot.</summary>
    public static void AssertUnchanged(nn.Module model, Dictionary<string, Tensor> before)
    {
        foreach (var (name, p) in model.named_parameters())
            Assert.True(p.Equals(before[name]), $"{name} changed");
        GC.KeepAlive(model); // often the caller's last use of it: a finalized BatchNorm would dispose what is compared
    }

    /// <summary>A submodule by dotted path.</summary>
    public static nn.Module Sub(nn.Module model, string path) => model.named_modules().First(m => m.name == path).module;

    /// <summary>A parameter by dotted name.</summary>
    public static Tensor Param(nn.Module model, string name) => model.named_parameters().First(p => p.name == name).parameter;

    /// <summary>The elements of a tensor as floats.</summary>
    public static float[] Values(Tensor t)
    {
        using var scope = NewDisposeScope(); // holds the intermediates, and the accessor's tensor while it copies
        var values = t.detach().contiguous().to(ScalarType.Float32).data<float>().ToArray();
        GC.KeepAlive(t);
        return values;
    }

    /// <summary>True when every element equals <paramref name="value"/> (as float32).</summary>
    public static bool AllEqual(Tensor t, double value) => Values(t).All(v => v == (float)value);

    /// <summary>Mean, unbiased std, min and max in float64.</summary>
    public static (double Mean, double Std, double Min, double Max) Moments(Tensor t)
    {
        using var scope = NewDisposeScope(); // holds the intermediates (mean() and the like) while item reads them
        var d = t.detach().to(ScalarType.Float64);
        GC.KeepAlive(t);
        return (d.mean().item<double>(), d.std().item<double>(), d.min().item<double>(), d.max().item<double>());
    }

    /// <summary>Asserts |actual - expected| &lt;= relative * expected.</summary>
    public static void AssertWithin(double expected, double actual, double relative = 0.02) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"expected {expected} (±{relative:P0}), got {actual}");
}
