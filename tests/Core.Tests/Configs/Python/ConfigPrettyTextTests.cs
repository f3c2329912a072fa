using InitCfg.Core.Configs;
using InitCfg.Core.Configs.Python;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Tests.Configs.Python;

public class ConfigPrettyTextTests
{
    [Fact]
    public void Format_SmallConfig_IsMmenginesPrettyTextBeforeYapf()
    {
        var cfg = PyConfigFiles.One("model = dict(type='Net', depth=50, strides=(1, 2), names=['a'], cfgs=[dict(k=1)], maps={'a b': 1})\nlr = 0.02\n");
        // The layout of Config.pretty_text's _format_dict: sorted keys, name=value lines, one list item per line.
        Assert.Equal("""
            lr=0.02
            model=dict(
                cfgs=[
                    dict(k=1),
                    ],
                depth=50,
                maps=dict(
                    {'a b': 1}),
                names=[
                    'a',
                    ],
                strides=[
                    1,
                    2,
                    ],
                type='Net')

            """.ReplaceLineEndings("\n"), ConfigPrettyText.Format(cfg));
    }

    [SkippableFact]
    public void Format_EverySampleConfig_ReadsBackEqual()
    {
        var folder = MmdetSample.FindFolder();
        Skip.If(folder is null, "../shared/mmdet-configs is absent: MMDetection sample configs not round-tripped");
        using var files = new PyConfigFiles();
        foreach (var config in MmdetSample.Configs(folder!))
        {
            var cfg = PythonConfig.ReadFile(Path.Combine(folder!, "files", config));
            var written = ConfigExporter.Export(cfg, Path.Combine(files.Root, "roundtrip.py"), overwrite: true);
            var again = PythonConfig.ReadFile(written);
            Assert.True(PyConfigFiles.SortedJson(cfg) == PyConfigFiles.SortedJson(again), config);
        }
    }

    [Theory]
    [InlineData("x.yaml")]
    [InlineData("x.json")]
    [InlineData("x.py")]
    public void Export_EachFormat_ReadsBackEqualAndRefusesToOverwrite(string name)
    {
        var cfg = PyConfigFiles.One("model = dict(type='Net', std=0.01, n=3, flag=True, none=None, xs=[1.0, 2])\n");
        using var files = new PyConfigFiles();
        var path = Path.Combine(files.Root, name);
        ConfigExporter.Export(cfg, path, overwrite: false);
        Assert.Equal(PyConfigFiles.SortedJson(cfg), PyConfigFiles.SortedJson(ConfigReader.FromFile(path)));
        Assert.Equal(ErrorIds.ExportTargetExists, Assert.Throws<InitCfgException>(() => ConfigExporter.Export(cfg, path, overwrite: false)).ErrorId);
        Assert.Single(Directory.GetFiles(files.Root));
    }

    [Fact]
    public void Export_UnknownExtension_IsUnsupportedFormat()
    {
        using var files = new PyConfigFiles();
        var e = Assert.Throws<InitCfgException>(() => ConfigExporter.Export(new ConfigMap(), Path.Combine(files.Root, "x.txt"), overwrite: false));
        Assert.Equal(ErrorIds.UnsupportedFormat, e.ErrorId);
    }
}
