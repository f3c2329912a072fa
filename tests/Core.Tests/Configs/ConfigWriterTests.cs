using InitCfg.Core.Configs;
using static InitCfg.Core.Tests.Fixtures;

namespace InitCfg.Core.Tests.Configs;

public class ConfigWriterTests
{
    private static readonly ConfigPath Root = ConfigPath.Root("cfg");

    private static object? Tree(object? raw) => ConfigReader.FromObject(raw, Root);

    [Fact]
    public void ToYaml_Config_WritesTheBlockStyleTheHandWrittenWriterWrote()
    {
        // The text the hand-written writer wrote for this tree before the emitter took over, kept as it was.
        var tree = Cfg("type", "Normal", "layer", List("Conv2d", "Linear"), "std", 1e-05, "bias", 0L, "affine", true, "prefix", null,
            "empty", Cfg(), "none", List(), "odd key", "it's", "override", List(Cfg("name", "fc", "val", 1.5), Cfg("name", "reg")));
        Assert.Equal(
            "type: 'Normal'\nlayer:\n  - 'Conv2d'\n  - 'Linear'\nstd: 1e-05\nbias: 0\naffine: true\nprefix: null\nempty: {}\nnone: []\n" +
            "'odd key': 'it''s'\noverride:\n  - name: 'fc'\n    val: 1.5\n  - name: 'reg'\n",
            ConfigWriter.ToYaml(Tree(tree)));
    }

    [Theory]
    [InlineData("line one\nline two")]
    [InlineData("ends with a newline\n")]
    [InlineData("\n leading break and space")]
    [InlineData("tab\tand CR\r\nand a quote ' and \"")]
    [InlineData("a line separator\u2028and a next line\u0085")]
    public void ToYaml_MultiLineString_ReadsBackUnchanged(string text)
    {
        var back = (ConfigMap)ConfigReader.FromYaml(ConfigWriter.ToYaml(Tree(Cfg("doc", text, "list", List(text)))), Root)!;
        Assert.Equal(text, back["doc"]);
        Assert.Equal(text, Assert.Single((IReadOnlyList<object?>)back["list"]!));
    }

    [Fact]
    public void ToYaml_ListOfLists_ReadsBackUnchanged()
    {
        var tree = Tree(Cfg("kernel", List(List(1L, 2L), List(), List(Cfg("a", 1L)))));
        Assert.Equal(PyRepr.Repr(tree), PyRepr.Repr(ConfigReader.FromYaml(ConfigWriter.ToYaml(tree), Root)));
    }
}
