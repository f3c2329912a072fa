using InitCfg.Core.Initializers;
using System.Collections;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using static InitCfg.Core.Tests.Fixtures;

namespace InitCfg.Core.Tests.Configs;

public class ConfigReaderTests
{
    private static readonly ConfigPath Root = ConfigPath.Root("init_cfg");

    // ConfigReader.Ordered casts IDictionary's IEnumerable items to DictionaryEntry; a Dictionary<,> yields KeyValuePair.
    [Fact]
    public void FromObject_Dictionary_KeepsIntsApartFromFloats()
    {
        var map = Assert.IsType<ConfigMap>(ConfigReader.FromObject(new Dictionary<string, object?>
        {
            ["i"] = 1, ["l"] = 2L, ["d"] = 1.0, ["f"] = 0.5f, ["s"] = "1", ["b"] = true, ["n"] = null,
        }, Root));
        Assert.IsType<long>(map["i"]);
        Assert.IsType<long>(map["l"]);
        Assert.IsType<double>(map["d"]);
        Assert.Equal(0.5, Assert.IsType<double>(map["f"]));
        Assert.IsType<string>(map["s"]);
        Assert.IsType<bool>(map["b"]);
        Assert.True(map.Contains("n"));
        Assert.Null(map["n"]);
    }

    [Fact]
    public void FromObject_OrderedDictionary_KeepsIntsApartFromFloats()
    {
        var map = Assert.IsType<ConfigMap>(ConfigReader.FromObject(Cfg("i", 1, "d", 1.0, "f", 0.5f, "s", "1"), Root));
        Assert.Equal(1L, Assert.IsType<long>(map["i"]));
        Assert.Equal(1.0, Assert.IsType<double>(map["d"]));
        Assert.Equal(0.5, Assert.IsType<double>(map["f"]));
        Assert.Equal("1", Assert.IsType<string>(map["s"]));
        Assert.Equal("dict(i=1, d=1.0, f=0.5, s='1')", map.ToString());
    }

    [Fact]
    public void FromObject_NestedListsAndDicts_BecomeListsAndMaps()
    {
        var tree = ConfigReader.FromObject(List(Cfg("type", "Constant", "layer", List("Conv2d", "Linear"))), Root);
        var list = Assert.IsAssignableFrom<IReadOnlyList<object?>>(tree);
        var map = Assert.IsType<ConfigMap>(Assert.Single(list));
        Assert.Equal(new object?[] { "Conv2d", "Linear" }, Assert.IsAssignableFrom<IReadOnlyList<object?>>(map["layer"]));
    }

    [Fact]
    public void FromObject_UnsupportedValue_ThrowsWithPath()
    {
        var e = Assert.Throws<InitCfgException>(() => ConfigReader.FromObject(Cfg("type", "Constant", "val", new object()), Root));
        Assert.Equal(ErrorIds.UnsupportedConfigValue, e.ErrorId);
        Assert.Equal("init_cfg.val", e.ConfigPath);
    }

    [Fact]
    public void FromJson_Numbers_IntIsLongAndFloatIsDouble()
    {
        var map = Assert.IsType<ConfigMap>(ConfigReader.FromJson("""{"a": 1, "b": 1.0, "c": 1e-5, "d": "1", "e": false, "f": null}""", Root));
        Assert.Equal(1L, Assert.IsType<long>(map["a"]));
        Assert.Equal(1.0, Assert.IsType<double>(map["b"]));
        Assert.Equal(1e-5, Assert.IsType<double>(map["c"]));
        Assert.Equal("1", Assert.IsType<string>(map["d"]));
        Assert.Equal(false, map["e"]);
        Assert.Null(map["f"]);
    }

    [Fact]
    public void FromJson_ObjectKeys_KeepTheirOrder()
    {
        var map = Assert.IsType<ConfigMap>(ConfigReader.FromJson("""{"layer": "Conv2d", "type": "Kaiming", "mode": "fan_in"}""", Root));
        Assert.Equal(new[] { "layer", "type", "mode" }, map.Keys);
    }

