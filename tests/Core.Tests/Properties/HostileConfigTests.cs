using InitCfg.Core.Initializers;
using System.Text;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Tests.Checkpoints;
using InitCfg.Core.Walk;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Properties;

/// <summary>
/// Hostile config files (alias bombs, nesting thousands deep, multi-megabyte scalars, duplicate keys, bad UTF-8)
/// read through <see cref="ConfigReader.FromFile"/>, as New-InitCfg -Path and New-InitModel do: each must end in a
/// clear <see cref="InitCfgException"/> with bounded memory. How long each takes is measured by the
/// <c>hostile-inputs</c> benchmark (bench/), not asserted here.
/// </summary>
public sealed class HostileConfigTests : IDisposable
{
    private const long AllocationBound = 500L << 20;

    private readonly TempFolder _dir = new();
    private readonly ITestOutputHelper _output;

    static HostileConfigTests()
    {
        // Load and JIT YamlDotNet and System.Text.Json once, so the bounds measure the reading, not the first call.
        ConfigReader.FromYaml("a: [1, {b: c}]\n", ConfigPath.Empty);
        ConfigReader.FromJson("{\"a\": [1, {\"b\": \"c\"}]}", ConfigPath.Empty);
    }

    public HostileConfigTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _dir.Dispose();

    /// <summary>Reads the file; returns the error, having checked the allocation bound (time is measured in bench/).</summary>
    private InitCfgException Refused(string name, byte[] content, Func<object?, object?>? then = null)
    {
        var file = TorchSaveSamples.WriteTo(_dir.Path, name, content);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InitCfgException>(() => (then ?? (t => t))(ConfigReader.FromFile(file)));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        _output.WriteLine($"{name} ({content.Length:N0} bytes): {e.ErrorId}, {allocated >> 20} MB allocated: {Clip(e.Message)}");
        Assert.True(allocated < AllocationBound, $"{name}: allocated {allocated >> 20} MB");
        Assert.False(string.IsNullOrEmpty(e.ConfigPath));
        Assert.True(e.Message.Length < 10_000, $"{name}: a {e.Message.Length:N0}-character message");
        return e;
    }

    private InitCfgException Refused(string name, string text, Func<object?, object?>? then = null) =>
        Refused(name, Encoding.UTF8.GetBytes(text), then);

    private static string Clip(string s) => s.Length <= 200 ? s : s[..200] + "…";

