#nullable enable
using InitCfg.Core.Errors;
using InitCfg.Core.Files;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints.Sharding;

/// <summary>
/// Writes a state dict into Hugging Face's sharded safetensors layout one tensor at a time, in any order: every
/// shard's header and size are known from the tensors' names, dtypes and shapes alone (tensors on the <c>meta</c>
/// device do), so each tensor's bytes go straight to their place in their shard's temporary file and the tensor can
/// be freed. <see cref="Commit"/> renames the shards into place and writes the index last; disposing uncommitted
/// removes every temporary file (and the folder, when this writer created it), so a failure leaves nothing behind.
/// </summary>
public sealed class ShardWriter : IDisposable
{
    private readonly IReadOnlyList<KeyValuePair<string, Tensor>> _layout;
    private readonly bool _overwrite;
    private readonly IProgress<long>? _progress;
    private readonly List<PendingFile> _pending = new();
    private readonly (int Shard, long Offset, long Bytes)[] _where;
    private readonly bool[] _written;
    private readonly bool _createdFolder;
    private long _done;
    private bool _committed;

    /// <summary>
    /// Checks <paramref name="folder"/> (created when missing; without <paramref name="overwrite"/> it may not hold a
    /// checkpoint of this layout yet) and creates the temporary shard files for <paramref name="layout"/> cut into
    /// shards of at most <paramref name="maxShardBytes"/> bytes of tensor data.
    /// </summary>
    public ShardWriter(string folder, IReadOnlyList<KeyValuePair<string, Tensor>> layout, long maxShardBytes, bool overwrite,
        IProgress<long>? bytesWritten = null)
    {
        Folder = Path.GetFullPath(folder);
        _layout = layout;
        _overwrite = overwrite;
        _progress = bytesWritten;
        ThrowIfUnusable(Folder, overwrite);
        Plan = ShardedSafetensors.Plan(layout, maxShardBytes);
        _createdFolder = !Directory.Exists(Folder);
        try { Directory.CreateDirectory(Folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InitCfgException(ErrorIds.ExportFailed, Folder, $"cannot create the folder '{Folder}': {e.Message}", e);
        }
        _where = new (int, long, long)[layout.Count];
        _written = new bool[layout.Count];
        _direct = new SafeFileHandle?[Plan.Shards.Count];
        _noDirect = new bool[Plan.Shards.Count];
        try
        {
            for (int s = 0; s < Plan.Shards.Count; s++)
            {
                var pending = AtomicFile.Begin(Path.Combine(Folder, Plan.Names[s]), overwrite);
                _pending.Add(pending);
                var shard = Plan.Shards[s].Select(i => layout[i]).ToList();
                using var fs = pending.OpenWrite();
                long offset = SafetensorsWriter.WriteHeader(fs, shard);
                foreach (var i in Plan.Shards[s])
                {
                    long bytes = Bytes(layout[i].Value);
                    _where[i] = (s, offset, bytes);
                    offset += bytes;
                }
                fs.SetLength(offset); // the data's room, sparse until written
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Refuses <paramref name="folder"/> when it is a file, or (without <paramref name="overwrite"/>) holds a
    /// checkpoint of this layout already; for callers that check before long work.
    /// </summary>
    public static void ThrowIfUnusable(string folder, bool overwrite)
    {
        var full = Path.GetFullPath(folder);
        if (File.Exists(full))
            throw new InitCfgException(ErrorIds.ExportFailed, full, $"cannot write shards into '{full}': it is a file, not a folder.");
        if (!overwrite && ShardedSafetensors.Existing(full).FirstOrDefault() is { } existing)
            AtomicFile.ThrowIfExists(existing, overwrite: false);
    }

    /// <summary>The folder written.</summary>
    public string Folder { get; }

    /// <summary>How the tensors are cut into shards.</summary>
    public ShardPlan Plan { get; }

    /// <summary>Writes the bytes of <paramref name="tensor"/> as state entry <paramref name="index"/> (same dtype and shape as in the layout).</summary>
    public void Write(int index, Tensor tensor)
    {
        ThrowIfFailed();
        Claim(index, tensor);
        WriteNow(index, tensor);
        _progress?.Report(Interlocked.Read(ref _done));
    }

    private void Claim(int index, Tensor tensor)
    {
        var expected = _layout[index].Value;
        if (_written[index]) throw new InvalidOperationException($"tensor {_layout[index].Key} was written twice.");
        if (tensor.dtype != expected.dtype || !tensor.shape.SequenceEqual(expected.shape))
            throw new InvalidOperationException($"tensor {_layout[index].Key} does not match its layout.");
        _written[index] = true;
    }

    private void WriteNow(int index, Tensor tensor)
    {
        var (shard, offset, bytes) = _where[index];
        var pending = _pending[shard];
        try
        {
            if (!TryWriteDirect(shard, offset, bytes, tensor))
            {
                using var fs = pending.OpenWrite(1 << 20);
                fs.Position = offset;
                TensorBytes.WriteFrom(fs, tensor);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw pending.Failed(e); }
        Interlocked.Add(ref _done, bytes);
    }

    // Most of a large tensor goes to its shard with O_DIRECT, through an aligned staging block: the whole pages inside
    // its byte range, while the partial pages at its ends (which it may share with its neighbours) go through the
    // page cache. A file system without O_DIRECT, or one refusing a direct write, gets every byte buffered instead.
    private bool TryWriteDirect(int shard, long offset, long bytes, Tensor tensor)
    {
        const int A = Files.Posix.DirectAlignment;
        long first = (offset + A - 1) / A * A, end = (offset + bytes) / A * A;
        if (end - first < MinDirectBytes || bytes > int.MaxValue || _noDirect[shard]) return false;
        var direct = _direct[shard] ??= Files.Posix.TryOpenDirect(_pending[shard].TempPath, Files.Posix.WriteOnly);
        if (direct is null)
        {
            _noDirect[shard] = true;
            return false;
        }
        if (_staging == IntPtr.Zero) _staging = NativeBlocks.Alloc(StagingBytes);
        var pending = _pending[shard];
        bool written = true;
        TensorBytes.WithBytes(tensor, span =>
        {
            try
            {
                for (long at = first; at < end; at += StagingBytes)
                {
                    int n = (int)Math.Min(StagingBytes, end - at);
                    var block = Staging(n);
                    span.Slice((int)(at - offset), n).CopyTo(block);
                    RandomAccess.Write(direct, (ReadOnlySpan<byte>)block, at);
                }
            }
            catch (IOException)
            {
                written = false; // the whole range again, buffered: a real failure (a full disk) fails there too
                return;
            }
            using var fs = pending.OpenWrite(1);
            RandomAccess.Write(fs.SafeFileHandle, span[..(int)(first - offset)], offset);
            RandomAccess.Write(fs.SafeFileHandle, span[(int)(end - offset)..], end);
        });
        if (!written) _noDirect[shard] = true;
        return written;
    }

    private const int StagingBytes = 8 << 20;
    private const long MinDirectBytes = 1 << 20;
    private IntPtr _staging;
    private SafeFileHandle?[] _direct = Array.Empty<SafeFileHandle?>();
    private bool[] _noDirect = Array.Empty<bool>();

    private unsafe Span<byte> Staging(int length) => new((void*)_staging, length);

    private void CloseDirect()
    {
        foreach (var h in _direct) h?.Dispose();
        Array.Clear(_direct);
        if (_staging != IntPtr.Zero) NativeBlocks.Free(_staging);
        _staging = IntPtr.Zero;
    }

    /// <summary>
    /// Queues the bytes of <paramref name="tensor"/> as state entry <paramref name="index"/>: they are written on a
    /// worker, in queue order, while the caller goes on (drawing the next tensors keeps the cores busy while the disk
    /// takes these), and <paramref name="whenDone"/> runs on that worker once they are written or given up. The
    /// tensor must not change until then. A failed write is thrown by the next call here, <see cref="Commit"/> or
    /// <see cref="Drain"/>; later queued writes are skipped.
    /// </summary>
    public void WriteLater(int index, Tensor tensor, Action? whenDone = null)
    {
        ThrowIfFailed();
        Claim(index, tensor);
        _tail = _tail.ContinueWith(_ =>
        {
            try
            {
                if (Volatile.Read(ref _failure) is null) WriteNow(index, tensor);
            }
            catch (Exception e) { Fail(e); }
            try { whenDone?.Invoke(); }
            catch (Exception e) { Fail(e); }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        _progress?.Report(Interlocked.Read(ref _done)); // on the caller's thread: a cmdlet writes progress only from its own
    }

    /// <summary>Waits for every queued write; throws the first that failed.</summary>
    public void Drain()
    {
        _tail.Wait();
        ThrowIfFailed();
        _progress?.Report(Interlocked.Read(ref _done));
    }

    private void ThrowIfFailed() => Volatile.Read(ref _failure)?.Throw();

    private void Fail(Exception e) =>
        Interlocked.CompareExchange(ref _failure, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e), null);

    /// <summary>Waits for every queued write without throwing (before the caller frees what they read).</summary>
    public void WaitQuietly()
    {
        try { _tail.Wait(); } catch (AggregateException) { }
    }

    private Task _tail = Task.CompletedTask;
    private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;

    /// <summary>Where the bytes of state entry <paramref name="index"/> are once committed: the shard's file and the offset in it.</summary>
    public (string File, long Offset) PlaceOf(int index) => (Path.Combine(Folder, Plan.Names[_where[index].Shard]), _where[index].Offset);

    /// <summary>
    /// Renames every shard into place, then writes the index (or leaves the one <c>model.safetensors</c>), then removes
    /// shards of an older checkpoint in the folder that the new one does not use. Returns the index (or the single file).
    /// </summary>
    public string Commit()
    {
        Drain();
        if (Array.IndexOf(_written, false) is var missing and >= 0)
            throw new InvalidOperationException($"tensor {_layout[missing].Key} was never written.");
        CloseDirect();
        foreach (var p in _pending) p.Commit();
        _committed = true;
        string written = Path.Combine(Folder, Plan.IsSharded ? ShardPlan.IndexFileName : ShardPlan.SingleFileName);
        if (Plan.IsSharded) AtomicFile.Write(written, _overwrite, (fs, _) => ShardedSafetensors.WriteIndex(fs, _layout, Plan));
        foreach (var stale in ShardedSafetensors.Existing(Folder).Where(f => !Plan.Names.Contains(Path.GetFileName(f)) && f != written))
            AtomicFile.TryDelete(stale);
        return written;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        WaitQuietly(); // queued writes end first (skipped after a failure): none may write into a file being removed
        CloseDirect();
        foreach (var p in _pending) p.Dispose();
        _pending.Clear();
        if (_committed || !_createdFolder) return;
        try { if (Directory.Exists(Folder) && !Directory.EnumerateFileSystemEntries(Folder).Any()) Directory.Delete(Folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static long Bytes(Tensor t) => t.numel() * DTypes.Size(t.dtype);
}