    [Fact]
    public void FromYaml_Scalars_FollowTheCoreSchema()
    {
        var map = Assert.IsType<ConfigMap>(ConfigReader.FromYaml("a: 1\nb: 1.0\nc: '1'\nd: 1e-5\ne: true\nf: null\ng: \"0.5\"\nh: fan_in\n", Root));
        Assert.Equal(1L, Assert.IsType<long>(map["a"]));
        Assert.Equal(1.0, Assert.IsType<double>(map["b"]));
        Assert.Equal("1", Assert.IsType<string>(map["c"]));
        Assert.Equal(1e-5, Assert.IsType<double>(map["d"]));
        Assert.Equal(true, map["e"]);
        Assert.Null(map["f"]);
        Assert.Equal("0.5", Assert.IsType<string>(map["g"]));
        Assert.Equal("fan_in", map["h"]);
    }

    [Fact]
    public void FromYaml_ListOfConfigs_ParsesEveryItem()
    {
        var yaml = "- type: Kaiming\n  layer: Conv2d\n- type: Constant\n  val: 1\n  layer: [BatchNorm2d, GroupNorm]\n";
        var configs = InitConfig.ParseList(ConfigReader.FromYaml(yaml, Root), Root);
        Assert.Equal(2, configs.Count);
        Assert.Equal("dict(type='Constant', val=1, layer=['BatchNorm2d', 'GroupNorm'])", configs[1].ToString());
    }

    [Fact]
    public void FromYaml_QuotedNumberForBias_IsRefusedAsNotNumber()
    {
        var e = ParseError(ConfigReader.FromYaml("type: Constant\nval: 1\nbias: '1'\nlayer: Conv2d\n", Root));
        Assert.Equal(ErrorIds.BiasNotNumber, e.ErrorId);
    }

    [Fact]
    public void FromObject_Hashtable_OrdersTypeFirstAndOverrideLast()
    {
        var table = new Hashtable
        {
            ["override"] = new Hashtable { ["val"] = 0, ["name"] = "cls", ["type"] = "Constant" },
            ["layer"] = "Conv2d",
            ["val"] = 1,
            ["type"] = "Constant",
            ["bias"] = 2,
        };
        var map = Assert.IsType<ConfigMap>(ConfigReader.FromObject(table, Root));
        Assert.Equal(new[] { "type", "bias", "val", "layer", "override" }, map.Keys);
        Assert.Equal(new[] { "type", "name", "val" }, Assert.IsType<ConfigMap>(map["override"]).Keys);
        Assert.Equal("dict(type='Constant', bias=2, val=1, layer='Conv2d', override=dict(type='Constant', name='cls', val=0))",
            InitConfig.ParseList(table, Root)[0].ToString());
    }

    [Fact]
    public void FromObject_OrderedDictionary_KeepsInsertionOrder()
    {
        var map = Assert.IsType<ConfigMap>(ConfigReader.FromObject(Cfg("layer", "Conv2d", "type", "Kaiming"), Root));
        Assert.Equal(new[] { "layer", "type" }, map.Keys);
    }

    [Fact]
    public void FromFile_MissingFile_ThrowsConfigFileNotFound()
    {
        var e = Assert.Throws<InitCfgException>(() => ConfigReader.FromFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".yaml")));
        Assert.Equal(ErrorIds.ConfigFileNotFound, e.ErrorId);
    }

    [Fact]
    public void FromFile_JsonAndYaml_ReadByExtension()
    {
        var dir = Directory.CreateTempSubdirectory("initcfg-tests-");
        try
        {
            var json = Path.Combine(dir.FullName, "c.json");
            var yaml = Path.Combine(dir.FullName, "c.yml");
            File.WriteAllText(json, """{"type": "Normal", "std": 0.01, "layer": "Linear"}""");
            File.WriteAllText(yaml, "type: Normal\nstd: 0.01\nlayer: Linear\n");
            Assert.Equal(InitConfig.ParseList(ConfigReader.FromFile(json), Root)[0].ToString(),
                InitConfig.ParseList(ConfigReader.FromFile(yaml), Root)[0].ToString());
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void FromFile_BadJson_ThrowsConfigFileUnreadable()
    {
        var file = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json");
        File.WriteAllText(file, "{ \"type\": ");
        try { Assert.Equal(ErrorIds.ConfigFileUnreadable, Assert.Throws<InitCfgException>(() => ConfigReader.FromFile(file)).ErrorId); }
        finally { File.Delete(file); }
    }
}
