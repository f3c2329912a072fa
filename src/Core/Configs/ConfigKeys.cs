#nullable enable
namespace InitCfg.Core.Configs;

/// <summary>Key spelling rules: <c>bias_prob</c>, <c>BiasProb</c> and <c>biasprob</c> are one key.</summary>
public static class ConfigKeys
{
    public const string Type = "type";
    public const string Layer = "layer";
    public const string Override = "override";
    public const string Name = "name";
    public const string Bias = "bias";
    public const string BiasProb = "bias_prob";
    public const string InitCfg = "init_cfg";
    public const string Modules = "modules";
    public const string ClassName = "class_name";

    /// <summary>The comparison form of a key: lower case, underscores and dashes removed.</summary>
    public static string Normalize(string key)
    {
        Span<char> buffer = key.Length <= 128 ? stackalloc char[key.Length] : new char[key.Length];
        int n = 0;
        foreach (var c in key)
            if (c != '_' && c != '-') buffer[n++] = char.ToLowerInvariant(c);
        return new string(buffer[..n]);
    }

    /// <summary>True when two spellings name the same key.</summary>
    public static bool Same(string a, string b) => Normalize(a) == Normalize(b);
}
