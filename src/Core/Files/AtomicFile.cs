#nullable enable
using InitCfg.Core.Errors;

namespace InitCfg.Core.Files;

/// <summary>
/// Writes a file through a temporary file in the same folder, renamed over the target only when complete and
/// flushed to disk, so an interrupted write never leaves a broken file where a good one was. Used by every export
/// (checkpoints and reports).
/// </summary>
public static class AtomicFile
{
    /// <summary>Throws <see cref="ErrorIds.ExportTargetExists"/> when <paramref name="fullPath"/> exists and may not be replaced.</summary>
    public static void ThrowIfExists(string fullPath, bool overwrite)
    {
        if (!overwrite && File.Exists(fullPath)) throw Exists(fullPath, null);
    }

    /// <summary>
    /// Writes <paramref name="path"/> with <paramref name="write"/>, refusing to replace a file unless
    /// <paramref name="overwrite"/>; I/O failures become <see cref="ErrorIds.ExportFailed"/>. Returns the full path.
    /// </summary>
    public static string Write(string path, bool overwrite, Action<FileStream> write, int bufferSize = 1 << 16)
    {
        var full = Path.GetFullPath(path);
        ThrowIfExists(full, overwrite);
        var folder = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".initcfg-partial");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite);
            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            if (e is IOException && !overwrite && File.Exists(full)) throw Exists(full, e);
            throw new InitCfgException(ErrorIds.ExportFailed, full, $"cannot write '{full}': {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static InitCfgException Exists(string full, Exception? inner) =>
        new(ErrorIds.ExportTargetExists, full, $"'{full}' already exists ({Hints.Force} to replace it).", inner);

    private static void TryDelete(string file)
    {
        try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
