#nullable enable
namespace InitCfg.Core.Configs.Python;

/// <summary>
/// Reads MMEngine / MMDetection Python configs without running Python: <c>_base_</c> inheritance and merge
/// rules, <c>{{_base_.x}}</c>, variables, expressions, comprehensions and the lazy-import style, returning the
/// merged config as <c>Config.fromfile</c> would (tuples as <see cref="ConfigTuple"/>, imported classes as their dotted names).
/// </summary>
public static class PythonConfig
{
    /// <summary>The merged config of a .py file (or of a .yaml/.json file with _base_ files) as a <see cref="ConfigMap"/>.</summary>
    public static ConfigMap ReadFile(string file) => ReadFile(file, null);

    /// <summary>The merged config of a .py file, reading environment variables (<c>{{$NAME:default}}</c>) through <paramref name="environment"/>.</summary>
    public static ConfigMap ReadFile(string file, Func<string, string?>? environment) => Bounded(file, () =>
    {
        var cfg = new PyConfigLoader(environment).Load(file);
        return (ConfigMap)PyConfigLoader.ToTree(cfg, ConfigPath.Empty, new ConfigLimits(), 0)!;
    });

    /// <summary>
    /// Evaluates Python text given directly: an expression such as <c>dict(type='Normal', std=0.01)</c>, or
    /// statements such as <c>init_cfg = dict(...)</c> (then the result maps each name to its value).
    /// </summary>
    public static object? ReadText(string text, string name = "<text>") => Bounded(name, () =>
        PyConfigLoader.ToTree(new PyConfigLoader().Evaluate(text, name), ConfigPath.Empty, new ConfigLimits(), 0));

    // Recursion checks the stack it has left (RuntimeHelpers.EnsureSufficientExecutionStack) so that a deeply
    // nested config fails on any thread, whatever its stack size, with the same error as the other bounds.
    private static T Bounded<T>(string where, Func<T> read)
    {
        try { return read(); }
        catch (InsufficientExecutionStackException e)
        {
            throw new Errors.InitCfgException(Errors.ErrorIds.ConfigTooLarge, where, $"{where}: the config nests too deeply to read on this thread's stack.", e);
        }
    }
}
