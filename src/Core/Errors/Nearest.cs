#nullable enable
namespace InitCfg.Core.Errors;

/// <summary>Finds the candidate closest to a misspelt name, for "did you mean" hints.</summary>
public static class Nearest
{
    /// <summary>The closest candidate by case-insensitive edit distance, or null when nothing is close.</summary>
    public static string? Find(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            int d = Distance(Normalize(value), Normalize(candidate));
            if (d < bestDistance) { best = candidate; bestDistance = d; }
        }
        return best is not null && bestDistance <= Math.Max(3, value.Length / 2) ? best : null;
    }

    /// <summary>" (did you mean 'X'?)" or an empty string.</summary>
    public static string Hint(string value, IEnumerable<string> candidates) =>
        Find(value, candidates) is { } near ? $" Did you mean '{near}'?" : "";

    private static string Normalize(string s) => s.Replace("_", "").ToLowerInvariant();

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
