#nullable enable
using System.Text;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs;

/// <summary>Writes a config tree to a .py (MMEngine pretty text), .yaml/.yml or .json file, atomically.</summary>
public static class ConfigExporter
{
    /// <summary>The text of <paramref name="config"/> in the format the extension of <paramref name="path"/> names.</summary>
    public static string Render(object? config, string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        switch (ext)
        {
            case ".py":
                if (config is not ConfigMap map)
                    throw new InitCfgException(ErrorIds.ConfigNotMapping, path, $"a .py config holds top-level names, so it needs a dict, but got {PyRepr.TypeAndValue(config)}.");
                return ConfigPrettyText.Format(map);
            case ".yaml" or ".yml": return ConfigWriter.ToYaml(config);
            case ".json": return ConfigWriter.ToJson(config) + "\n";
            default:
                throw new InitCfgException(ErrorIds.UnsupportedFormat, path, $"'{Path.GetFileName(path)}' has no config extension: use .py, .yaml, .yml or .json.");
        }
    }

    /// <summary>
    /// Writes the config through a temporary file in the target folder, renamed over the target only when complete;
    /// an existing file is replaced only with <paramref name="overwrite"/>. Returns the full path written.
    /// </summary>
    public static string Export(object? config, string path, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        return Write(full, Render(config, full), overwrite);
    }

    /// <summary>Writes text already rendered by <see cref="Render"/> (see <see cref="Export"/>).</summary>
    public static string Write(string path, string text, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full)) throw Exists(full, null);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".initcfg-partial");
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temp, full, overwrite);
            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { /* best effort: the temp file may not exist */ }
            if (e is IOException && !overwrite && File.Exists(full)) throw Exists(full, e);
            throw new InitCfgException(ErrorIds.ExportFailed, full, $"cannot write '{full}': {e.Message}", e);
        }
    }

    private static InitCfgException Exists(string full, Exception? inner) =>
        new(ErrorIds.ExportTargetExists, full, $"'{full}' already exists (use -Force to replace it).", inner);
}
