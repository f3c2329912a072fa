#nullable enable
using System.Runtime.InteropServices;

namespace InitCfg.Core;

/// <summary>
/// Large native memory blocks that the kernel may back with 2 MiB pages. Where transparent huge pages are on
/// request only (<c>madvise</c>, Debian's default), every 4 KiB page of a fresh block is a page fault when first
/// written; on this project's VM kind one costs about 11 µs (2.9 s per GiB, measured in bench/README.md), a
/// 2 MiB one a few hundred times less per byte. Elsewhere the advice is ignored and the block is plain memory.
/// </summary>
internal static unsafe class NativeBlocks
{
    private const nuint HugePage = 2 << 20;
    private const int MadvHugePage = 14;

    /// <summary>A block of <paramref name="bytes"/> (a multiple of 2 MiB keeps every page huge), aligned to 2 MiB.</summary>
    public static IntPtr Alloc(nuint bytes)
    {
        var p = NativeMemory.AlignedAlloc(bytes, HugePage);
        if (OperatingSystem.IsLinux())
        {
            try { _ = Madvise(p, bytes, MadvHugePage); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        }
        return (IntPtr)p;
    }

    /// <summary>
    /// Asks for huge pages under the whole 2 MiB pages of <paramref name="bytes"/> at <paramref name="start"/>, memory
    /// allocated by someone else (a fresh libtorch tensor) and not yet written: its first writes then fault in 2 MiB at
    /// a time. A no-op off Linux or for less than two huge pages.
    /// </summary>
    public static void AdviseHuge(IntPtr start, long bytes)
    {
        if (!OperatingSystem.IsLinux() || bytes < 2 * (long)HugePage) return;
        long first = ((long)start + (long)HugePage - 1) & ~((long)HugePage - 1);
        long end = ((long)start + bytes) & ~((long)HugePage - 1);
        if (end <= first) return;
        try { _ = Madvise((void*)first, (nuint)(end - first), MadvHugePage); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    /// <summary>Frees a block from <see cref="Alloc"/>.</summary>
    public static void Free(IntPtr block) => NativeMemory.AlignedFree((void*)block);

    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static extern int Madvise(void* address, nuint length, int advice);
}
