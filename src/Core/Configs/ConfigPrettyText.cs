#nullable enable
using System.Text;

namespace InitCfg.Core.Configs;

/// <summary>
/// A config as Python text, exactly as MMEngine's <c>Config.pretty_text</c> (so <c>Config.dump()</c> of a .py config)
/// returns it: <c>_format_dict</c>'s text (keys sorted, <c>dict(...)</c> for dicts, a <c>dict({'k': v})</c> display when a
/// key is not an identifier, lists and tuples one item per line with a trailing comma), reflowed as yapf 0.32 reflows
/// it under MMEngine's style (see <see cref="PrettyText.LogicalLine"/> and <see cref="PrettyText.LineReflow"/>).
/// Reading the text back gives the same config.
/// </summary>
public static class ConfigPrettyText
{
    /// <summary>The text of a whole config (a dict of top-level names), one statement per top-level name.</summary>
    public static string Format(ConfigMap config)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in config.OrderBy(e => e.Key, StringComparer.Ordinal))
            sb.Append(PrettyText.LineReflow.Format(PrettyText.LogicalLine.Statement(k, v))).Append('\n');
        return sb.Length == 0 ? "\n" : sb.ToString();
    }

    /// <summary>
    /// The pretty text of a dictionary as PowerShell holds it (for the console view of Import-InitConfig's output);
    /// a value that is not a config shows as a message instead of failing the display.
    /// </summary>
    public static string Show(object? value)
    {
        try
        {
            return ConfigReader.FromObject(value, ConfigPath.Empty) is ConfigMap map ? Format(map).TrimEnd('\n') : PyRepr.Short(value);
        }
        catch (Errors.InitCfgException e) { return $"<{e.Message}>"; }
    }

    /// <summary>Python's <c>str.isidentifier()</c> for the keys of configs.</summary>
    internal static bool IsIdentifier(string s) =>
        s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c == '_');
}
