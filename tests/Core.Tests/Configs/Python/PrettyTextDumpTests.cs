using InitCfg.Core.Configs;
using InitCfg.Core.Configs.Python;

namespace InitCfg.Core.Tests.Configs.Python;

/// <summary>
/// Export-InitConfig's .py text against MMEngine's own <c>Config.fromfile(f).dump()</c> of the same configs
/// (PrettyTextDumps/README.md says where the expected files come from): byte for byte.
/// </summary>
public class PrettyTextDumpTests
{
    private static string DumpFolder => Path.Combine(AppContext.BaseDirectory, "Configs", "Python", "PrettyTextDumps");

    public static IEnumerable<object[]> Dumps() =>
        Directory.GetFiles(DumpFolder, "*.py", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(DumpFolder, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new object[] { f });

    [Fact]
    public void Dumps_AreShipped()
    {
        Assert.True(Dumps().Count() >= 15, $"expected MMEngine's dumps in {DumpFolder}");
    }

    [SkippableTheory]
    [MemberData(nameof(Dumps))]
    public void Render_MmdetSampleConfig_IsMmenginesDumpByteForByte(string config)
    {
        var folder = MmdetSample.FindFolder();
        Skip.If(folder is null, "../shared/mmdet-configs is absent: the configs these dumps were made from are not here");
        var expected = File.ReadAllText(Path.Combine(DumpFolder, config));
        var cfg = PythonConfig.ReadFile(Path.Combine(folder!, "files", config));
        var actual = ConfigExporter.Render(cfg, "x.py");
        Assert.True(expected == actual, FirstDifference(expected, actual));
        // The PowerShell route (Import-InitConfig's dictionaries back into Export-InitConfig) writes the same text.
        var viaDotNet = ConfigExporter.Render(ConfigReader.FromObject(ConfigWriter.ToDotNet(cfg), ConfigPath.Empty), "x.py");
        Assert.True(expected == viaDotNet, "through .NET dictionaries: " + FirstDifference(expected, viaDotNet));
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var x = i < e.Length ? e[i] : "<end>";
            var y = i < a.Length ? a[i] : "<end>";
            if (x != y) return $"line {i + 1}: MMEngine has\n{x}\nInitCfg wrote\n{y}";
        }
        return "texts differ";
    }
}