    /// <summary>Nine anchors, each a list of nine aliases of the previous one: 9^9 (387 million) values once expanded.</summary>
    private static string BillionLaughs(bool mappings)
    {
        var sb = new StringBuilder(mappings ? "a: &a {x: lol, y: lol}\n" : "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b', prev = 'a'; c <= 'i'; prev = c, c++)
        {
            var refs = string.Join(", ", Enumerable.Range(0, 9).Select(i => mappings ? $"k{i}: *{prev}" : $"*{prev}"));
            sb.Append(c).Append(": &").Append(c).Append(mappings ? " {" : " [").Append(refs).Append(mappings ? "}\n" : "]\n");
        }
        return sb.Append("type: Constant\nval: *i\n").ToString();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FromFile_YamlAliasBomb_IsConfigTooLarge(bool mappings)
    {
        var e = Refused("bomb.yaml", BillionLaughs(mappings));
        Assert.Equal(ErrorIds.ConfigTooLarge, e.ErrorId);
        Assert.Contains("200,000", e.Message);
    }

    [Theory]
    [InlineData("[", "]", "")]
    [InlineData("{\"a\": ", "}", "1")]
    public void FromFile_JsonNested5000Deep_IsRefused(string open, string close, string leaf)
    {
        var e = Refused("deep.json", string.Concat(Enumerable.Repeat(open, 5000)) + leaf + string.Concat(Enumerable.Repeat(close, 5000)));
        Assert.Contains(e.ErrorId, new[] { ErrorIds.ConfigTooLarge, ErrorIds.ConfigFileUnreadable });
        Assert.Contains("depth", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("flow sequences")]
    [InlineData("flow mappings")]
    [InlineData("block sequences")]
    public void FromFile_YamlNested5000Deep_IsConfigTooLarge(string style)
    {
        var text = style switch
        {
            "flow sequences" => new string('[', 5000) + new string(']', 5000),
            "flow mappings" => string.Concat(Enumerable.Repeat("{a: ", 5000)) + "1" + new string('}', 5000),
            _ => string.Concat(Enumerable.Repeat("- ", 5000)) + "x\n",
        };
        var e = Refused("deep.yaml", text);
        Assert.Equal(ErrorIds.ConfigTooLarge, e.ErrorId);
        Assert.Contains("deeper than 100", e.Message);
    }

    [Fact]
    public void FromFile_YamlNested100000Deep_IsConfigTooLargeWithoutCrashing()
    {
        var e = Refused("deeper.yaml", new string('[', 100_000) + new string(']', 100_000));
        Assert.Equal(ErrorIds.ConfigTooLarge, e.ErrorId);
    }

    [Theory]
    [InlineData("big.yaml")]
    [InlineData("big.json")]
    public void FromFile_FiveMegabyteScalar_IsConfigTooLarge(string name)
    {
        var big = new string('x', 5 << 20);
        var e = Refused(name, name.EndsWith(".json") ? $"{{\"type\": \"{big}\"}}" : $"type: {big}\n");
        Assert.Equal(ErrorIds.ConfigTooLarge, e.ErrorId);
        Assert.Contains("longer than", e.Message);
    }

    [Fact]
    public void FromFile_FileOver64MiB_IsConfigTooLargeWithoutReadingIt()
    {
        var file = _dir.File("huge.yaml");
        using (var fs = File.Create(file)) fs.SetLength(ConfigLimits.MaxFileBytes + 1); // sparse: no disk used
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InitCfgException>(() => ConfigReader.FromFile(file));
        Assert.Equal(ErrorIds.ConfigTooLarge, e.ErrorId);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1 << 20);
    }

    [Theory]
    [InlineData("dup.yaml", "type: Normal\nstd: 1\ntype: Constant\n")]
    [InlineData("dup.json", "{\"type\": \"Normal\", \"std\": 1, \"type\": \"Constant\"}")]
    [InlineData("nested-dup.yaml", "type: Normal\noverride:\n  name: fc\n  name: conv\n")]
    public void FromFile_DuplicateKey_IsRefusedNamingIt(string name, string text)
    {
        var e = Refused(name, text);
        Assert.Contains(e.ErrorId, new[] { ErrorIds.DuplicateKey, ErrorIds.ConfigFileUnreadable });
        Assert.Contains(name.StartsWith("nested") ? "name" : "type", e.Message);
    }

    [Theory]
    [InlineData("spell.yaml", "type: Constant\nval: 1\nbias_prob: 0.1\nBiasProb: 0.2\n")]
    [InlineData("spell.json", "{\"type\": \"Constant\", \"val\": 1, \"bias_prob\": 0.1, \"biasprob\": 0.2}")]
    public void FromFile_OneKeyTwoSpellings_IsDuplicateKey(string name, string text) =>
        Assert.Equal(ErrorIds.DuplicateKey, Refused(name, text).ErrorId);

    [Theory]
    [InlineData("bad.yaml", new byte[] { 0x74, 0x79, 0x70, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0x0a })]
    [InlineData("bad.json", new byte[] { 0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d })]
    [InlineData("overlong.yaml", new byte[] { 0x61, 0x3a, 0x20, 0xc0, 0xaf, 0x0a })]
    [InlineData("surrogate.yaml", new byte[] { 0x61, 0x3a, 0x20, 0xed, 0xa0, 0x80, 0x0a })]
    public void FromFile_InvalidUtf8_IsConfigFileUnreadable(string name, byte[] bytes)
    {
        var e = Refused(name, bytes);
        Assert.Equal(ErrorIds.ConfigFileUnreadable, e.ErrorId);
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void FromFile_PythonTagsInYaml_AreReadAsPlainDataNeverRun()
    {
        // PyYAML's unsafe loader would call os.system here; the reader keeps the text and the config check refuses it.
        var marker = _dir.File("pwned");
        var file = TorchSaveSamples.WriteTo(_dir.Path, "tags.yaml",
            Encoding.UTF8.GetBytes($"type: !!python/object/apply:os.system ['touch {marker}']\nval: !!python/name:builtins.eval 1\n"));
        var e = Assert.Throws<InitCfgException>(() => InitConfig.ParseList(ConfigReader.FromFile(file), ConfigPath.Root("init_cfg")));
        Assert.Equal(ErrorIds.InvalidArgumentType, e.ErrorId);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void FromFile_YamlForwardAliasAsKey_IsRefusedWithoutCrashing()
    {
        var e = Refused("alias-key.yaml", "*a : 1\nb: &a x\n");
        Assert.Contains(e.ErrorId, new[] { ErrorIds.ConfigFileUnreadable, ErrorIds.UnsupportedConfigValue });
    }

    [Theory]
    [InlineData("a:\n  b: [x,\ny]\n")]
    [InlineData("a:\n  b: {c: d,\ne: f}\n")]
    [InlineData("...\n1\n")]
    public void FromFile_YamlTrippingYamlDotNet_IsConfigFileUnreadable(string text) =>
        Assert.Equal(ErrorIds.ConfigFileUnreadable, Refused("trip.yaml", text).ErrorId);

    [Fact]
    public void Initialize_AliasAmplifiedValueInAnError_IsClippedAndQuick()
    {
        var s = new string('x', 1_000_000);
        // YAML anchors come before their aliases.
        var text = $"anchors:\n  s: &s {s}\n  l1: &l1 [{string.Join(", ", Enumerable.Repeat("*s", 10))}]\n" +
                   $"  l2: &l2 [{string.Join(", ", Enumerable.Repeat("*l1", 10))}]\n  l3: &l3 [{string.Join(", ", Enumerable.Repeat("*l2", 10))}]\n" +
                   "type: Constant\nval: *l3\nlayer: Conv2d\n";
        using var model = nn.Linear(2, 2);
        var e = Refused("amplified.yaml", text, tree =>
            new InitEngine().Initialize(model, new InitOptions { InitCfg = ((ConfigMap)tree!).Without("anchors") }));
        Assert.Equal(ErrorIds.InvalidArgumentType, e.ErrorId);
    }
    // ---- round two ----

    [Fact]
    public void FromFile_UnclosedFlowSequence_SaysWhereItOpenedAndWhatWasExpected()
    {
        foreach (var text in new[] { "init_cfg:\n  type: Kaiming\n  layer: [Conv2d", "init_cfg:\n  type: Kaiming\n  layer: [Conv2d\n" })
        {
            var e = Refused("unclosed.yaml", text);
            Assert.Equal(ErrorIds.ConfigFileUnreadable, e.ErrorId);
            Assert.Matches(@"unclosed\.yaml:\d+:\d+: ", e.Message);
            Assert.Contains("']'", e.Message);
            Assert.DoesNotContain("current state of the object", e.Message);
        }
    }

    [Theory]
    [InlineData("{layer: [Conv2d")]
    [InlineData("[a, {b: c")]
    [InlineData("init_cfg: {type: Kaiming, layer: [Conv2d, Linear}")]
    [InlineData("layer: [Conv2d\n  - x")]
    [InlineData("a: {b: [c, {d: e]}")]
    public void FromFile_UnclosedFlowCollections_AreUnreadableWithAPosition(string text)
    {
        var e = Refused("flow.yaml", text);
        Assert.Equal(ErrorIds.ConfigFileUnreadable, e.ErrorId);
        Assert.Matches(@"flow\.yaml:\d+:\d+: ", e.Message);
        Assert.DoesNotContain("current state of the object", e.Message);
    }

    [Fact]
    public void FromFile_InvalidMapping_NamesFileLineAndColumn()
    {
        var e = Refused("mapping.yaml", "init_cfg:\n  type: Kaiming\n  layer: Conv2d: x\n");
        Assert.Matches(@"mapping\.yaml:3:\d+: ", e.Message);
    }

    [Fact]
    public void FromFile_InvalidJson_NamesFileLineAndColumn()
    {
        var e = Refused("broken.json", "{\n  \"type\": \"Kaiming\",\n  \"layer\": ]\n}");
        Assert.Contains("broken.json:3:", e.Message);
    }

    [Theory]
    [InlineData("/dev/zero", "character device")]
    [InlineData("/dev/null", "character device")]
    public void FromFile_Device_IsRefusedUpFront(string device, string what)
    {
        var e = Assert.Throws<InitCfgException>(() => ConfigReader.FromFile(device));
        Assert.Equal(ErrorIds.ConfigFileUnreadable, e.ErrorId);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void FromFile_YamlSymlinkToDevZero_IsRefusedUpFront()
    {
        var link = _dir.File("zero.yaml");
        File.CreateSymbolicLink(link, "/dev/zero");
        var e = Assert.Throws<InitCfgException>(() => ConfigReader.FromFile(link));
        Assert.Contains("character device", e.Message);
    }

    [Fact]
    public void FromFile_Fifo_IsRefusedWithoutBlocking()
    {
        var fifo = _dir.File("pipe.yaml");
        Assert.Equal(0, Checkpoints.HostileCheckpointTests.Mkfifo(fifo));
        var e = Assert.Throws<InitCfgException>(() => ConfigReader.FromFile(fifo));
        Assert.Contains("FIFO", e.Message);
    }

    [Fact]
    public void FromFile_Directory_SaysItIsADirectory()
    {
        var dir = Directory.CreateDirectory(_dir.File("cfg.yaml")).FullName;
        var e = Assert.Throws<InitCfgException>(() => ConfigReader.FromFile(dir));
        Assert.Equal(ErrorIds.ConfigFileUnreadable, e.ErrorId);
        Assert.Contains("directory", e.Message);
    }

    [Fact]
    public void FromFile_SymlinkLoop_IsUnreadableSayingSo()
    {
        var a = _dir.File("a.yaml");
        File.CreateSymbolicLink(a, _dir.File("b.yaml"));
        File.CreateSymbolicLink(_dir.File("b.yaml"), a);
        var e = Assert.Throws<InitCfgException>(() => ConfigReader.FromFile(a));
        Assert.Equal(ErrorIds.ConfigFileUnreadable, e.ErrorId);
        Assert.Contains("symbolic link", e.Message);
    }

    [Fact]
    public void FromObject_UnsupportedValue_NamesTheConfigPathInTheMessage()
    {
        var e = Assert.Throws<InitCfgException>(() => ConfigReader.FromObject(
            new Dictionary<string, object?> { ["layer"] = new object[] { "Conv2d", new Uri("http://x") } }, ConfigPath.Root("init_cfg")));
        Assert.Equal(ErrorIds.UnsupportedConfigValue, e.ErrorId);
        Assert.Contains("init_cfg.layer[1]", e.Message);
    }
}
