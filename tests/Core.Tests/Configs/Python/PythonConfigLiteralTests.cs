using InitCfg.Core.Initializers;
using InitCfg.Core.Configs;

namespace InitCfg.Core.Tests.Configs.Python;

public class PythonConfigLiteralTests
{
    [Fact]
    public void ReadFile_StringLiterals_DecodeAsPython()
    {
        var cfg = PyConfigFiles.One("""
            a = 'single'
            b = "double"
            c = '''triple
            lines'''
            d = 'implicit' "concat" 'enation'
            e = 'tab\tnew\nline \'q\' \x41\u00e9'
            f = r'raw\n'
            g = ('wrapped '
                 'over lines')
            h = "it's"
            """);
        Assert.Equal("single", cfg["a"]);
        Assert.Equal("double", cfg["b"]);
        Assert.Equal("triple\nlines", cfg["c"]);
        Assert.Equal("implicitconcatenation", cfg["d"]);
        Assert.Equal("tab\tnew\nline 'q' A\u00e9", cfg["e"]);
        Assert.Equal("raw\\n", cfg["f"]);
        Assert.Equal("wrapped over lines", cfg["g"]);
        Assert.Equal("it's", cfg["h"]);
    }

    [Fact]
    public void ReadFile_FStrings_FormatValuesAndSpecs()
    {
        var cfg = PyConfigFiles.One("""
            depth = 50
            lr = 0.02
            name = f'resnet{depth}_lr{lr}'
            padded = f'{depth:04d}-{lr:.3f}-{lr!r}-{{literal}}'
            nested = f"{'x' * 2}{[1, 2][1]}"
            """);
        Assert.Equal("resnet50_lr0.02", cfg["name"]);
        Assert.Equal("0050-0.020-0.02-{literal}", cfg["padded"]);
        Assert.Equal("xx2", cfg["nested"]);
    }

    [Fact]
    public void ReadFile_Numbers_KeepIntAndFloatApart()
    {
        var cfg = PyConfigFiles.One("a = 1\nb = 1.0\nc = 1e-4\nd = 0x10\ne = 1_000\nf = -3\ng = .5\nh = 2E3\n");
        Assert.Equal("""{"a":1,"b":1.0,"c":0.0001,"d":16,"e":1000,"f":-3,"g":0.5,"h":2000.0}""", PyConfigFiles.Json(cfg));
    }

    [Fact]
    public void ReadFile_ConstantsTuplesDictsAndUnpacking_BecomeTheConfigTree()
    {
        var cfg = PyConfigFiles.One("""
            flags = (True, False, None)
            single = (1,)
            empty = ()
            display = {'type': 'BN', 'requires_grad': True}
            call = dict(type='GN', num_groups=32)
            merged = dict(**call, eps=1e-5)
            both = {**display, 'momentum': 0.1}
            nested = [dict(a=[1, (2, 3)])]
            """);
        Assert.Equal("""[true,false,null]""", PyConfigFiles.Json(cfg["flags"]));
        Assert.Equal("""[1]""", PyConfigFiles.Json(cfg["single"]));
        Assert.Equal("""[]""", PyConfigFiles.Json(cfg["empty"]));
        Assert.Equal("""{"type":"BN","requires_grad":true}""", PyConfigFiles.Json(cfg["display"]));
        Assert.Equal("""{"type":"GN","num_groups":32,"eps":1.0e-05}""", PyConfigFiles.Json(cfg["merged"]));
        Assert.Equal("""{"type":"BN","requires_grad":true,"momentum":0.1}""", PyConfigFiles.Json(cfg["both"]));
        Assert.Equal("""[{"a":[1,[2,3]]}]""", PyConfigFiles.Json(cfg["nested"]));
    }

    [Fact]
    public void ReadText_PastedDict_IsTheConfigInitCfgPrints()
    {
        var tree = (ConfigMap)InitCfg.Core.Configs.Python.PythonConfig.ReadText("dict(type='Normal', layer='Conv2d', std=0.01)")!;
        Assert.Equal("dict(type='Normal', layer='Conv2d', std=0.01)", tree.ToString());
    }

    [Theory]
    [InlineData("dict(type='Normal', layer='Conv2d', std=0.01)")]
    [InlineData("{'type': 'Normal', 'layer': 'Conv2d', 'std': 0.01}")]
    [InlineData("{\"type\": \"Normal\", \"layer\": \"Conv2d\", \"std\": 0.01}")]
    [InlineData("type: Normal\nlayer: Conv2d\nstd: 0.01\n")]
    [InlineData("init_cfg = dict(type='Normal', layer='Conv2d', std=0.01)")]
    public void FromText_PythonJsonOrYaml_GivesTheSameInitConfig(string text)
    {
        var tree = ConfigFiles.InitCfgOf(ConfigReader.FromText(text, ConfigPath.Root("init_cfg")));
        var config = Assert.Single(InitConfig.ParseList(tree, ConfigPath.Root("init_cfg")));
        Assert.Equal("dict(type='Normal', layer='Conv2d', std=0.01)", config.ToString());
    }
}
