namespace InitCfg.Bench;

/// <summary>Where the config cases find ../shared/mmdet-configs, their Python scripts and their output folder.</summary>
internal static class MmdetSample
{
    /// <summary>The sample folder (the one holding configs.txt), looked for above the bench binary.</summary>
    public static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "mmdet-configs"), Path.Combine(dir.FullName, "..", "shared", "mmdet-configs") })
                if (File.Exists(Path.Combine(candidate, "configs.txt"))) return Path.GetFullPath(candidate);
        throw new DirectoryNotFoundException("../shared/mmdet-configs is absent");
    }

    /// <summary>The sample's configs, as paths relative to its files/ folder.</summary>
    public static List<string> Configs(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "configs.txt")).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    /// <summary>A script of bench/ (found above the bench binary), or null.</summary>
    public static string? Script(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, name))) return Path.Combine(dir.FullName, name);
        return null;
    }

    /// <summary>out/bench of the repository the bench binary was built in.</summary>
    public static string OutFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "build.ps1"))) return Path.Combine(dir.FullName, "out", "bench");
        return Path.Combine(Path.GetTempPath(), "initcfg-bench");
    }
}
