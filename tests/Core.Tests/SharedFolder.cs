namespace InitCfg.Core.Tests;

/// <summary>Finds a folder of ../shared (the project's read-only reference data) relative to the repository.</summary>
internal static class SharedFolder
{
    /// <summary>The folder named by <paramref name="environmentVariable"/>, or shared/<paramref name="name"/> next to or above the test binaries; null when absent.</summary>
    public static string? Find(string name, string environmentVariable)
    {
        var env = Environment.GetEnvironmentVariable(environmentVariable);
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", name);
            if (Directory.Exists(candidate)) return candidate;
            candidate = Path.Combine(dir.FullName, "..", "shared", name);
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }
}
