#nullable enable
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace InitCfg.Core.Files;

/// <summary>
/// <c>open(2)</c> with the flags .NET does not offer (O_NONBLOCK, O_DIRECT), Linux's values. O_DIRECT writes go from
/// memory to the device without the page cache: on this project's VM kind a buffered write costs 2-3 s of CPU per
/// GiB in the kernel, a direct one about 0.1 s (bench/README.md). Direct buffers, offsets and lengths must be
/// multiples of <see cref="DirectAlignment"/>.
/// </summary>
internal static class Posix
{
    public const int ReadOnly = 0x0, WriteOnly = 0x1, ReadWrite = 0x2, Create = 0x40, Exclusive = 0x80,
        NonBlock = 0x800, Direct = 0x4000, CloseOnExec = 0x80000;

    /// <summary>The alignment every O_DIRECT transfer here keeps (the largest logical block size in use).</summary>
    public const int DirectAlignment = 4096;

    /// <summary>Opens <paramref name="path"/> with O_DIRECT added to <paramref name="flags"/>; null where the OS or the file system has none (tmpfs).</summary>
    public static SafeFileHandle? TryOpenDirect(string path, int flags, int mode = 0x180)
    {
        if (!OperatingSystem.IsLinux()) return null;
        int fd = Open(path, flags | Direct | CloseOnExec, mode);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);
}
