using InitCfg.Core.Configs;
using InitCfg.Core.Initializers;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Configs;

public class ConfigKeysTests
{
    [Theory]
    [InlineData("bias_prob")]
    [InlineData("BiasProb")]
    [InlineData("biasprob")]
    [InlineData("BIAS-PROB")]
    public void Normalize_BiasProbSpellings_GiveOneKey(string spelling) =>
        Assert.Equal("biasprob", ConfigKeys.Normalize(spelling));

    [Fact]
    public void Same_DifferentSpellings_AreTheSameKey()
    {
        Assert.True(ConfigKeys.Same("bias_prob", "BiasProb"));
        Assert.True(ConfigKeys.Same("init_cfg", "InitCfg"));
        Assert.False(ConfigKeys.Same("bias", "bias_prob"));
    }

    [Fact]
    public void ConfigMapSet_OtherSpelling_ReplacesValueAndKeepsFirstSpelling()
    {
        var map = new ConfigMap();
        map.Set("bias_prob", 0.1);
        map.Set("BiasProb", 0.2);
        Assert.Equal(1, map.Count);
        Assert.Equal("bias_prob", Assert.Single(map.Keys));
        Assert.Equal(0.2, map["biasprob"]);
    }

    [Fact]
    public void ParseList_PascalCaseKeys_ReadAsMmengineKeys()
    {
        var config = Parse("Type", "Normal", "Layer", "Linear", "Std", 0.5, "BiasProb", 0.01);
        Assert.Equal("Normal", config.Type);
        Assert.Equal(new[] { "Linear" }, config.Layer);
        var init = config.Initializer!;
        Assert.Equal("NormalInit: mean=0, std=0.5, bias=-4.59511985013459", init.Describe());
    }

    [Fact]
    public void Initialize_BiasprobLowerCase_SetsBiasFromProbability()
    {
        var fc = nn.Linear(3, 2);
        Init(fc, Cfg("type", "Constant", "val", 0, "layer", "Linear", "biasprob", 0.01));
        Assert.True(Values(fc.bias!).All(v => Math.Abs(v - (-4.59511985)) < 1e-5));
    }
}
