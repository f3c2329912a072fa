#nullable enable
using InitCfg.Core.Errors;
using InitCfg.Core.Files;
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>Reads a checkpoint of any supported format (told by content, not name) and writes one atomically.</summary>
public static class CheckpointFile
{
    /// <summary>
    /// The format a file's first bytes claim, or null when they claim none (empty, a legacy pickle, text, all zeros).
    /// A TorchSharp .dat has no magic number: it is what is left, and its reader holds it to the letter.
    /// </summary>
    public static CheckpointFormat? Sniff(string file)
    {
        using var fs = OpenRegular(file);
        var head = Head(fs);
        return SniffHead(head, fs.Length);
    }

    private static CheckpointFormat? SniffHead(byte[] head, long length)
    {
        int n = head.Length;
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return CheckpointFormat.PyTorch;
        if (n >= 9 && head[8] == '{' && BitConverter.ToUInt64(head, 0) <= (ulong)length - 8) return CheckpointFormat.Safetensors;
        if (n >= 2 && head[0] == 0x80) return null; // a bare (legacy) pickle: not a format we read
        if (n == 0 || IsText(head) || (n > 1 && head.All(b => b == 0))) return null;
        return CheckpointFormat.TorchSharp;
    }

    /// <summary>Reads every tensor of a checkpoint.</summary>
    public static NamedTensors Read(string file)
    {
        using var index = Open(file);
        return index.ReadAll();
    }

    /// <summary>
    /// Opens a checkpoint of any supported format: names, types and shapes checked now, bytes read on load. Only a
    /// regular file is opened; every failure is a <see cref="InitCfgException"/> naming the file.
    /// </summary>
    public static CheckpointIndex Open(string file) => Bounded(file, () => OpenAny(file, sharded: true));

    /// <summary>
    /// Opens one checkpoint file, never a folder or a sharded index: a shard named by an index is read with this, so
    /// an index that names itself, or a folder that links back to it, is an unreadable shard instead of a recursion.
    /// </summary>
    internal static CheckpointIndex OpenSingleFile(string file) => Bounded(file, () => OpenAny(file, sharded: false));

