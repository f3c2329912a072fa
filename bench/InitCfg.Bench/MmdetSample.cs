using System.Diagnostics;
using System.Text.Json;

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

    /// <summary>
    /// Runs a bench/ script that imports MMEngine (from MMENGINE_SRC, with MMENGINE_PYTHON or python3) and returns the
    /// last line of its output as JSON; null with the reason (<paramref name="skipped"/> says what is then not done)
    /// when MMENGINE_SRC is unset or the run fails, so a case can still report its own side.
    /// </summary>
    public static JsonElement? RunMmengine(string scriptName, IEnumerable<string> args, string skipped, out string why)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MMENGINE_SRC"))) { why = $"MMENGINE_SRC is not set, so {skipped}; see bench/README.md"; return null; }
        return RunPython(scriptName, args, "MMEngine", out why);
    }

    /// <summary>
    /// Runs bench/<paramref name="scriptName"/> with <paramref name="python"/> (default: MMENGINE_PYTHON, else python3)
    /// and returns the last line it prints as JSON; null with the reason when it cannot start or fails
    /// (<paramref name="what"/> names the peer), so a case can still report its own side.
    /// </summary>
    public static JsonElement? RunPython(string scriptName, IEnumerable<string> args, string what, out string why, string? python = null)
    {
        var script = Script(scriptName);
        if (script is null) { why = $"bench/{scriptName} was not found"; return null; }
        python ??= Environment.GetEnvironmentVariable("MMENGINE_PYTHON") is { Length: > 0 } p ? p : "python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                why = $"{what} run failed ({python} exit {process.ExitCode}): {stderr.Result.Trim().Split('\n').LastOrDefault()}";
                return null;
            }
            using var doc = JsonDocument.Parse(stdout.Trim().Split('\n').Last());
            why = "";
            return doc.RootElement.Clone();
        }
        catch (System.ComponentModel.Win32Exception ex) { why = $"{python} could not start: {ex.Message}"; return null; }
    }
}
