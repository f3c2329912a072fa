using System.Text;
using InitCfg.Core.Configs;
using InitCfg.Core.Configs.Python;

namespace InitCfg.Bench;

/// <summary>
/// Case export-mmdet-configs: every config of ../shared/mmdet-configs written back as .py by InitCfg (what
/// Export-InitConfig writes) next to MMEngine's own <c>Config.fromfile(f).dump()</c>, byte by byte. MMEngine's side
/// comes from bench/mmengine_dump.py when MMENGINE_SRC names its source (bench/README.md), or from a folder of dumps
/// made before, named by MMENGINE_DUMPS. Both texts of every config land in out/bench/export-mmdet-configs/ so a
/// difference can be read with diff -r.
/// </summary>
internal static class ExportMmdetConfigs
{
    public static BenchResult Run(int reps)
    {
        var folder = MmdetSample.Folder();
        var root = Path.Combine(folder, "files");
        var listing = Path.Combine(folder, "configs.txt");
        var names = MmdetSample.Configs(folder);
        var outDir = Path.Combine(MmdetSample.OutFolder(), "export-mmdet-configs");
        var ours = Path.Combine(outDir, "initcfg");
        var configs = names.Select(n => PythonConfig.ReadFile(Path.Combine(root, n))).ToList();

        // Rendering only (the reading is the read-mmdet-configs case), as the Python side times dump() only.
        var texts = new List<string>();
        var render = Measure.Median(Enumerable.Range(0, reps + 1).Select(_ => Measure.Time(() =>
        {
            texts = configs.Select(c => ConfigExporter.Render(c, "x.py")).ToList();
        })).Skip(1).ToList());
        for (int i = 0; i < names.Count; i++) Write(Path.Combine(ours, names[i]), texts[i]);

        var theirs = Environment.GetEnvironmentVariable("MMENGINE_DUMPS") is { Length: > 0 } made ? made : Path.Combine(outDir, "mmengine");
        string source;
        double? mmengine = null;
        if (Environment.GetEnvironmentVariable("MMENGINE_DUMPS") is { Length: > 0 })
            source = $"MMEngine's dumps made before, read from MMENGINE_DUMPS={theirs}";
        else if (MmdetSample.RunMmengine("mmengine_dump.py", new[] { root, listing, theirs }, "MMEngine's dumps were not made", out var why) is { } m)
        {
            source = $"MMEngine {m.GetProperty("mmengine").GetString()} (yapf {m.GetProperty("yapf").GetString()}, Python {m.GetProperty("python").GetString()}) dumped them in this run";
            mmengine = m.GetProperty("dump_s").GetDouble();
        }
        else
            return new BenchResult("export-mmdet-configs", names.Count, render, 0, 0, 1, Measure.PeakRssMb(),
                note: $"InitCfg only ({why}): {names.Count} configs rendered as .py in {render * 1000:F1} ms; texts in {ours}");

        int same = 0;
        var differing = new List<string>();
        for (int i = 0; i < names.Count; i++)
        {
            var theirFile = Path.Combine(theirs, names[i]);
            if (File.Exists(theirFile) && File.ReadAllText(theirFile, Encoding.UTF8) == texts[i]) same++;
            else differing.Add(names[i]);
        }
        var list = differing.Count == 0 ? "" : $"; differing: {string.Join(", ", differing.Take(10))}{(differing.Count > 10 ? ", ..." : "")} (diff -r {ours} {theirs})";
        var timing = mmengine is { } t
            ? $"render {render * 1000:F1} ms (InitCfg) vs dump() {t * 1000:F0} ms (MMEngine, one pass)"
            : $"render {render * 1000:F1} ms (InitCfg; MMEngine not timed)";
        return new BenchResult("export-mmdet-configs", names.Count, render, mmengine ?? 0, mmengine is { } s ? render / s : 0, 1, Measure.PeakRssMb(),
            note: $"{same}/{names.Count} byte-identical to Config.fromfile(f).dump(); {source}; {timing}{list}");
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }
}
