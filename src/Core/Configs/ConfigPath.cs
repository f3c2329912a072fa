#nullable enable
namespace InitCfg.Core.Configs;

/// <summary>Where a value sits in a config, printed like <c>backbone.init_cfg[1].override[0].name</c>.</summary>
public sealed class ConfigPath
{
    private readonly string _text;

    private ConfigPath(string text) => _text = text;

    /// <summary>A path that starts at a named root such as <c>init_cfg</c> or <c>model</c>.</summary>
    public static ConfigPath Root(string name) => new(name);

    /// <summary>The empty path (for a value given on its own).</summary>
    public static ConfigPath Empty { get; } = new("");

    /// <summary>A key below this path.</summary>
    public ConfigPath Key(string key) => new(_text.Length == 0 ? key : _text + "." + key);

    /// <summary>A list index below this path.</summary>
    public ConfigPath Index(int index) => new(_text + "[" + index + "]");

    /// <inheritdoc />
    public override string ToString() => _text.Length == 0 ? "<config>" : _text;
}
