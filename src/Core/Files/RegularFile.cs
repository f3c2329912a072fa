#nullable enable
using System.Runtime.InteropServices;

namespace InitCfg.Core.Files;

/// <summary>
/// Opens only regular files. A FIFO blocks <c>open</c> until a writer comes (and Ctrl+C cannot stop it), a device
/// such as <c>/dev/zero</c> reports length 0 and never ends, and a directory is not "missing": each is named up front
/// instead. The type is read with the runtime's own <c>stat</c> (libSystem.Native, whose struct is the same on
/// every Unix) from the open handle, and on Linux the open itself cannot block, so a FIFO swapped in after any
/// earlier look at the path is refused too instead of hanging.
/// </summary>
public static class RegularFile
{
    /// <summary>
    /// What <paramref name="path"/> is when it is not a regular file (following symbolic links): "a directory",
    /// "a FIFO (named pipe)", "a character device", ...; null for a regular file or one that does not exist.
    /// </summary>
    public static string? NotRegular(string path)
    {
        if (!OperatingSystem.IsWindows())
            return Stat(path, out var st) == 0 ? Describe(st.Mode) : null;
        return Directory.Exists(path) ? "a directory" : null;
    }

    /// <summary>
    /// Opens a regular file for reading; <paramref name="refuse"/> makes the error for anything else (its argument
    /// says what the path is, as <see cref="NotRegular"/>). IO errors propagate for the caller to word.
    /// </summary>
    public static FileStream OpenRead(string path, Func<string, Exception> refuse, int bufferSize = 1 << 16)
    {
        if (OperatingSystem.IsLinux()) return OpenReadLinux(path, refuse, bufferSize);
        if (NotRegular(path) is { } what) throw refuse(what);
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
        if (!OperatingSystem.IsWindows() && FStat(fs.SafeFileHandle, out var st) == 0 && Describe(st.Mode) is { } now)
        {
            fs.Dispose();
            throw refuse(now);
        }
        return fs;
    }

    // Opened with O_NONBLOCK, so a FIFO (even one swapped in after any earlier look at the path) returns at once
    // instead of waiting for a writer; the type is then read from the open handle, the one thing that is read.
    // O_NONBLOCK does not change reads of a regular file.
    private static FileStream OpenReadLinux(string path, Func<string, Exception> refuse, int bufferSize)
    {
        int fd = Posix.Open(path, Posix.ReadOnly | Posix.NonBlock | Posix.CloseOnExec, 0);
        if (fd < 0) throw OpenFailed(path, Marshal.GetLastPInvokeError());
        var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (FStat(handle, out var st) != 0) throw new IOException($"Cannot read the type of '{path}'.");
            if (Describe(st.Mode) is { } what) throw refuse(what);
            return new FileStream(handle, FileAccess.Read, bufferSize);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static Exception OpenFailed(string path, int errno) => errno switch
    {
        1 or 13 => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
        2 => new FileNotFoundException($"Could not find file '{path}'.", path),
        20 => new DirectoryNotFoundException($"Could not find a part of the path '{path}'."),
        36 => new PathTooLongException($"The path '{path}' is too long."),
        _ => new IOException($"Cannot open '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.", errno),
    };

    /// <summary>Reads at most <paramref name="limit"/> + 1 bytes, never trusting the reported length (0 for devices).</summary>
    public static byte[] ReadBounded(Stream stream, long limit)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, limit + 1 - ms.Length))) > 0)
        {
            ms.Write(buffer, 0, n);
            if (ms.Length > limit) break;
        }
        return ms.ToArray();
    }

    /// <summary>The owner of an existing file (Unix), or null.</summary>
    public static (uint Uid, uint Gid)? Owner(string path) =>
        !OperatingSystem.IsWindows() && Stat(path, out var st) == 0 ? (st.Uid, st.Gid) : null;

    /// <summary>Gives <paramref name="path"/> this owner where the caller may (root, or the same user); false otherwise.</summary>
    public static bool TrySetOwner(string path, uint uid, uint gid)
    {
        if (OperatingSystem.IsWindows()) return false;
        try { return Chown(path, uid, gid) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    private static string? Describe(int mode) => (mode & 0xF000) switch
    {
        0x8000 => null,
        0x4000 => "a directory",
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "not a regular file",
    };

    // The runtime PAL's FileStatus: Flags, Mode, Uid, Gid, then sizes and times this class does not read.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
        public uint Uid;
        public uint Gid;
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatus output);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
    private static extern int FStat(Microsoft.Win32.SafeHandles.SafeFileHandle fd, out FileStatus output);

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint uid, uint gid);
}
