using System.Text.Json;

namespace InitCfg.Core.Tests.Golden;

/// <summary>One scenario file of ../shared/golden (format initcfg-golden/1).</summary>
public sealed class GoldenScenario
{
    public required string Name { get; init; }
    public required JsonElement Root { get; init; }
    public required string Folder { get; init; }

    public static string? FindFolder() => SharedFolder.Find("golden", "INITCFG_GOLDEN");

    /// <summary>The scenario copied into this repository (Golden/Vendored), checked even without ../shared.</summary>
    public static string VendoredFolder => Path.Combine(AppContext.BaseDirectory, "Golden", "Vendored");

    public static GoldenScenario Load(string name, string? folder = null)
    {
        folder ??= FindFolder() ?? throw new InvalidOperationException("golden folder not found");
        var text = File.ReadAllText(Path.Combine(folder, name + ".json")).Replace("{CHECKPOINT_DIR}", folder.Replace("\\", "/"));
        return new GoldenScenario { Name = name, Root = JsonDocument.Parse(text).RootElement, Folder = folder };
    }

    public static IEnumerable<object[]> Names(Func<JsonElement, bool> filter)
    {
        var folder = FindFolder();
        if (folder is null) { yield return new object[] { "(golden folder absent)" }; yield break; }
        foreach (var file in Directory.GetFiles(folder, "*.json").OrderBy(f => f))
        {
            var doc = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
            if (filter(doc)) yield return new object[] { Path.GetFileNameWithoutExtension(file) };
        }
    }

    public JsonElement Model => Root.GetProperty("model");
    public long Seed => Root.GetProperty("seed").GetInt64();
    public bool Expressible => Root.GetProperty("expressible").GetBoolean();
    public JsonElement? Error => Root.GetProperty("expect").GetProperty("error") is { ValueKind: JsonValueKind.Object } e ? e : null;
    public IEnumerable<JsonElement> Params => Root.GetProperty("expect").GetProperty("params").EnumerateArray();
    public bool UsesCheckpoint => Root.TryGetProperty("checkpoint_files", out var c) && c.ValueKind == JsonValueKind.Array && c.GetArrayLength() > 0;
}
