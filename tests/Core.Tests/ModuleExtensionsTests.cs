using InitCfg.Core.Initializers;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests;

/// <summary>The C# API: configs as text, dictionaries and anonymous objects; export, load and .NET wording.</summary>
public class ModuleExtensionsTests
{

    private const string Yaml = """
        - type: Kaiming
          layer: Conv2d
        - type: Normal
          std: 0.01
          layer: Linear
          override:
            - name: fc
              type: Constant
              val: 0.5
        """;

    private static object Anonymous() => new object[]
    {
        new { type = "Kaiming", layer = "Conv2d" },
        new { type = "Normal", std = 0.01, layer = "Linear", @override = new[] { new { name = "fc", type = "Constant", val = 0.5 } } },
    };

    private static object Dictionaries() => List(
        Cfg("type", "Kaiming", "layer", "Conv2d"),
        Cfg("type", "Normal", "std", 0.01, "layer", "Linear", "override", List(Cfg("name", "fc", "type", "Constant", "val", 0.5))));

    private static void AssertSameWeights(nn.Module a, nn.Module b)
    {
        var right = b.state_dict();
        foreach (var (name, t) in a.state_dict()) Assert.True(t.Equals(right[name]), name);
        GC.KeepAlive(a); // a finalized BatchNorm disposes the weights compared above (PLATFORM.md)
        GC.KeepAlive(b);
    }

    [Fact]
    public void InitWeights_TextDictionariesAnonymousAndParsed_GiveTheSameWeights()
    {
        var fromText = ToyNet();
        fromText.InitWeights(Yaml, seed: 3);
        foreach (var config in new[] { Dictionaries(), Anonymous(), InitConfig.Parse(Yaml) })
        {
            var other = ToyNet();
            other.InitWeights(config, seed: 3);
            AssertSameWeights(fromText, other);
        }
        Assert.Equal("ConstantInit: val=0.5, bias=0", fromText.GetInitReport().Single(r => r.Name == "fc.weight").InitInfo);
    }

    [Fact]
    public void Parse_JsonAndYaml_GiveEqualConfigs()
    {
        var yaml = InitConfig.Parse("type: Xavier\ndistribution: uniform\nlayer: [Conv2d, Linear]");
        var json = InitConfig.Parse("""{"type": "Xavier", "distribution": "uniform", "layer": ["Conv2d", "Linear"]}""");
        Assert.Equal(Assert.Single(yaml).ToString(), Assert.Single(json).ToString());
    }

    [Fact]
    public void Parse_PythonDictSyntax_ReadsMMEngineDict()
    {
        var config = Assert.Single(InitConfig.Parse("dict(type='Kaiming', layer='Conv2d')"));
        Assert.Equal("dict(type='Kaiming', layer='Conv2d')", config.ToString());
    }

    [Fact]
    public void InitWeights_InvalidAnonymousConfig_ThrowsBeforeAnyChange()
    {
        var model = ToyNet();
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var e = Assert.Throws<InitCfgException>(() => model.InitWeights(new { type = "Kaiming", layer = "Conv2d", mode = "fan_sideways" }));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        foreach (var (name, t) in model.state_dict()) Assert.True(t.Equals(before[name]), name);
    }

    [Fact]
    public void InitWeights_SecondCall_WarnsInDotNetWords()
    {
        var model = ToyNet();
        model.InitWeights(new { type = "Kaiming", layer = "Conv2d" }, seed: 0);
        var again = model.InitWeights(new { type = "Kaiming", layer = "Conv2d" }, seed: 0);
        Assert.True(again.Skipped);
        Assert.Contains("pass force: true", Assert.Single(again.Warnings).Message);
        Assert.DoesNotContain("-Force", again.Warnings[0].Message);
    }

    [Fact]
    public void ExportWeights_ThenLoadCheckpoint_RoundTripsEveryTensor()
    {
        var dir = Directory.CreateTempSubdirectory("initcfg-api-");
        try
        {
            var model = ToyNet();
            model.InitWeights(Yaml, seed: 1);
            var file = model.ExportWeights(Path.Combine(dir.FullName, "toy.safetensors"));
            Assert.True(file.Length > 0);

            var e = Assert.Throws<InitCfgException>(() => model.ExportWeights(file.FullName));
            Assert.Equal(ErrorIds.ExportTargetExists, e.ErrorId);
            Assert.Contains("pass force: true", e.Message);
            model.ExportWeights(file.FullName, force: true);

            var other = ToyNet();
            var report = other.LoadCheckpoint(file.FullName, strict: true);
            Assert.True(report.IsComplete);
            Assert.Equal(model.state_dict().Count, report.Loaded.Count);
            AssertSameWeights(model, other);
            Assert.StartsWith("PretrainedInit", other.GetInitReport().First().InitInfo);
        }
        finally { dir.Delete(recursive: true); }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad\0name.pth")]
    public void ExportWeights_UnusablePath_ThrowsInitCfgException(string path)
    {
        var e = Assert.Throws<InitCfgException>(() => ToyNet().ExportWeights(path));
        Assert.Equal(ErrorIds.ExportFailed, e.ErrorId);
    }

    [Fact]
    public void LoadCheckpoint_StrictWithMissingKeys_ThrowsBeforeWriting()
    {
        var dir = Directory.CreateTempSubdirectory("initcfg-api-");
        try
        {
            var small = Net("Small", ("conv", nn.Conv2d(3, 4, 3)));
            var file = small.ExportWeights(Path.Combine(dir.FullName, "small.pth"));
            var model = ToyNet();
            var before = model.state_dict()["conv.weight"].clone();
            var e = Assert.Throws<InitCfgException>(() => model.LoadCheckpoint(file.FullName, strict: true));
            Assert.Equal(ErrorIds.StrictWarning, e.ErrorId);
            Assert.True(model.state_dict()["conv.weight"].Equals(before));
            Assert.Equal(2, model.LoadCheckpoint(file.FullName).Loaded.Count);
        }
        finally { dir.Delete(recursive: true); }
    }
}
