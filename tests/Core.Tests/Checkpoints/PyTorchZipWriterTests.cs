using System.IO.Compression;
using System.Text;
using InitCfg.Core.Checkpoints;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Checkpoints;

public sealed class PyTorchZipWriterTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteFile(string name, params (string Key, Tensor Value)[] state)
    {
        var path = _dir.File(name);
        using (var fs = File.Create(path))
            PyTorchZipWriter.Write(fs, state.Select(s => new KeyValuePair<string, Tensor>(s.Key, s.Value)).ToArray(), Path.GetFileNameWithoutExtension(name));
        return path;
    }

    public static IEnumerable<object[]> DTypes() => new[]
    {
        ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Int64, ScalarType.Int32,
        ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool,
    }.Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(DTypes))]
    public void Write_EveryDType_RoundTripsExactly(ScalarType dtype)
    {
        using var source = arange(-3, 9).reshape(3, 4).to(dtype);
        var file = WriteFile("dtype.pth", ("t", source));
        using var read = PyTorchZipReader.Read(file);
        var t = Assert.Single(read.Items).Value;
        Assert.Equal(dtype, t.dtype);
        Assert.Equal(new long[] { 3, 4 }, t.shape);
        Assert.True(t.Equals(source));
    }

    [Fact]
    public void Write_ScalarEmptyAndNonContiguous_RoundTrip()
    {
        using var scalar = tensor(42L);
        using var emptyT = zeros(0, 3);
        using var transposed = arange(6, dtype: ScalarType.Float32).reshape(2, 3).t();
        var file = WriteFile("shapes.pth", ("scalar", scalar), ("empty", emptyT), ("transposed", transposed));
        using var read = PyTorchZipReader.Read(file);
        Assert.Equal(new[] { "scalar", "empty", "transposed" }, read.Items.Select(i => i.Key));
        Assert.Empty(read.Items[0].Value.shape);
        Assert.Equal(42L, read.Items[0].Value.item<long>());
        Assert.Equal(new long[] { 0, 3 }, read.Items[1].Value.shape);
        Assert.Equal(new[] { 0f, 3f, 1f, 4f, 2f, 5f }, read.Items[2].Value.data<float>().ToArray());
    }

    [Fact]
    public void Write_Layout_IsTorchSaveLayoutWithStoredEntries()
    {
        using var a = ones(2, 2);
        using var b = zeros(3);
        var file = WriteFile("net-1.pth", ("a", a), ("b", b));
        using var zip = ZipFile.OpenRead(file);
        Assert.Equal(new[] { "net-1/data.pkl", "net-1/data/0", "net-1/data/1", "net-1/version", "net-1/byteorder" },
            zip.Entries.Select(e => e.FullName));
        // PyTorch writes records uncompressed; so does this writer (torch.load then maps them directly).
        Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength));
        using var version = new StreamReader(zip.GetEntry("net-1/version")!.Open(), Encoding.ASCII);
        Assert.Equal("3\n", version.ReadToEnd());
        Assert.Equal(16, zip.GetEntry("net-1/data/0")!.Length);
    }

    [Fact]
    public void Write_ManyKeys_KeepsOrder()
    {
        var names = Enumerable.Range(0, 40).Select(i => $"layer{i % 7}.{i}.weight").ToArray();
        var tensors = names.Select((n, i) => (n, full(new long[] { 2 }, (double)i))).ToArray();
        var file = WriteFile("order.pth", tensors);
        using var read = PyTorchZipReader.Read(file);
        Assert.Equal(names, read.Items.Select(i => i.Key));
        Assert.Equal(39f, read.Items[^1].Value[0].item<float>());
    }

    [Fact]
    public void Write_UnicodeKey_RoundTrips()
    {
        using var a = ones(1);
        var file = WriteFile("unicode.pth", ("blöck.wéight", a));
        using var read = PyTorchZipReader.Read(file);
        Assert.Equal("blöck.wéight", Assert.Single(read.Items).Key);
    }
}
