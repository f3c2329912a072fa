using InitCfg.Core.Initializers;
using InitCfg.Core.Configs;
using static InitCfg.Core.Tests.Fixtures;

namespace InitCfg.Core.Tests.Configs;

public class InitConfigTests
{
    private static readonly ConfigPath Root = ConfigPath.Root("init_cfg");

    private static InitConfig Rich() => Parse(
        "type", "Normal", "mean", 0.0, "std", 1e-05, "bias", 0, "layer", List("Conv2d", "True"),
        "override", List(Cfg("name", "head.cls", "type", "Constant", "val", 1.0, "bias_prob", 0.01), Cfg("name", "reg")));

    [Fact]
    public void ToString_KaimingOnConv_PrintsMmengineDict() =>
        Assert.Equal("dict(type='Kaiming', layer='Conv2d')", Parse("type", "Kaiming", "layer", "Conv2d").ToString());

    [Fact]
    public void ToString_IntsAndFloats_PrintAsPython() =>
        Assert.Equal("dict(type='Constant', val=1, bias=0.5, layer=['Conv1d', 'Conv2d'])",
            Parse("type", "Constant", "val", 1, "bias", 0.5, "layer", List("Conv1d", "Conv2d")).ToString());

    [Fact]
    public void ToString_Override_PrintsNestedDict() =>
        Assert.Equal("dict(type='Normal', std=0.01, override=dict(name='cls', type='Constant', val=0))",
            Parse("type", "Normal", "std", 0.01, "override", Cfg("name", "cls", "type", "Constant", "val", 0)).ToString());

    [Fact]
    public void Properties_RichConfig_SplitTypeLayerArgumentsAndOverrides()
    {
        var c = Rich();
        Assert.Equal("Normal", c.Type);
        Assert.Equal(new[] { "Conv2d", "True" }, c.Layer);
        Assert.Equal(new[] { "mean", "std", "bias" }, c.Arguments.Keys);
        Assert.Equal(2, c.Override.Count);
        Assert.Equal("head.cls", c.Override[0].Name);
        Assert.False(c.Override[0].IsNameOnly);
        Assert.True(c.Override[1].IsNameOnly);
    }

    [Fact]
    public void ToJson_RichConfig_RoundTrips()
    {
        var c = Rich();
        var back = InitConfig.ParseList(ConfigReader.FromJson(c.ToJson(), Root), Root);
        Assert.Equal(c.ToString(), Assert.Single(back).ToString());
    }

    [Fact]
    public void ToJson_Floats_KeepADecimalPoint()
    {
        var json = Parse("type", "Normal", "mean", 0.0, "std", 1e-05, "layer", "Linear").ToJson();
        Assert.Contains("0.0", json);
        Assert.Contains("1.0e-05", json);
    }

    [Fact]
    public void ToYaml_RichConfig_RoundTrips()
    {
        var c = Rich();
        var back = InitConfig.ParseList(ConfigReader.FromYaml(c.ToYaml(), Root), Root);
        Assert.Equal(c.ToString(), Assert.Single(back).ToString());
    }

    [Fact]
    public void ToYaml_StringThatLooksLikeABool_StaysAString()
    {
        var yaml = Parse("type", "Kaiming", "layer", "True").ToYaml();
        Assert.Equal("True", InitConfig.ParseList(ConfigReader.FromYaml(yaml, Root), Root)[0].Layer[0]);
    }

    [Fact]
    public void Arguments_ParsedConfig_CannotChange()
    {
        var c = Rich();
        Assert.True(c.Arguments.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => c.Arguments.Set("std", 5.0));
        Assert.Equal(1e-05, c.Arguments["std"]);
    }

    [Fact]
    public void ToConfigTree_ParsedConfig_GivesACopyToChange()
    {
        var c = Rich();
        var tree = (ConfigMap)c.ToConfigTree();
        tree.Set("std", 5.0);
        var firstOverride = (ConfigMap)((IReadOnlyList<object?>)tree["override"]!)[0]!;
        firstOverride.Set("val", 2.0);
        Assert.Equal("dict(type='Normal', mean=0.0, std=1e-05, bias=0, layer=['Conv2d', 'True'], " +
            "override=[dict(name='head.cls', type='Constant', val=1.0, bias_prob=0.01), dict(name='reg')])", c.ToString());
    }

    [Fact]
    public void ToHashtable_RichConfig_RoundTrips()
    {
        var c = Rich();
        var table = c.ToHashtable();
        Assert.Equal("Normal", table["type"]);
        Assert.Equal(1e-05, table["STD"]);
        Assert.Equal(c.ToString(), Assert.Single(InitConfig.ParseList(table, Root)).ToString());
    }

    [Fact]
    public void ParseList_InitConfigObjects_AreAcceptedAsConfigs()
    {
        var a = Parse("type", "Kaiming", "layer", "Conv2d");
        var b = Parse("type", "Constant", "val", 1, "layer", "BatchNorm2d");
        var list = InitConfig.ParseList(new[] { a, b }, Root);
        Assert.Equal(new[] { a.ToString(), b.ToString() }, list.Select(x => x.ToString()));
    }

    [Fact]
    public void ParseList_Null_IsEmpty() => Assert.Empty(InitConfig.ParseList(null, Root));

    [Fact]
    public void EffectiveOverride_NameOnly_TakesParentArgumentsWithoutLayer()
    {
        var parent = Parse("type", "Constant", "val", 3, "bias", 4, "layer", "Conv2d", "override", Cfg("name", "cls"));
        var effective = parent.Override[0].EffectiveOverride(parent);
        Assert.Equal("Constant", effective.Type);
        Assert.Equal("cls", effective.Name);
        Assert.Empty(effective.Layer);
        Assert.Equal("dict(type='Constant', val=3, bias=4)", effective.ToString());
    }
}
