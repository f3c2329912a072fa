using InitCfg.Core.Initializers;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

/// <summary>What every initializer shares: the layer filter, bias and bias_prob, seeded draws.</summary>
public class InitializerBaseTests
{
    public static TheoryData<string, object?[]> Filters => new()
    {
        { "Linear", new object?[] { "type", "Constant", "val", 0.5 } },
        { "Linear", new object?[] { "type", "Xavier" } },
        { "Linear", new object?[] { "type", "Normal" } },
        { "Linear", new object?[] { "type", "Uniform" } },
        { "Linear", new object?[] { "type", "TruncNormal" } },
        { "Linear", new object?[] { "type", "Kaiming" } },
        { "Linear", new object?[] { "type", "Caffe2Xavier" } },
        { "Linear", new object?[] { "type", "Orthogonal" } },
        { "Linear", new object?[] { "type", "Eye" } },
        { "Conv2d", new object?[] { "type", "Dirac" } },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void Apply_LayerFilter_ChangesOnlyMatchingModules(string layer, object?[] args)
    {
        var model = Net("Net", ("conv", nn.Conv2d(3, 3, 3)), ("fc", nn.Linear(4, 4)), ("bn", nn.BatchNorm2d(3)));
        var before = Snapshot(model);
        var cfg = Cfg(args.Append("layer").Append(layer).ToArray());
        Init(model, cfg);
        var hit = layer == "Linear" ? "fc" : "conv";
        foreach (var (name, p) in model.named_parameters())
        {
            bool changed = !p.Equals(before[name]);
            if (name == hit + ".weight") Assert.True(changed, $"{name} should change");
            else if (!name.StartsWith(hit + ".")) Assert.False(changed, $"{name} should not change");
        }
        Assert.True(AllEqual(Param(model, hit + ".bias"), 0));
    }

    [Theory]
    [InlineData("Xavier")]
    [InlineData("Normal")]
    [InlineData("Uniform")]
    [InlineData("TruncNormal")]
    [InlineData("Kaiming")]
    [InlineData("Caffe2Xavier")]
    [InlineData("Orthogonal")]
    public void Apply_SameSeedSameResult_DifferentSeedDifferentResult(string type)
    {
        Tensor Run(long seed)
        {
            var fc = nn.Linear(16, 16);
            Init(fc, Cfg("type", type, "layer", "Linear"), seed);
            return fc.weight!.detach();
        }
        using var scope = NewDisposeScope(); // holds the results while Equals reads them
        Assert.True(Run(11).Equals(Run(11)));
        Assert.False(Run(11).Equals(Run(12)));
    }

    [Fact]
    public void Apply_BiasProb_SetsBiasToMinusLogOddsAndDescribesIt()
    {
        var fc = nn.Linear(4, 3);
        Init(fc, Cfg("type", "Normal", "std", 0.01, "bias_prob", 0.01, "layer", "Linear"));
        Assert.True(AllEqual(fc.bias!, -Math.Log((1 - 0.01) / 0.01)));
        Assert.Equal("NormalInit: mean=0, std=0.01, bias=-4.59511985013459", Build("type", "Normal", "std", 0.01, "bias_prob", 0.01).Describe());
    }

    [Fact]
    public void BiasForProbability_Half_IsZero() => Assert.Equal(0.0, InitializerBase.BiasForProbability(0.5), 12);

    [Fact]
    public void Apply_BiasProbWinsOverBias() =>
        Assert.Equal(InitializerBase.BiasForProbability(0.1), Convert.ToDouble(Build("type", "Normal", "bias", 3, "bias_prob", 0.1).BiasValue));

    [Fact]
    public void Matches_LayerNames_ExactlyAndWholeModuleMatchesAll()
    {
        var init = Build("type", "Normal", "layer", List("conv2d", "Linear"));
        Assert.False(init.Matches(new[] { "Conv2d", "_ConvNd" })); // MMEngine: 'conv2d' is not 'Conv2d'
        Assert.True(init.Matches(new[] { "Linear" }));
        Assert.False(init.Matches(new[] { "BatchNorm2d", "_BatchNorm" }));
        Assert.False(Build("type", "Normal").Matches(new[] { "Linear" }));
    }

    [Fact]
    public void Arguments_Given_HoldCanonicalNames()
    {
        var init = Build("type", "Kaiming", "Mode", "FAN_IN", "BiasProb", 0.5, "layer", "Conv2d");
        Assert.Equal(new[] { "mode", "bias_prob" }, init.Arguments.Given.Keys);
        Assert.Equal("fan_in", init.Arguments.Given["mode"]);
        Assert.Equal("Kaiming", init.Type);
    }
}
