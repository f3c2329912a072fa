#nullable enable
using InitCfg.Core.Errors;

namespace InitCfg.Core.Files;

/// <summary>
/// A file being written the way <see cref="AtomicFile"/> writes: a temporary file beside the target (removed on
/// SIGTERM), written through <see cref="OpenWrite"/> as often as needed, and renamed over the target only by
/// <see cref="Commit"/> after a flush to disk. Disposing it uncommitted removes the temporary file, so several
/// files can be written side by side (the shards of one checkpoint) and all be thrown away on a failure.
/// Created by <see cref="AtomicFile.Begin"/>.
/// </summary>
public sealed class PendingFile : IDisposable
{
    private readonly bool _overwrite;
    private readonly IDisposable? _onTerm;
    private bool _done;

    internal PendingFile(string target, string temp, bool overwrite)
    {
        Target = target;
        TempPath = temp;
        _overwrite = overwrite;
        _onTerm = OperatingSystem.IsWindows() ? null
            : System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, _ => AtomicFile.TryDelete(temp));
        try { new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None).Dispose(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _onTerm?.Dispose();
            throw Failed(e);
        }
    }

    /// <summary>The full path the file gets on <see cref="Commit"/> (a symbolic link's target).</summary>
    public string Target { get; }

    /// <summary>The temporary file written until then.</summary>
    public string TempPath { get; }

    /// <summary>Opens the temporary file for writing (at any position); I/O failures become <see cref="ErrorIds.ExportFailed"/>.</summary>
    public FileStream OpenWrite(int bufferSize = 1 << 16)
    {
        try { return new FileStream(TempPath, FileMode.Open, FileAccess.Write, FileShare.None, bufferSize); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Failed(e); }
    }

    /// <summary>Flushes the temporary file to disk and renames it over <see cref="Target"/>.</summary>
    public void Commit()
    {
        try
        {
            using (var fs = new FileStream(TempPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1)) fs.Flush(flushToDisk: true);
            AtomicFile.KeepModeAndOwner(Target, TempPath);
            File.Move(TempPath, Target, _overwrite);
            _done = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (e is IOException && !_overwrite && File.Exists(Target)) throw AtomicFile.Exists(Target, e);
            throw Failed(e);
        }
        finally { if (_done) _onTerm?.Dispose(); }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_done) AtomicFile.TryDelete(TempPath);
        _done = true;
        _onTerm?.Dispose();
    }

    /// <summary>An I/O failure on this file as the typed export error.</summary>
    public InitCfgException Failed(Exception e) => new(ErrorIds.ExportFailed, Target, $"cannot write '{Target}': {e.Message}", e);
}
