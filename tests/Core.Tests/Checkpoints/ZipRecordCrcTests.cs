using System.IO.Hashing;
using System.Runtime.InteropServices;
using InitCfg.Core.Checkpoints;

namespace InitCfg.Core.Tests.Checkpoints;

public sealed class ZipRecordCrcTests
{
    // Lengths around the 256-byte block and its multiples, small records, and a few large ones.
    private static IEnumerable<int> Lengths()
    {
        foreach (int n in new[] { 0, 1, 3, 4, 255, 256, 257, 511, 512, 513, 767, 1024, 4096 + 7, 65536, 262144 + 100, 1 << 20 }) yield return n;
        var random = new Random(11);
        for (int i = 0; i < 200; i++) yield return random.Next(0, 5000);
    }

    // Appends in random pieces (some empty, some a byte, some many blocks), as short stream reads give them.
    private static uint Hash(byte[] data, bool vectorized, Random random)
    {
        var crc = new ZipRecordCrc(vectorized);
        for (int at = 0; at < data.Length;)
        {
            int n = random.Next(4) switch { 0 => 0, 1 => 1, 2 => random.Next(1, 300), _ => random.Next(1, 3000) };
            n = Math.Min(n, data.Length - at);
            crc.Append(data.AsSpan(at, n));
            at += n;
        }
        return crc.GetCurrentHash();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GetCurrentHash_RecordsInRandomPieces_EqualsCrc32(bool vectorized)
    {
        var random = new Random(5);
        foreach (int length in Lengths())
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.True(Crc32.HashToUInt32(data) == Hash(data, vectorized, random), $"length {length}");
        }
    }

    [Fact]
    public void GetCurrentHash_WholeRecordInOnePiece_EqualsCrc32()
    {
        var data = new byte[(3 << 20) + 12];
        new Random(7).NextBytes(data);
        var crc = new ZipRecordCrc();
        crc.Append(data);
        Assert.Equal(Crc32.HashToUInt32(data), crc.GetCurrentHash());
    }

    [Fact]
    public void GetCurrentHash_OneFlippedBit_Differs()
    {
        var data = new byte[100_000];
        new Random(3).NextBytes(data);
        var crc = new ZipRecordCrc();
        crc.Append(data);
        uint before = crc.GetCurrentHash();
        data[77_777] ^= 0x10;
        var again = new ZipRecordCrc();
        again.Append(data);
        Assert.NotEqual(before, again.GetCurrentHash());
        Assert.Equal(Crc32.HashToUInt32(data), again.GetCurrentHash());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NonFiniteFloat32_NaNOrInfinityAnywhere_IsFoundAndFiniteValuesAreNot(bool vectorized)
    {
        var random = new Random(9);
        foreach (int count in new[] { 1, 63, 64, 65, 1000, 70_000 })
        {
            var values = new float[count];
            for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2e6 - 1e6);
            values[0] = float.MaxValue; // finite, with every exponent bit but one set
            Assert.False(Check(values, vectorized, random), $"{count} finite values");
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                foreach (int at in new[] { 0, count / 2, count - 1 })
                {
                    var copy = (float[])values.Clone();
                    copy[at] = bad;
                    Assert.True(Check(copy, vectorized, random), $"{bad} at {at} of {count}");
                }
        }
    }

    private static bool Check(float[] values, bool vectorized, Random random)
    {
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        var crc = new ZipRecordCrc(vectorized);
        for (int at = 0; at < bytes.Length;)
        {
            int n = Math.Min(random.Next(1, 5000), bytes.Length - at);
            crc.Append(bytes.AsSpan(at, n));
            at += n;
        }
        Assert.Equal(Crc32.HashToUInt32(bytes), crc.GetCurrentHash());
        return crc.NonFiniteFloat32;
    }
}
