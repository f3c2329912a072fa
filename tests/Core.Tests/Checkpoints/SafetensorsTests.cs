using System.Buffers.Binary;
using System.Text;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Checkpoints;

public sealed class SafetensorsTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A safetensors file from a header JSON and a data section.</summary>
    private string Raw(string header, byte[] data, ulong? claimedLength = null)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var len = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, claimedLength ?? (ulong)h.Length);
        return TorchSaveSamples.WriteTo(_dir.Path, "raw.safetensors", len.Concat(h).Concat(data).ToArray());
    }

    private InitCfgException Refused(string header, byte[] data, ulong? claimedLength = null)
    {
        var file = Raw(header, data, claimedLength);
        var e = Assert.Throws<InitCfgException>(() => SafetensorsReader.Read(file));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        return e;
    }

    [Fact]
    public void WriteThenRead_KeepsNamesOrderDTypesAndValues()
    {
        using var a = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var b = tensor(new long[] { 5, -6 });
        using var c = tensor(new[] { true, false, true });
        using var d = tensor(3.5).to(ScalarType.BFloat16);
        using var e = zeros(0, 4, dtype: ScalarType.Float16);
        var state = new[] { ("z.a", a), ("b", b), ("c", c), ("d", d), ("e", e) }.Select(x => new KeyValuePair<string, Tensor>(x.Item1, x.Item2)).ToArray();
        var file = _dir.File("w.safetensors");
        using (var fs = File.Create(file)) SafetensorsWriter.Write(fs, state);

        using var read = SafetensorsReader.Read(file);
        Assert.Equal(CheckpointFormat.Safetensors, read.Format);
        Assert.Equal(new[] { "z.a", "b", "c", "d", "e" }, read.Items.Select(i => i.Key));
        for (int i = 0; i < state.Length; i++)
        {
            Assert.Equal(state[i].Value.dtype, read.Items[i].Value.dtype);
            Assert.Equal(state[i].Value.shape, read.Items[i].Value.shape);
            Assert.True(state[i].Value.Equals(read.Items[i].Value), state[i].Key);
        }
    }

    [Fact]
    public void Write_Header_IsPaddedTo8BytesWithMetadata()
    {
        using var a = ones(3);
        var file = _dir.File("pad.safetensors");
        using (var fs = File.Create(file)) SafetensorsWriter.Write(fs, new[] { new KeyValuePair<string, Tensor>("a", a) });
        var bytes = File.ReadAllBytes(file);
        var n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        Assert.Equal(8 + n + 12, bytes.Length);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.StartsWith("{\"__metadata__\":{\"format\":\"pt\"}", header);
        Assert.Contains("\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}", header);
    }

    [Fact]
    public void Read_HandWritten_ReadsAtOffsetsInHeaderOrder()
    {
        var data = PickleBytes.Floats(1, 2, 3, 4);
        var file = Raw("{\"second\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]},\"first\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}", data);
        using var read = SafetensorsReader.Read(file);
        Assert.Equal(new[] { "second", "first" }, read.Items.Select(i => i.Key));
        Assert.Equal(4f, read.Items[0].Value.item<float>());
        Assert.Equal(new[] { 1f, 2f, 3f }, read.Items[1].Value.data<float>().ToArray());
    }

    [Fact]
    public void Read_HeaderLongerThanFile_IsUnreadable() =>
        Assert.Contains("more than the file holds", Refused("{}", new byte[4], claimedLength: 1000).Message);

    [Fact]
    public void Read_HugeHeaderLength_IsUnreadableWithoutAllocating() =>
        Assert.Contains("more than the file holds", Refused("{}", Array.Empty<byte>(), claimedLength: ulong.MaxValue).Message);

    [Fact]
    public void Read_ShorterThan8Bytes_IsUnreadable()
    {
        var file = TorchSaveSamples.WriteTo(_dir.Path, "tiny.safetensors", new byte[] { 2, 0, 0 });
        Assert.Equal(ErrorIds.CheckpointUnreadable, Assert.Throws<InitCfgException>(() => SafetensorsReader.Read(file)).ErrorId);
    }

    [Fact]
    public void Read_OverlappingOffsets_IsUnreadable()
    {
        var e = Refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
            PickleBytes.Floats(1, 2, 3));
        Assert.Contains("overlap", e.Message);
    }

    [Fact]
    public void Read_ByteLengthNotMatchingShape_IsUnreadable()
    {
        var e = Refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", PickleBytes.Floats(1, 2));
        Assert.Contains("is 8 bytes but F32[3] needs 12", e.Message);
    }

    [Fact]
    public void Read_OffsetsPastTheData_IsUnreadable() =>
        Assert.Contains("outside the file", Refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", PickleBytes.Floats(1)).Message);

    [Fact]
    public void Read_ReversedOffsets_IsUnreadable() =>
        Assert.Equal(ErrorIds.CheckpointUnreadable, Refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}", PickleBytes.Floats(1)).ErrorId);

    [Fact]
    public void Read_UnknownDType_IsUnreadable() =>
        Assert.Contains("'F8_E4M3'", Refused("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]).Message);

    [Theory]
    [InlineData("{not json}")]
    [InlineData("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}")]
    public void Read_MalformedHeader_IsUnreadable(string header) => Refused(header, PickleBytes.Floats(1));

    [Fact]
    public void Read_Metadata_IsIgnored()
    {
        var file = Raw("{\"__metadata__\":{\"format\":\"pt\",\"x\":\"y\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", PickleBytes.Floats(7));
        using var read = SafetensorsReader.Read(file);
        Assert.Equal("a", Assert.Single(read.Items).Key);
    }

    [Fact]
    public void Read_ShapeWhoseByteSizeOverflows_IsUnreadable() =>
        Refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}", Array.Empty<byte>());
}
