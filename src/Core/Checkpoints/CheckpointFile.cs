#nullable enable
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>Reads a checkpoint of any supported format (told by content, not name) and writes one atomically.</summary>
public static class CheckpointFile
{
    /// <summary>The format of a file by its first bytes, or null when it is none of them.</summary>
    public static CheckpointFormat? Sniff(string file)
    {
        using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> head = stackalloc byte[9];
        int n = fs.Read(head);
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return CheckpointFormat.PyTorch;
        if (n >= 9 && head[8] == '{' && BitConverter.ToUInt64(head[..8]) <= (ulong)fs.Length) return CheckpointFormat.Safetensors;
        if (n >= 2 && head[0] == 0x80) return null; // a bare (legacy) pickle: not a format we read
        if (n >= 1) return CheckpointFormat.TorchSharp;
        return null;
    }

    /// <summary>Reads every tensor of a checkpoint.</summary>
    public static StateDict Read(string file)
    {
        if (!File.Exists(file)) throw new InitCfgException(ErrorIds.CheckpointNotFound, file, $"checkpoint '{file}' does not exist.");
        try
        {
            return Sniff(file) switch
            {
                CheckpointFormat.PyTorch => PyTorchZipReader.Read(file),
                CheckpointFormat.Safetensors => SafetensorsReader.Read(file),
                CheckpointFormat.TorchSharp => TorchSharpDatFile.Read(file),
                _ => throw PyTorchZipReader.Unreadable(file, new FileInfo(file).Length == 0
                    ? "the file is empty"
                    : "it is neither a PyTorch zip (.pth), safetensors nor TorchSharp .dat file (legacy pre-1.6 .pth files are not supported: re-save with torch.save)"),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw PyTorchZipReader.Unreadable(file, e.Message);
        }
    }

    /// <summary>Opens a checkpoint of any supported format: names, types and shapes checked now, bytes read on load.</summary>
    public static CheckpointIndex Open(string file)
    {
        if (!File.Exists(file)) throw new InitCfgException(ErrorIds.CheckpointNotFound, file, $"checkpoint '{file}' does not exist.");
        try
        {
            switch (Sniff(file))
            {
                case CheckpointFormat.PyTorch: return PyTorchZipReader.Open(file);
                case CheckpointFormat.Safetensors: return SafetensorsReader.Open(file);
                default:
                    // TorchSharp's .dat has no index to seek by: it is read whole, then copied.
                    var state = Read(file);
                    return new CheckpointIndex(file, state.Format, state.Items.Select(i => new CheckpointEntry(i.Key, i.Value.dtype, i.Value.shape, dest =>
                    {
                        using var _ = no_grad();
                        dest.copy_(i.Value);
                    })), new IDisposable[] { state });
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw PyTorchZipReader.Unreadable(file, e.Message);
        }
    }

    /// <summary>The format an export path asks for, by extension.</summary>
    public static CheckpointFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".pth" or ".pt" or ".pkl" or ".bin" => CheckpointFormat.PyTorch,
        ".safetensors" => CheckpointFormat.Safetensors,
        ".dat" => CheckpointFormat.TorchSharp,
        var ext => throw new InitCfgException(ErrorIds.UnsupportedFormat, path,
            $"cannot tell the format of '{path}' from its extension '{ext}': use .pth, .pt, .safetensors or .dat."),
    };

    /// <summary>
    /// Writes tensors to <paramref name="path"/> through a temporary file in the same folder, renamed over the target
    /// only when complete, so an interrupted write never leaves a broken file where a good one was.
    /// </summary>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> state, CheckpointFormat format, bool overwrite,
        IProgress<long>? bytesWritten = null)
    {
        var full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full))
            throw new InitCfgException(ErrorIds.ExportTargetExists, full, $"'{full}' already exists ({Hints.Force} to replace it).");
        var folder = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".initcfg-partial");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                var s = new ProgressStream(fs, state.Sum(e => e.Value.numel() * e.Value.element_size()), bytesWritten);
                switch (format)
                {
                    case CheckpointFormat.PyTorch: PyTorchZipWriter.Write(s, state, ArchiveName(full)); break;
                    case CheckpointFormat.Safetensors: SafetensorsWriter.Write(s, state); break;
                    default: TorchSharpDatFile.Write(s, state); break;
                }
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            if (e is IOException && !overwrite && File.Exists(full))
                throw new InitCfgException(ErrorIds.ExportTargetExists, full, $"'{full}' already exists ({Hints.Force} to replace it).", e);
            throw new InitCfgException(ErrorIds.ExportFailed, full, $"cannot write '{full}': {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static string ArchiveName(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        var clean = new string(stem.Select(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' ? c : '_').ToArray());
        return clean.Length == 0 ? "archive" : clean;
    }

    private static void TryDelete(string file)
    {
        try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