    private static CheckpointIndex Bounded(string file, Func<CheckpointIndex> open)
    {
        try { return open(); }
        catch (InitCfgException) { throw; }
        catch (Exception e)
        {
            // The engine boundary: whatever a reader or libtorch throws on a hostile file, the user gets an id and the file.
            throw PyTorchZipReader.Unreadable(file, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static CheckpointIndex OpenAny(string file, bool sharded)
    {
        // A Hugging Face folder or its sharded index: the shards are opened (and checked) one by one, below.
        if (sharded && Directory.Exists(file) && Sharding.ShardedSafetensors.FindIn(file) is { } inFolder) file = inFolder;
        if (sharded && Sharding.ShardedSafetensors.IsIndexFile(file) && File.Exists(file)) return Sharding.ShardedSafetensors.Open(file);
        if (Directory.Exists(file))
            throw PyTorchZipReader.Unreadable(file, "it is a directory, not a checkpoint file");
        if (!File.Exists(file)) throw new InitCfgException(ErrorIds.CheckpointNotFound, file, $"checkpoint '{file}' does not exist.");
        byte[] head;
        long length;
        using (var fs = OpenRegular(file))
        {
            head = Head(fs);
            length = fs.Length;
        }
        var format = SniffHead(head, length);
        try
        {
            return format switch
            {
                CheckpointFormat.PyTorch => PyTorchZipReader.Open(file),
                CheckpointFormat.Safetensors => SafetensorsReader.Open(file),
                CheckpointFormat.TorchSharp => TorchSharpDatFile.Open(file),
                _ => throw PyTorchZipReader.Unreadable(file, "it is neither a PyTorch zip (.pth), safetensors nor TorchSharp .dat file: it " +
                    LooksLike(head, length) + Contradiction(file, null)),
            };
        }
        catch (InitCfgException e) when (format == CheckpointFormat.TorchSharp && e.ErrorId == ErrorIds.CheckpointUnreadable)
        {
            // .dat is only the format left over: say what the file looked like, then why it is no .dat either.
            throw PyTorchZipReader.Unreadable(file, "it is neither a PyTorch zip (.pth), safetensors nor TorchSharp .dat file: it " +
                LooksLike(head, length) + Contradiction(file, null) + " (read as a .dat: " + Why(e) + ")");
        }
        catch (InitCfgException e) when (e.ErrorId == ErrorIds.CheckpointUnreadable && Contradiction(file, format) is { Length: > 0 } said)
        {
            throw new InitCfgException(e.ErrorId, e.ConfigPath, e.Message.TrimEnd('.') + said + ".", e);
        }
    }

    /// <summary>Opens a regular file for reading; a FIFO, device or directory is refused as an unreadable checkpoint.</summary>
    internal static FileStream OpenRegular(string file, int bufferSize = 1 << 16) =>
        Files.RegularFile.OpenRead(file, what => PyTorchZipReader.Unreadable(file, $"it is {what}, not a regular file (only regular files are read)"), bufferSize);

    private static byte[] Head(FileStream fs)
    {
        var head = new byte[4096];
        int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head[..n];
    }

    private static string Why(InitCfgException e)
    {
        const string marker = "cannot be read: ";
        int at = e.Message.IndexOf(marker, StringComparison.Ordinal);
        return (at < 0 ? e.Message : e.Message[(at + marker.Length)..]).TrimEnd('.');
    }

    // What the first bytes look like, for a file that parses as no format.
    private static string LooksLike(byte[] head, long length)
    {
        if (length == 0) return "is empty";
        if (head.Length >= 9 && head[8] == '{')
            return $"looks like safetensors, but its header claims {BitConverter.ToUInt64(head, 0)} bytes and the file has {length}";
        if (head[0] == 0x80) return "is a bare pickle (legacy pre-1.6 .pth files are not supported: re-save with torch.save)";
        if (length > 1 && head.All(b => b == 0)) return $"starts with {head.Length} zero bytes (an all-zero or preallocated file)";
        if (IsText(head))
        {
            var text = System.Text.Encoding.UTF8.GetString(head).TrimStart();
            var first = text.Split('\n')[0].Trim();
            if (first.Length > 40) first = first[..40] + "...";
            string kind = text.StartsWith('{') || text.StartsWith('[') ? "JSON" : first.Contains(':') ? "YAML" : "plain";
            return $"is {kind} text (it starts \"{first}\"){(kind == "plain" ? "" : ", a config file rather than a checkpoint")}";
        }
        return "is binary data of no known format (it starts " + Convert.ToHexString(head, 0, Math.Min(8, head.Length)) + ")";
    }

    // Text: valid UTF-8 without control characters other than tab, CR and LF (a truncated last character allowed).
    private static bool IsText(byte[] head)
    {
        if (head.Length == 0) return false;
        foreach (var b in head) if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r') return false;
        try { _ = StrictUtf8.GetString(head, 0, head.Length - Math.Min(3, head.Length - 1)); return true; }
        catch (System.Text.DecoderFallbackException) { return false; }
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(false, true);

    // ", although its name says .safetensors" when the extension names a format the content is not.
    /// <summary>
    /// The format <paramref name="file"/>'s extension names when it is not <paramref name="content"/>, the format it
    /// was read as (as <c>torch.load</c>, the content decides); null when they agree or the extension names none.
    /// </summary>
    public static CheckpointFormat? NamedFormatIfOther(string file, CheckpointFormat content)
    {
        try { return FormatOf(file) is var named && named != content ? named : null; }
        catch (InitCfgException) { return null; }
    }

    private static string Contradiction(string file, CheckpointFormat? content)
    {
        CheckpointFormat named;
        try { named = FormatOf(file); } catch (InitCfgException) { return ""; }
        return named == content ? "" : $"; its name says {Path.GetExtension(file)} ({named})" +
            (content is { } c ? $" but its content is {c}" : "");
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
    /// Writes tensors to <paramref name="path"/> through <see cref="AtomicFile"/> (an interrupted write never leaves a
    /// broken file where a good one was; only a regular file is replaced, a symbolic link is written through).
    /// </summary>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> state, CheckpointFormat format, bool overwrite,
        IProgress<long>? bytesWritten = null) =>
        AtomicFile.Write(path, overwrite, (fs, full) =>
        {
            var s = new ProgressStream(fs, state.Sum(e => e.Value.numel() * e.Value.element_size()), bytesWritten);
            switch (format)
            {
                case CheckpointFormat.PyTorch: PyTorchZipWriter.Write(s, state, ArchiveName(full)); break;
                case CheckpointFormat.Safetensors: SafetensorsWriter.Write(s, state); break;
                default: TorchSharpDatFile.Write(s, state); break;
            }
        }, bufferSize: 1 << 20);

    private static string ArchiveName(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        var clean = new string(stem.Select(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' ? c : '_').ToArray());
        return clean.Length == 0 ? "archive" : clean;
    }
}
