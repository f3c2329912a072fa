#nullable enable
namespace InitCfg.Core.Checkpoints;

/// <summary>
/// Reads exactly the declared length of a zip entry and checks it against the entry's CRC-32 when the last byte is
/// read, so a flipped byte in a stored (uncompressed) record, which no decompressor notices, is an error rather
/// than a silently wrong weight. More bytes than declared (a decompression bomb lying about its size) are never read.
/// The same pass tells whether the bytes hold a non-finite float32 (<see cref="NonFiniteFloat32"/>), so a tensor
/// read through it needs no second look at its values.
/// </summary>
public sealed class CrcCheckedStream : Stream
{
    private readonly Stream _inner;
    private readonly string _name;
    private readonly uint _expected;
    private readonly ZipRecordCrc _crc = new();
    private readonly long _length;
    private long _read;

    /// <summary>Wraps the opened entry <paramref name="inner"/> of <paramref name="length"/> bytes with CRC <paramref name="crc32"/>.</summary>
    public CrcCheckedStream(Stream inner, string name, long length, uint crc32)
    {
        _inner = inner;
        _name = name;
        _length = length;
        _expected = crc32;
        if (length == 0) Verify();
    }

    /// <summary>
    /// Whether a 4-byte word read so far (counted from the record's first byte) is a NaN or infinite float32.
    /// </summary>
    public bool NonFiniteFloat32 => _crc.NonFiniteFloat32;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        long left = _length - _read;
        if (left <= 0) return 0;
        if (buffer.Length > left) buffer = buffer[..(int)left];
        int n = _inner.Read(buffer);
        if (n == 0) throw new EndOfStreamException($"record {_name} ends after {_read} of its {_length} bytes");
        _crc.Append(buffer[..n]);
        _read += n;
        if (_read == _length) Verify();
        return n;
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private void Verify()
    {
        uint actual = _crc.GetCurrentHash();
        if (actual != _expected)
            throw new InvalidDataException($"record {_name} fails its CRC-32 check (the zip says {_expected:x8}, the bytes give {actual:x8})");
    }

    /// <inheritdoc />
    public override bool CanRead => true;
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override bool CanWrite => false;
    /// <inheritdoc />
    public override long Length => _length;
    /// <inheritdoc />
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    /// <inheritdoc />
    public override void Flush() { }
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
