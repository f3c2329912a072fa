using InitCfg.Core.Initializers;
using InitCfg.Core.Errors;
using static InitCfg.Core.Tests.Fixtures;

namespace InitCfg.Core.Tests.Configs;

/// <summary>InitConfig.ParseList refusing bad configs, each problem with its path in the config.</summary>
public class InitConfigParseListTests
{
    [Theory]
    [InlineData(42L)]
    [InlineData("Kaiming")]
    [InlineData(true)]
    public void ParseList_NotADict_ThrowsAtRoot(object raw)
    {
        var e = ParseError(raw);
        Assert.Equal(ErrorIds.ConfigNotMappingOrList, e.ErrorId);
        Assert.Equal("init_cfg", e.ConfigPath);
        Assert.Equal(ErrorKind.InvalidType, e.Kind);
    }

    [Fact]
    public void ParseList_ListItemNotADict_ThrowsAtItsIndex()
    {
        var e = ParseError(List(Cfg("type", "Kaiming", "layer", "Conv2d"), "Normal"));
        Assert.Equal(ErrorIds.ConfigNotMapping, e.ErrorId);
        Assert.Equal("init_cfg[1]", e.ConfigPath);
    }

    [Fact]
    public void ParseList_UnknownType_NamesNearestAndRegisteredTypes()
    {
        var e = ParseError(Cfg("type", "Kaimin", "layer", "Conv2d"));
        Assert.Equal(ErrorIds.UnknownInitializerType, e.ErrorId);
        Assert.Equal("init_cfg.type", e.ConfigPath);
        Assert.Contains("Did you mean 'Kaiming'?", e.Message);
        Assert.Contains("Xavier", e.Message);
    }

    [Fact]
    public void ParseList_MissingType_Throws()
    {
        var e = ParseError(Cfg("layer", "Conv2d"));
        Assert.Equal(ErrorIds.MissingType, e.ErrorId);
        Assert.Equal("init_cfg", e.ConfigPath);
    }

    [Fact]
    public void ParseList_ConstantWithoutVal_ThrowsMissingArgument()
    {
        var e = ParseError(Cfg("type", "Constant", "layer", "Conv2d"));
        Assert.Equal(ErrorIds.MissingArgument, e.ErrorId);
        Assert.Equal("init_cfg", e.ConfigPath);
        Assert.Contains("'val'", e.Message);
    }

    [Fact]
    public void ParseList_UnknownArgument_NamesItAndTheValidOnes()
    {
        var e = ParseError(Cfg("type", "Normal", "foo", 1, "layer", "Linear"));
        Assert.Equal(ErrorIds.UnknownArgument, e.ErrorId);
        Assert.Equal("init_cfg.foo", e.ConfigPath);
        Assert.Contains("'foo'", e.Message);
        Assert.Contains("Valid arguments: mean, std, bias, bias_prob, layer, override.", e.Message);
    }

    [Fact]
    public void ParseList_UnknownArgumentInOverride_ListsNameAmongTheValidOnes()
    {
        var e = ParseError(Cfg("type", "Normal", "layer", "Linear", "override", Cfg("type", "Constant", "name", "fc", "val", 1, "std", 2)));
        Assert.Equal(ErrorIds.UnknownArgument, e.ErrorId);
        Assert.Equal("init_cfg.override.std", e.ConfigPath);
        Assert.Contains("Valid arguments: val, bias, bias_prob, layer, name.", e.Message);
    }

    [Fact]
    public void ParseList_MisspeltOverride_NamesIt()
    {
        var e = ParseError(Cfg("type", "Normal", "layer", "Linear", "overide", Cfg("name", "fc")));
        Assert.Equal(ErrorIds.UnknownArgument, e.ErrorId);
        Assert.Contains("Did you mean 'override'?", e.Message);
    }

    [Fact]
    public void ParseList_MisspeltArgument_NamesTheNearest()
    {
        var e = ParseError(Cfg("type", "Constant", "vall", 1, "layer", "Linear"));
        Assert.Equal(ErrorIds.UnknownArgument, e.ErrorId);
        Assert.Equal("init_cfg.vall", e.ConfigPath);
        Assert.Contains("Did you mean 'val'?", e.Message);
    }

