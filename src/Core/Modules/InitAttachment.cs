#nullable enable
using System.Runtime.CompilerServices;
using InitCfg.Core.Configs;
using static TorchSharp.torch;

namespace InitCfg.Core.Modules;

/// <summary>
/// Init configs and the initialized mark for any TorchSharp module, not only for <see cref="BaseModule"/>:
/// kept beside the module in a weak table so that plain layers can carry an <c>init_cfg</c> too.
/// The config is kept as given (a config tree) and validated when init_weights runs, as MMEngine does,
/// so that a bad config is reported by the call that would use it, before any weight changes.
/// </summary>
public static class InitAttachment
{
    private sealed class State
    {
        public object? Config;
        public volatile bool Initialized;
        public BuildKind Built;
    }

    private enum BuildKind { Unknown, Seeded, Unseeded }

    private static readonly ConditionalWeakTable<nn.Module, State> States = new();

    /// <summary>The module's own init_cfg as a config tree (a <see cref="ConfigMap"/>, a list of them, or null).</summary>
    public static object? GetConfig(nn.Module module) => States.TryGetValue(module, out var s) ? s.Config : null;

    /// <summary>Sets the module's own init_cfg: InitConfig objects, dictionaries or lists of them (null clears it).</summary>
    public static void SetConfig(nn.Module module, object? config) =>
        States.GetValue(module, _ => new State()).Config = ConfigReader.FromObject(config, ConfigPath.Root(ConfigKeys.InitCfg));

    /// <summary>Puts back a config tree as <see cref="GetConfig"/> returned it (a rolled-back run).</summary>
    internal static void RestoreConfig(nn.Module module, object? tree)
    {
        if (tree is null && !States.TryGetValue(module, out _)) return;
        States.GetValue(module, _ => new State()).Config = tree;
    }

    /// <summary>True once init_weights has run on the module (MMEngine's <c>is_init</c>).</summary>
    public static bool IsInitialized(nn.Module module) => States.TryGetValue(module, out var s) && s.Initialized;

    /// <summary>Records how <c>Walk.GlobalGenerator.Build</c> built <paramref name="model"/>: seeded or not.</summary>
    public static void SetBuildSeed(nn.Module model, long? seed) =>
        States.GetValue(model, _ => new State()).Built = seed is null ? BuildKind.Unseeded : BuildKind.Seeded;

    /// <summary>
    /// True when the model was built without a seed, so what no init_cfg writes keeps values drawn from the shared
    /// generator (false when built seeded, or not built by InitCfg).
    /// </summary>
    public static bool BuiltUnseeded(nn.Module model) => States.TryGetValue(model, out var s) && s.Built == BuildKind.Unseeded;

    /// <summary>Sets or clears the initialized mark.</summary>
    public static void SetInitialized(nn.Module module, bool value) =>
        States.GetValue(module, _ => new State()).Initialized = value;
}
