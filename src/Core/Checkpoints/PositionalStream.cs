#nullable enable
using Microsoft.Win32.SafeHandles;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// A read-only window of <c>length</c> bytes at <c>offset</c> of an open file, read with positional reads
/// (<see cref="RandomAccess"/>): several windows over one handle can be read on different threads at once, since none
/// moves a shared file position. Disposing it leaves the handle open.
/// </summary>
internal sealed class PositionalStream : Stream
{
    private readonly SafeFileHandle _handle;
    private readonly long _start;
    private readonly long _length;
    private long _position;

    public PositionalStream(SafeFileHandle handle, long offset, long length)
    {
        _handle = handle;
        _start = offset;
        _length = length;
    }

    public override int Read(Span<byte> buffer)
    {
        long left = _length - _position;
        if (left <= 0) return 0;
        if (buffer.Length > left) buffer = buffer[..(int)left];
        int n = RandomAccess.Read(_handle, buffer, _start + _position);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
