using InitCfg.Core.Initializers;
using InitCfg.Core.Errors;
using static InitCfg.Core.Tests.Fixtures;

namespace InitCfg.Core.Tests.Configs;

/// <summary>InitConfig.ParseList refusing bad configs, each problem with its path in the config.</summary>
public class InitConfigParseListTests
{
    /// <summary>
    /// One bad config a row: a name for the test list, the config, the error id, the config path (null: not
    /// checked) and texts the message must contain.
    /// </summary>
    public static TheoryData<string, object, string, string?, string[]> BadConfigs() => new()
    {
        { "not a dict: int", 42L, ErrorIds.ConfigNotMappingOrList, "init_cfg", new string[0] },
        { "not a dict: str", "Kaiming", ErrorIds.ConfigNotMappingOrList, "init_cfg", new string[0] },
        { "not a dict: bool", true, ErrorIds.ConfigNotMappingOrList, "init_cfg", new string[0] },
        { "list item not a dict", List(Cfg("type", "Kaiming", "layer", "Conv2d"), "Normal"), ErrorIds.ConfigNotMapping, "init_cfg[1]", new string[0] },
        { "unknown type", Cfg("type", "Kaimin", "layer", "Conv2d"), ErrorIds.UnknownInitializerType, "init_cfg.type",
            new[] { "Did you mean 'Kaiming'?", "Xavier" } },
        { "missing type", Cfg("layer", "Conv2d"), ErrorIds.MissingType, "init_cfg", new string[0] },
        { "Constant without val", Cfg("type", "Constant", "layer", "Conv2d"), ErrorIds.MissingArgument, "init_cfg", new[] { "'val'" } },
        { "unknown argument", Cfg("type", "Normal", "foo", 1, "layer", "Linear"), ErrorIds.UnknownArgument, "init_cfg.foo",
            new[] { "'foo'", "Valid arguments: mean, std, bias, bias_prob, layer, override." } },
        { "unknown argument in override", Cfg("type", "Normal", "layer", "Linear", "override", Cfg("type", "Constant", "name", "fc", "val", 1, "std", 2)),
            ErrorIds.UnknownArgument, "init_cfg.override.std", new[] { "Valid arguments: val, bias, bias_prob, layer, name." } },
        { "misspelt override", Cfg("type", "Normal", "layer", "Linear", "overide", Cfg("name", "fc")), ErrorIds.UnknownArgument, null,
            new[] { "Did you mean 'override'?" } },
        { "misspelt argument", Cfg("type", "Constant", "vall", 1, "layer", "Linear"), ErrorIds.UnknownArgument, "init_cfg.vall",
            new[] { "Did you mean 'val'?" } },
        { "bias a string", Cfg("type", "Constant", "val", 1, "bias", "1", "layer", "Linear"), ErrorIds.BiasNotNumber, "init_cfg.bias", new[] { "'1'" } },
        { "bias_prob 1.5", Cfg("type", "Normal", "bias_prob", 1.5, "layer", "Linear"), ErrorIds.BiasProbOutOfRange, "init_cfg.bias_prob", new string[0] },
        { "bias_prob 0", Cfg("type", "Normal", "bias_prob", 0.0, "layer", "Linear"), ErrorIds.BiasProbOutOfRange, "init_cfg.bias_prob", new string[0] },
        { "bias_prob 1", Cfg("type", "Normal", "bias_prob", 1.0, "layer", "Linear"), ErrorIds.BiasProbOutOfRange, "init_cfg.bias_prob", new string[0] },
        { "bias_prob -0.1", Cfg("type", "Normal", "bias_prob", -0.1, "layer", "Linear"), ErrorIds.BiasProbOutOfRange, "init_cfg.bias_prob", new string[0] },
        { "bias_prob a string", Cfg("type", "Normal", "bias_prob", "0.01", "layer", "Linear"), ErrorIds.BiasNotNumber, null, new string[0] },
        { "layer an int", Cfg("type", "Kaiming", "layer", 1), ErrorIds.LayerNotString, "init_cfg.layer", new string[0] },
        { "layer list with an int", Cfg("type", "Kaiming", "layer", List("Conv2d", 2)), ErrorIds.LayerNotString, null, new string[0] },
        { "Kaiming mode outside its set", Cfg("type", "Kaiming", "mode", "fan_middle", "layer", "Conv2d"), ErrorIds.InvalidArgumentValue, "init_cfg.mode",
            new[] { "'fan_middle'", "'fan_in'" } },
        { "Kaiming nonlinearity outside its set", Cfg("type", "Kaiming", "nonlinearity", "relux", "layer", "Conv2d"), ErrorIds.InvalidArgumentValue,
            "init_cfg.nonlinearity", new[] { "'relux'", "'relu'" } },
        { "Xavier distribution outside its set", Cfg("type", "Xavier", "distribution", "gaussian", "layer", "Conv2d"), ErrorIds.InvalidArgumentValue,
            "init_cfg.distribution", new[] { "'gaussian'", "'normal'" } },
        { "override not a dict", Cfg("type", "Normal", "override", "cls"), ErrorIds.OverrideNotMapping, "init_cfg.override", new string[0] },
        { "override list item not a dict", Cfg("type", "Normal", "override", List(Cfg("name", "cls"), 3)), ErrorIds.OverrideNotMapping,
            "init_cfg.override[1]", new string[0] },
        { "single override without name", Cfg("type", "Normal", "override", Cfg("type", "Constant", "val", 1)), ErrorIds.OverrideMissingName,
            "init_cfg.override", new[] { "\"name\"" } },
        { "override without name in a list", List(Cfg("type", "Kaiming", "layer", "Conv2d"), Cfg("type", "Normal", "override", List(Cfg("type", "Constant", "val", 1)))),
            ErrorIds.OverrideMissingName, "init_cfg[1].override[0]", new string[0] },
        { "override with arguments but no type", Cfg("type", "Normal", "override", Cfg("name", "cls", "std", 0.01)), ErrorIds.OverrideMissingType,
            "init_cfg.override", new[] { "dict(std=0.01)" } },
        { "name outside an override", Cfg("type", "Normal", "name", "cls", "layer", "Linear"), ErrorIds.UnknownArgument, null, new string[0] },
        { "override with its own override", Cfg("type", "Normal", "override", Cfg("name", "a", "type", "Normal", "override", Cfg("name", "b"))),
            ErrorIds.NestedOverride, null, new string[0] },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void ParseList_BadConfig_ThrowsItsErrorAtItsPath(string name, object raw, string errorId, string? path, string[] contains)
    {
        var e = ParseError(raw);
        Assert.True(errorId == e.ErrorId, $"{name}: expected {errorId}, got {e.ErrorId}: {e.Message}");
        if (path is not null) Assert.Equal(path, e.ConfigPath);
        foreach (var text in contains) Assert.Contains(text, e.Message);
    }

    [Theory]
    [InlineData(42L)]
    [InlineData("Kaiming")]
    [InlineData(true)]
    public void ParseList_NotADict_IsInvalidType(object raw) => Assert.Equal(ErrorKind.InvalidType, ParseError(raw).Kind);

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
