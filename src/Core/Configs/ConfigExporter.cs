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

    /// <summary>
    /// Writes text already rendered by <see cref="Render"/> (see <see cref="Export"/>) through the one atomic writer
    /// the exports share: regular files only, links written through, the replaced file's mode kept.
    /// </summary>
    public static string Write(string path, string text, bool overwrite)
    {
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
        return Files.AtomicFile.Write(path, overwrite, (fs, _) => fs.Write(bytes));
    }
}
