using System.Text.Json;
using InitCfg.Core.Configs;
using InitCfg.Core.Configs.Python;

namespace InitCfg.Core.Tests.Configs.Python;

public class MmdetSampleTests
{
    public static IEnumerable<object[]> Names()
    {
        var folder = MmdetSample.FindFolder();
        if (folder is null) { yield return new object[] { "(mmdet-configs folder absent)" }; yield break; }
        foreach (var config in MmdetSample.Configs(folder)) yield return new object[] { config };
    }

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void ReadFile_MmdetSampleConfig_ModelEqualsMmengine(string config)
    {
        var folder = MmdetSample.FindFolder();
        Skip.If(folder is null, "../shared/mmdet-configs is absent: MMDetection sample configs not compared");
        var cfg = PythonConfig.ReadFile(Path.Combine(folder!, "files", config));
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder!, "expected", config + ".json")));
        Assert.Null(MmdetSample.Difference(expected.RootElement, cfg["model"], "model"));
    }

    [SkippableFact]
    public void ReadFile_WholeMmdetSample_EveryModelEqualsMmengine()
    {
        var folder = MmdetSample.FindFolder();
        Skip.If(folder is null, "../shared/mmdet-configs is absent: MMDetection sample configs not compared");
        var failures = new List<string>();
        var configs = MmdetSample.Configs(folder!);
        foreach (var config in configs)
        {
            try
            {
                var cfg = PythonConfig.ReadFile(Path.Combine(folder!, "files", config));
                using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder!, "expected", config + ".json")));
                if (MmdetSample.Difference(expected.RootElement, cfg["model"], "model") is { } d) failures.Add($"{config}: {d}");
            }
            catch (Exception e) { failures.Add($"{config}: {e.GetType().Name}: {e.Message}"); }
        }
        Assert.True(failures.Count == 0, $"{configs.Count - failures.Count} of {configs.Count} equal; differences:\n{string.Join("\n", failures)}");
    }
}
