#nullable enable
using InitCfg.Core.Configs;
namespace InitCfg.Core.Initializers;

/// <summary>
/// An initializer that writes a whole target module at once instead of each matching layer (MMEngine's
/// <c>PretrainedInit</c>): it ignores <c>layer</c>, takes no <c>bias</c> arguments, and needs a
/// <see cref="Prepare"/> step that reads its source (a checkpoint) while planning, so a missing or broken source
/// stops the call before any weight changes.
/// </summary>
public abstract class WholeTargetInitializer : Initializer
{
    /// <summary>Keeps the validated arguments.</summary>
    protected WholeTargetInitializer(InitArguments args) : base(args) { }

    /// <summary>
    /// Reads what this initializer needs for one run; the caller disposes the result when the run is over.
    /// Errors name <paramref name="configPath"/>, where the walk found this config.
    /// </summary>
    public abstract PreparedInit Prepare(InitEnvironment environment, ConfigPath configPath);
}