    [Fact]
    public void ParseList_BiasString_ThrowsBiasNotNumber()
    {
        var e = ParseError(Cfg("type", "Constant", "val", 1, "bias", "1", "layer", "Linear"));
        Assert.Equal(ErrorIds.BiasNotNumber, e.ErrorId);
        Assert.Equal("init_cfg.bias", e.ConfigPath);
        Assert.Contains("'1'", e.Message);
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    public void ParseList_BiasProbOutsideOpenUnitInterval_Throws(double p)
    {
        var e = ParseError(Cfg("type", "Normal", "bias_prob", p, "layer", "Linear"));
        Assert.Equal(ErrorIds.BiasProbOutOfRange, e.ErrorId);
        Assert.Equal("init_cfg.bias_prob", e.ConfigPath);
    }

    [Fact]
    public void ParseList_BiasProbString_ThrowsBiasNotNumber() =>
        Assert.Equal(ErrorIds.BiasNotNumber, ParseError(Cfg("type", "Normal", "bias_prob", "0.01", "layer", "Linear")).ErrorId);

    [Fact]
    public void ParseList_LayerInt_ThrowsLayerNotString()
    {
        var e = ParseError(Cfg("type", "Kaiming", "layer", 1));
        Assert.Equal(ErrorIds.LayerNotString, e.ErrorId);
        Assert.Equal("init_cfg.layer", e.ConfigPath);
    }

    [Fact]
    public void ParseList_LayerListWithInt_ThrowsLayerNotString() =>
        Assert.Equal(ErrorIds.LayerNotString, ParseError(Cfg("type", "Kaiming", "layer", List("Conv2d", 2))).ErrorId);

    [Theory]
    [InlineData("Kaiming", "mode", "fan_middle", "fan_in")]
    [InlineData("Kaiming", "nonlinearity", "relux", "relu")]
    [InlineData("Xavier", "distribution", "gaussian", "normal")]
    public void ParseList_ChoiceOutsideItsSet_ThrowsInvalidArgumentValue(string type, string key, string value, string listed)
    {
        var e = ParseError(Cfg("type", type, key, value, "layer", "Conv2d"));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Equal("init_cfg." + key, e.ConfigPath);
        Assert.Contains($"'{value}'", e.Message);
        Assert.Contains($"'{listed}'", e.Message);
    }

    [Fact]
    public void ParseList_OverrideNotADict_ThrowsOverrideNotMapping()
    {
        var e = ParseError(Cfg("type", "Normal", "override", "cls"));
        Assert.Equal(ErrorIds.OverrideNotMapping, e.ErrorId);
        Assert.Equal("init_cfg.override", e.ConfigPath);
    }

    [Fact]
    public void ParseList_OverrideListItemNotADict_ThrowsAtItsIndex()
    {
        var e = ParseError(Cfg("type", "Normal", "override", List(Cfg("name", "cls"), 3)));
        Assert.Equal(ErrorIds.OverrideNotMapping, e.ErrorId);
        Assert.Equal("init_cfg.override[1]", e.ConfigPath);
    }

    [Fact]
    public void ParseList_SingleOverrideWithoutName_ThrowsAtOverride()
    {
        var e = ParseError(Cfg("type", "Normal", "override", Cfg("type", "Constant", "val", 1)));
        Assert.Equal(ErrorIds.OverrideMissingName, e.ErrorId);
        Assert.Equal("init_cfg.override", e.ConfigPath);
        Assert.Contains("\"name\"", e.Message);
    }

    [Fact]
    public void ParseList_ListOverrideWithoutNameInList_ThrowsAtItsIndex()
    {
        var e = ParseError(List(Cfg("type", "Kaiming", "layer", "Conv2d"),
            Cfg("type", "Normal", "override", List(Cfg("type", "Constant", "val", 1)))));
        Assert.Equal(ErrorIds.OverrideMissingName, e.ErrorId);
        Assert.Equal("init_cfg[1].override[0]", e.ConfigPath);
    }

    [Fact]
    public void ParseList_OverrideWithArgumentsButNoType_ThrowsOverrideMissingType()
    {
        var e = ParseError(Cfg("type", "Normal", "override", Cfg("name", "cls", "std", 0.01)));
        Assert.Equal(ErrorIds.OverrideMissingType, e.ErrorId);
        Assert.Equal("init_cfg.override", e.ConfigPath);
        Assert.Contains("dict(std=0.01)", e.Message);
    }

    [Fact]
    public void ParseList_NameOutsideOverride_IsUnknownArgument() =>
        Assert.Equal(ErrorIds.UnknownArgument, ParseError(Cfg("type", "Normal", "name", "cls", "layer", "Linear")).ErrorId);

    [Fact]
    public void ParseList_OverrideWithItsOwnOverride_ThrowsNestedOverride() =>
        Assert.Equal(ErrorIds.NestedOverride,
            ParseError(Cfg("type", "Normal", "override", Cfg("name", "a", "type", "Normal", "override", Cfg("name", "b")))).ErrorId);

    [Fact]
    public void ParseList_SeveralProblems_ReportsThemAllInOneException()
    {
        var e = ParseError(List(
            Cfg("type", "Kaimin", "layer", "Conv2d"),
            Cfg("type", "Constant", "bias", "x", "layer", 1),
            Cfg("type", "Normal", "override", Cfg("std", 1))));
        var paths = e.Problems.Select(p => p.Path).ToArray();
        Assert.True(e.Problems.Count >= 4, string.Join("; ", e.Problems));
        Assert.Contains("init_cfg[0].type", paths);
        Assert.Contains("init_cfg[1].layer", paths);
        Assert.Contains("init_cfg[1].bias", paths);
        Assert.Contains("init_cfg[2].override", paths);
        Assert.Equal(ErrorIds.UnknownInitializerType, e.ErrorId);
        Assert.Contains("problems in the config", e.Message);
    }
}
