using InitCfg.Core.Configs;
using InitCfg.Core.Configs.Python;

namespace InitCfg.Core.Tests.Configs;

public class ConfigTupleTests
{
    [Fact]
    public void ReadText_Tuple_IsConfigTupleAndListIsNot()
    {
        var cfg = (ConfigMap)PythonConfig.ReadText("dict(scale=(1333, 800), xs=[1, 2], one=('a',))")!;
        Assert.Equal(new object?[] { 1333L, 800L }, Assert.IsType<ConfigTuple>(cfg["scale"]));
        Assert.IsNotType<ConfigTuple>(cfg["xs"]);
        Assert.Equal("(1333, 800)", PyRepr.Repr(cfg["scale"]));
        Assert.Equal("('a',)", PyRepr.Repr(cfg["one"]));
    }

    [Fact]
    public void WritersAndReaders_Tuple_AreListsToJsonAndYamlAndStayTuplesThroughDotNet()
    {
        var cfg = (ConfigMap)PythonConfig.ReadText("dict(scale=(1333, 800))")!;
        Assert.Contains("\"scale\": [", ConfigWriter.ToJson(cfg));
        Assert.Equal(new object?[] { 1333L, 800L }, Assert.IsAssignableFrom<IReadOnlyList<object?>>(ConfigReader.FromYaml(ConfigWriter.ToYaml(cfg), ConfigPath.Empty) is ConfigMap m ? m["scale"] : null));
        // PowerShell's view of the config (Import-InitConfig) keeps the tuple, so Export-InitConfig writes it back as one.
        var dotNet = (System.Collections.IDictionary)ConfigWriter.ToDotNet(cfg)!;
        Assert.IsType<ConfigTuple>(dotNet["scale"]);
        var back = (ConfigMap)ConfigReader.FromObject(dotNet, ConfigPath.Empty)!;
        Assert.Equal("scale = (\n    1333,\n    800,\n)\n", ConfigPrettyText.Format(back));
    }
}
