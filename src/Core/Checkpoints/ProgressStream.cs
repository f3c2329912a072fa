#nullable enable
namespace InitCfg.Core.Checkpoints;

/// <summary>A pass-through stream that reports how many bytes went through it (for progress on big exports).</summary>
public sealed class ProgressStream : Stream
{
    private readonly Stream _inner;
    private readonly IProgress<long>? _progress;
    private long _written, _reported;
    private readonly long _step;

    /// <summary>Wraps <paramref name="inner"/>; reports about every 1% of <paramref name="expected"/> bytes.</summary>
    public ProgressStream(Stream inner, long expected, IProgress<long>? progress)
    {
        _inner = inner;
        _progress = progress;
        _step = Math.Max(1 << 20, expected / 100);
    }

    /// <summary>Bytes written so far.</summary>
    public long Written => _written;

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        _written += buffer.Length;
        if (_progress is not null && _written - _reported >= _step)
        {
            _reported = _written;
            _progress.Report(_written);
        }
    }

    /// <inheritdoc />
    public override void Flush() => _inner.Flush();
    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
    /// <inheritdoc />
    public override void SetLength(long value) => _inner.SetLength(value);
    /// <inheritdoc />
    public override bool CanRead => _inner.CanRead;
    /// <inheritdoc />
    public override bool CanSeek => _inner.CanSeek;
    /// <inheritdoc />
    public override bool CanWrite => _inner.CanWrite;
    /// <inheritdoc />
    public override long Length => _inner.Length;
    /// <inheritdoc />
    public override long Position { get => _inner.Position; set => _inner.Position = value; }
}
