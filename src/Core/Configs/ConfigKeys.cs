#nullable enable
namespace InitCfg.Core.Configs;

/// <summary>Key spelling rules: <c>bias_prob</c>, <c>BiasProb</c> and <c>biasprob</c> are one key.</summary>
public static class ConfigKeys
{
    /// <summary>The initializer (or module) type key.</summary>
    public const string Type = "type";
    /// <summary>The layer-type names a config applies to.</summary>
    public const string Layer = "layer";
    /// <summary>Per-submodule overrides.</summary>
    public const string Override = "override";
    /// <summary>The submodule an override targets.</summary>
    public const string Name = "name";
    /// <summary>The value a bias is filled with.</summary>
    public const string Bias = "bias";
    /// <summary>The prior probability a bias is computed from (MMEngine's <c>bias_init_with_prob</c>).</summary>
    public const string BiasProb = "bias_prob";
    /// <summary>The key of a node's init configs.</summary>
    public const string InitCfg = "init_cfg";
    /// <summary>The children of a model config node.</summary>
    public const string Modules = "modules";
    /// <summary>The class name a model config node reports.</summary>
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
