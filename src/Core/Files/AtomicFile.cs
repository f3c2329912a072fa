#nullable enable
using InitCfg.Core.Errors;

namespace InitCfg.Core.Files;

/// <summary>
/// The one way InitCfg writes a file (checkpoint and report exports): through a temporary file in the same folder,
/// renamed over the target only when complete and flushed, so an interrupted write never leaves a broken file where
/// a good one was. Only a regular file is replaced: a device node, FIFO or directory is refused, and a symbolic link
/// is written through (the regular file it points to is replaced; the link stays). A replaced file keeps its mode
/// and, where the caller may set it, its owner. The temporary file is removed on SIGTERM, and partial files of the
/// same target left by processes that no longer run are removed by the next write.
/// </summary>
public static class AtomicFile
{
    private const string PartialSuffix = ".initcfg-partial";

    /// <summary>
    /// Throws <see cref="ErrorIds.ExportTargetExists"/> when something is at <paramref name="fullPath"/> (a file,
    /// a folder or a link) and may not be replaced; for callers that check before long work.
    /// </summary>
    public static void ThrowIfExists(string fullPath, bool overwrite)
    {
        if (!overwrite && (File.Exists(fullPath) || Directory.Exists(fullPath) || new FileInfo(fullPath).LinkTarget is not null))
            throw Exists(fullPath, null);
    }

    /// <summary>
    /// Writes <paramref name="path"/> with <paramref name="write"/>, which gets the open temporary file and the
    /// path finally written (a link's target); refuses to replace anything unless <paramref name="overwrite"/>.
    /// I/O failures become <see cref="ErrorIds.ExportFailed"/>. Returns the full path finally written.
    /// </summary>
    public static string Write(string path, bool overwrite, Action<FileStream, string> write, int bufferSize = 1 << 16)
    {
        using var pending = Begin(path, overwrite);
        try
        {
            using (var fs = pending.OpenWrite(bufferSize)) write(fs, pending.Target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw pending.Failed(e); }
        pending.Commit();
        return pending.Target;
    }

    /// <summary>
    /// Starts writing <paramref name="path"/>: checks it as <see cref="Write"/> does and creates its temporary file,
    /// which the caller fills (<see cref="PendingFile.OpenWrite"/>) and then commits or disposes.
    /// </summary>
    public static PendingFile Begin(string path, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        ThrowIfExists(full, overwrite);
        if (new FileInfo(full).LinkTarget is not null)
        {
            FileSystemInfo target;
            try { target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)!; }
            catch (IOException e) // a loop of links (ELOOP), or one too deep to follow
            {
                throw new InitCfgException(ErrorIds.ExportFailed, full, $"cannot write '{full}': it is a symbolic link that leads to no file ({e.Message.TrimEnd('.')}).", e);
            }
            if (!target.Exists && !Directory.Exists(target.FullName))
                throw new InitCfgException(ErrorIds.ExportFailed, full, $"cannot write '{full}': it is a symbolic link to '{target.FullName}', which does not exist.");
            full = target.FullName;
        }
        if (RegularFile.NotRegular(full) is { } what)
            throw new InitCfgException(ErrorIds.ExportFailed, full, $"cannot write '{full}': it is {what}, not a regular file; it was left as it is.");
        var folder = Path.GetDirectoryName(full)!;
        var prefix = PartialPrefix(Path.GetFileName(full));
        RemoveStalePartials(folder, prefix);
        var temp = Path.Combine(folder, prefix + Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..6] + PartialSuffix);
        return new PendingFile(full, temp, overwrite);
    }

    // ".NAME." cut so that NAME + pid + random + suffix fit in a 255-byte file name (a 244-character NAME must work).
    internal static string PartialPrefix(string fileName)
    {
        const int room = 255 - 1 - 1 - 10 - 1 - 6 - 16; // dot, dot, pid, dot, random, suffix
        var name = fileName;
        while (System.Text.Encoding.UTF8.GetByteCount(name) > room) name = name[..^1];
        return "." + name + ".";
    }

    // Partial files of this target whose writer (the pid in the name) no longer runs: left by a kill -9 or a crash.
    private static void RemoveStalePartials(string folder, string prefix)
    {
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(folder, prefix + "*" + PartialSuffix).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var file in candidates)
        {
            var middle = Path.GetFileName(file)[prefix.Length..^PartialSuffix.Length].Split('.');
            if (middle.Length != 2 || !int.TryParse(middle[0], out var pid)) continue;
            if (pid == Environment.ProcessId || Running(pid)) continue;
            TryDelete(file);
        }
    }

    private static bool Running(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    internal static void KeepModeAndOwner(string target, string temp)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(target)) return;
        File.SetUnixFileMode(temp, File.GetUnixFileMode(target));
        if (RegularFile.Owner(target) is { } owner && RegularFile.Owner(temp) != owner)
            RegularFile.TrySetOwner(temp, owner.Uid, owner.Gid);
    }

    internal static InitCfgException Exists(string full, Exception? inner) =>
        new(ErrorIds.ExportTargetExists, full, $"'{full}' already exists ({Hints.Force} to replace it).", inner);

    internal static void TryDelete(string file)
    {
        try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
