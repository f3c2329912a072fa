using InitCfg.Core.Configs;
using InitCfg.Core.Configs.Python;
using InitCfg.Core.Tests.Checkpoints;

namespace InitCfg.Core.Tests.Configs.Python;

/// <summary>Small config trees written to a temp folder: the repository's own examples of each construct.</summary>
internal sealed class PyConfigFiles : IDisposable
{
    private readonly TempFolder _dir = new();

    public PyConfigFiles(params (string Path, string Text)[] files)
    {
        foreach (var (path, text) in files) Add(path, text);
    }

    public string Root => _dir.Path;

    public string Add(string path, string text)
    {
        var full = System.IO.Path.Combine(_dir.Path, path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text.ReplaceLineEndings("\n"));
        return full;
    }

    public ConfigMap Read(string path, Func<string, string?>? environment = null) =>
        PythonConfig.ReadFile(System.IO.Path.Combine(_dir.Path, path), environment ?? (_ => null));

    public void Dispose() => _dir.Dispose();

    /// <summary>A config read from one file.</summary>
    public static ConfigMap One(string text)
    {
        using var files = new PyConfigFiles(("config.py", text));
        return files.Read("config.py");
    }

    /// <summary>JSON of a tree with every dict's keys sorted, to compare trees whatever their key order.</summary>
    public static string SortedJson(object? tree) => Json(Sorted(tree));

    private static object? Sorted(object? tree) => tree switch
    {
        ConfigMap m => m.OrderBy(e => e.Key, StringComparer.Ordinal).Aggregate(ConfigMap.WithExactKeys(), (acc, e) => { acc.Set(e.Key, Sorted(e.Value)); return acc; }),
        IReadOnlyList<object?> l => l.Select(Sorted).ToList(),
        _ => tree,
    };

    /// <summary>JSON of a tree, for compact assertions (ints stay ints, floats keep a point).</summary>
    public static string Json(object? tree) => System.Text.Json.JsonSerializer.Serialize(
        System.Text.Json.JsonDocument.Parse(ConfigWriter.ToJson(tree)).RootElement);
}
