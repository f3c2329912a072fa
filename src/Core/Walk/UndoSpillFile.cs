#nullable enable
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace InitCfg.Core.Walk;

/// <summary>
/// The undo bytes past the memory budget, appended to a temp file that has no name (unlinked once open, so
/// nothing is left behind whatever ends the process). Bytes are gathered in 8 MiB blocks and each full block is
/// written on a worker while the run goes on, with O_DIRECT where the file system takes it: the device copies
/// from the block, so the write costs the cores almost nothing, and the page cache does not fill with bytes that
/// are read back only when a call fails (buffered, it costs about 3 s of CPU per GiB on this VM kind, see bench/).
/// A block stays in memory until its write has succeeded, so a failed write loses nothing: the store still
/// restores from it, and the next append throws, which ends the run before anything else is overwritten.
/// </summary>
internal sealed class UndoSpillFile : IDisposable
{
    // A multiple of 2 MiB (huge pages) and of every O_DIRECT alignment; reads and writes are whole blocks.
    private const int BlockBytes = 8 << 20;
    private const int MaxInFlight = 2;

    private readonly SafeFileHandle _handle;
    private readonly List<(long Start, IntPtr Block, Task Write)> _inFlight = new();
    private readonly Dictionary<long, IntPtr> _unwritten = new(); // blocks whose write failed, by file offset
    private readonly Stack<IntPtr> _free = new();
    private IntPtr _block;
    private int _filled;
    private long _blockStart;
    private Exception? _failure;

    private UndoSpillFile(SafeFileHandle handle) => _handle = handle;

    /// <summary>Bytes appended so far.</summary>
    public long Length => _blockStart + _filled;

    /// <summary>Opens a new nameless temp file in <paramref name="folder"/>.</summary>
    public static UndoSpillFile Create(string folder)
    {
        var path = Path.Combine(folder, $"initcfg-undo-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        SafeFileHandle? handle = null;
        if (OperatingSystem.IsLinux())
        {
            // O_DIRECT where the file system has it (tmpfs has not).
            const int flags = Files.Posix.ReadWrite | Files.Posix.Create | Files.Posix.Exclusive | Files.Posix.CloseOnExec;
            handle = Files.Posix.TryOpenDirect(path, flags);
            if (handle is null && Files.Posix.Open(path, flags, 0x180) is var fd and >= 0) handle = new SafeFileHandle(fd, ownsHandle: true);
        }
        handle ??= File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        if (OperatingSystem.IsLinux()) File.Delete(path); // still open: the file lives until the handle closes
        return new UndoSpillFile(handle);
    }

    /// <summary>Appends <paramref name="bytes"/>; throws if an earlier block could not be written.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            if (_block == IntPtr.Zero) _block = TakeBlock();
            int n = Math.Min(bytes.Length, BlockBytes - _filled);
            bytes[..n].CopyTo(Span(_block, _filled, n));
            _filled += n;
            bytes = bytes[n..];
            if (_filled == BlockBytes) StartWrite();
        }
    }

    /// <summary>Reads <paramref name="dest"/>.Length bytes appended at <paramref name="offset"/>.</summary>
    public void ReadAt(long offset, Span<byte> dest)
    {
        Settle();
        IntPtr scratch = IntPtr.Zero;
        try
        {
            while (dest.Length > 0)
            {
                long start = offset / BlockBytes * BlockBytes;
                int within = (int)(offset - start), n = Math.Min(dest.Length, BlockBytes - within);
                ReadOnlySpan<byte> from;
                if (start == _blockStart) from = Span(_block, within, n);
                else if (_unwritten.TryGetValue(start, out var kept)) from = Span(kept, within, n);
                else
                {
                    if (scratch == IntPtr.Zero) scratch = TakeBlock();
                    int read = RandomAccess.Read(_handle, Span(scratch, 0, BlockBytes), start);
                    if (read < within + n) throw new IOException("The undo file ended early.");
                    from = Span(scratch, within, n);
                }
                from.CopyTo(dest[..n]);
                dest = dest[n..];
                offset += n;
            }
        }
        finally
        {
            if (scratch != IntPtr.Zero) _free.Push(scratch);
        }
    }

    private void StartWrite()
    {
        var (start, block) = (_blockStart, _block);
        var write = Task.Run(() => RandomAccess.Write(_handle, (ReadOnlySpan<byte>)Span(block, 0, BlockBytes), start));
        _inFlight.Add((start, block, write));
        _blockStart += BlockBytes;
        _block = IntPtr.Zero;
        _filled = 0;
    }

    private IntPtr TakeBlock()
    {
        Reap(wait: _inFlight.Count >= MaxInFlight);
        if (_failure is not null) throw new IOException($"Could not write the undo file: {_failure.Message}", _failure);
        return _free.Count > 0 ? _free.Pop() : NativeBlocks.Alloc(BlockBytes);
    }

    // Collects finished writes (waiting for the oldest when asked): a written block is free again, a failed one is kept.
    private void Reap(bool wait)
    {
        if (wait && _inFlight.Count > 0) ((IAsyncResult)_inFlight[0].Write).AsyncWaitHandle.WaitOne();
        for (int i = 0; i < _inFlight.Count; i++)
        {
            var (start, block, write) = _inFlight[i];
            if (!write.IsCompleted) continue;
            if (write.Exception is { } e)
            {
                _failure ??= e.InnerException ?? e;
                _unwritten[start] = block;
            }
            else _free.Push(block);
            _inFlight.RemoveAt(i--);
        }
    }

    private void Settle()
    {
        while (_inFlight.Count > 0) Reap(wait: true);
    }

    private static unsafe Span<byte> Span(IntPtr block, int at, int length) => new((byte*)block + at, length);

    /// <summary>Waits for the writes, frees the blocks and closes (so deletes) the file.</summary>
    public void Dispose()
    {
        Settle();
        foreach (var b in _free) NativeBlocks.Free(b);
        foreach (var b in _unwritten.Values) NativeBlocks.Free(b);
        if (_block != IntPtr.Zero) NativeBlocks.Free(_block);
        _free.Clear();
        _unwritten.Clear();
        _block = IntPtr.Zero;
        _handle.Dispose();
    }
}
