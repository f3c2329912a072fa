using InitCfg.Core.Modules;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Properties;

/// <summary>A tiny model the fuzz tests initialize, with the names a config can use on it.</summary>
internal sealed record FuzzModel(string Name, Func<nn.Module> Build, string[] ConvLayers, string[] LinearLayers,
    string[] NormLayers, string[] ClassNames, string[] Children)
{
    /// <summary>Every layer-type name of the model.</summary>
    public string[] AllLayers => ConvLayers.Concat(LinearLayers).Concat(NormLayers).Concat(ClassNames).ToArray();

    public override string ToString() => Name;

    /// <summary>Four shapes: a flat composite, a nested one, a Sequential and a bare layer.</summary>
    public static readonly FuzzModel[] All =
    {
        new("Net(conv: Conv2d(1,2,1), bn: BatchNorm2d(2), fc: Linear(2,2))",
            () => Fixtures.Net("Net", ("conv", nn.Conv2d(1, 2, 1)), ("bn", nn.BatchNorm2d(2)), ("fc", nn.Linear(2, 2))),
            new[] { "Conv2d", "_ConvNd" }, new[] { "Linear" }, new[] { "BatchNorm2d", "_BatchNorm" }, new[] { "Net", "Module" },
            new[] { "conv", "bn", "fc" }),
        new("Outer(body: Body(conv, bn), head: Linear(2,2))",
            () => Fixtures.Net("Outer",
                ("body", Fixtures.Net("Body", ("conv", nn.Conv2d(1, 2, 1)), ("bn", nn.BatchNorm2d(2)))),
                ("head", nn.Linear(2, 2))),
            new[] { "Conv2d" }, new[] { "Linear" }, new[] { "BatchNorm2d", "_BatchNorm" }, new[] { "Outer", "Body" },
            new[] { "body", "head", "body.conv", "body.bn" }),
        new("Sequential(Conv2d(1,2,1), BatchNorm2d(2))",
            () => new MMEngineSequential(new nn.Module[] { nn.Conv2d(1, 2, 1), nn.BatchNorm2d(2) }),
            new[] { "Conv2d", "_ConvNd" }, Array.Empty<string>(), new[] { "BatchNorm2d" }, new[] { "Sequential" },
            new[] { "0", "1" }),
        new("Linear(2,2)", () => nn.Linear(2, 2),
            Array.Empty<string>(), new[] { "Linear" }, Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>()),
    };
}
