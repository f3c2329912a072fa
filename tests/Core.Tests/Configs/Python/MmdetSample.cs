using System.Text.Json;
using InitCfg.Core.Configs;

namespace InitCfg.Core.Tests.Configs.Python;

/// <summary>
/// ../shared/mmdet-configs: MMDetection 3.3 configs with MMEngine's merged <c>model</c> for each, and the
/// comparison the issue asks for (JSON equality, numbers by value with int and float kept apart).
/// </summary>
public static class MmdetSample
{
    public static string? FindFolder() => SharedFolder.Find("mmdet-configs", "INITCFG_MMDET_CONFIGS");

    public static IReadOnlyList<string> Configs(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "configs.txt")).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    /// <summary>The first difference between MMEngine's JSON and our tree, or null when they are equal.</summary>
    public static string? Difference(JsonElement expected, object? actual, string path)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                // A class given as an imported object: MMEngine holds its defining module, which only Python knows;
                // the class name is what must agree.
                if (expected.TryGetProperty("__lazy__", out var lazy) && expected.EnumerateObject().Count() == 1)
                {
                    var name = lazy.GetString()!;
                    return actual is string s && s.Split('.')[^1] == name.Split('.')[^1] ? null : $"{path}: expected class {name}, got {Show(actual)}";
                }
                if (actual is not ConfigMap map) return $"{path}: expected a dict, got {Show(actual)}";
                var keys = expected.EnumerateObject().Select(p => p.Name).ToList();
                var extra = map.Keys.Where(k => !keys.Contains(k)).ToList();
                if (extra.Count > 0) return $"{path}: unexpected keys {string.Join(", ", extra)}";
                foreach (var p in expected.EnumerateObject())
                {
                    if (!map.Keys.Contains(p.Name)) return $"{path}: missing key {p.Name}";
                    if (Difference(p.Value, map[p.Name], path + "." + p.Name) is { } d) return d;
                }
                return null;
            case JsonValueKind.Array:
                if (actual is not IReadOnlyList<object?> list) return $"{path}: expected a list, got {Show(actual)}";
                var items = expected.EnumerateArray().ToList();
                if (items.Count != list.Count) return $"{path}: expected {items.Count} items, got {list.Count}";
                for (int i = 0; i < items.Count; i++)
                    if (Difference(items[i], list[i], $"{path}[{i}]") is { } d) return d;
                return null;
            case JsonValueKind.String: return actual is string str && str == expected.GetString() ? null : $"{path}: expected '{expected.GetString()}', got {Show(actual)}";
            case JsonValueKind.True or JsonValueKind.False: return actual is bool b && b == expected.GetBoolean() ? null : $"{path}: expected {expected}, got {Show(actual)}";
            case JsonValueKind.Null: return actual is null ? null : $"{path}: expected null, got {Show(actual)}";
            case JsonValueKind.Number:
                var raw = expected.GetRawText();
                if (raw.IndexOfAny(new[] { '.', 'e', 'E' }) < 0)
                    return actual is long l && l == expected.GetInt64() ? null : $"{path}: expected int {raw}, got {Show(actual)}";
                return actual is double v && v == expected.GetDouble() ? null : $"{path}: expected float {raw}, got {Show(actual)}";
        }
        return $"{path}: unexpected JSON {expected.ValueKind}";
    }

    private static string Show(object? v) => v is null ? "null" : $"{v.GetType().Name} {PyRepr.Short(v, 120)}";
}
