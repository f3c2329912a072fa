using System.Security.Cryptography;
using System.Text.Json;
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Golden;

/// <summary>
/// Builds each golden model from its config, initializes it with the scenario's seed and compares every
/// parameter with what PyTorch 1.13 + MMEngine 0.11 produced: SHA-256 of the float32 bytes and the exact InitInfo.
/// </summary>
public class GoldenScenarioTests
{
    public static IEnumerable<object[]> Scenarios() =>
        GoldenScenario.Names(d => d.GetProperty("expressible").GetBoolean());

    [SkippableTheory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_InitWithSeed_MatchesPyTorch(string name)
    {
        Skip.If(GoldenScenario.FindFolder() is null, "../shared/golden is absent: golden scenarios not run");
        Check(GoldenScenario.Load(name));
    }

    [Fact]
    public void VendoredScenario_InitWithSeed_MatchesPyTorch() =>
        Check(GoldenScenario.Load("b1_toynet_kaiming_conv_xavier_linear", GoldenScenario.VendoredFolder));

    private static void Check(GoldenScenario s)
    {
        var model = new ModelBuilder().Build(JsonDocument.Parse(s.Model.GetRawText()).RootElement);
        var before = model.named_parameters().ToDictionary(p => p.name, p => Sha256(p.parameter));

        if (s.Error is { } error)
        {
            var e = Assert.Throws<InitCfgException>(() => new InitEngine().Initialize(model, new InitOptions { Seed = s.Seed }));
            var category = error.GetProperty("category").GetString()!;
            if (category == "bad_type") Assert.Equal(ErrorKind.InvalidType, e.Kind);
            else Assert.Equal(ExpectedErrorId(category), e.ErrorId);
            foreach (var (n, p) in model.named_parameters()) Assert.Equal(before[n], Sha256(p));
            Assert.All(InitReport.For(model), r => Assert.Null(r.InitInfo));
            return;
        }

        new InitEngine().Initialize(model, new InitOptions { Seed = s.Seed });
        var records = InitReport.For(model).ToDictionary(r => r.Name);
        var failures = new List<string>();
        foreach (var p in s.Params)
        {
            var pname = p.GetProperty("name").GetString()!;
            var record = records[pname];
            if (record.InitInfo != p.GetProperty("init_info_exact").GetString())
                failures.Add($"{pname}: InitInfo '{record.InitInfo}' != '{p.GetProperty("init_info_exact").GetString()}'");
            var tensor = model.named_parameters().First(x => x.name == pname).parameter;
            if (!p.GetProperty("written_by_init").GetBoolean())
            {
                if (Sha256(tensor) != before[pname]) failures.Add($"{pname}: changed although nothing should write it");
                continue;
            }
            if (Sha256(tensor) == p.GetProperty("sha256").GetString()) continue;
            var expected = Convert.FromBase64String(p.GetProperty("data_b64").GetString()!);
            var ulps = MaxUlps(tensor, expected);
            failures.Add($"{pname}: sha256 differs (max {ulps} ulp)");
        }
        if (s.Root.GetProperty("expect").TryGetProperty("buffers", out var buffers))
            foreach (var b in buffers.EnumerateArray())
            {
                var bname = b.GetProperty("name").GetString()!;
                var buffer = model.named_buffers().FirstOrDefault(x => x.name == bname).buffer;
                if (buffer is null) { failures.Add($"{bname}: no such buffer"); continue; }
                if (!b.GetProperty("written_by_init").GetBoolean()) continue;
                var hash = Convert.ToHexString(SHA256.HashData(RawBytes(buffer))).ToLowerInvariant();
                if (hash != b.GetProperty("sha256").GetString()) failures.Add($"{bname}: buffer sha256 differs");
            }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string ExpectedErrorId(string category) => category switch
    {
        "unknown_type" => ErrorIds.UnknownInitializerType,
        "unknown_argument" => ErrorIds.UnknownArgument,
        "missing_argument" => ErrorIds.MissingArgument,
        "missing_name" => ErrorIds.OverrideMissingName,
        "missing_type" => ErrorIds.OverrideMissingType,
        "missing_submodule" => ErrorIds.OverrideNameNotFound,
        _ => category,
    };

    internal static string Sha256(Tensor t)
    {
        var bytes = Bytes(t);
        return Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
    }

    internal static byte[] Bytes(Tensor t)
    {
        var data = Fixtures.Values(t);
        var bytes = new byte[data.Length * 4];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static byte[] RawBytes(Tensor t)
    {
        using var c = Fixtures.Contiguous(t);
        return c.bytes.ToArray();
    }

    private static long MaxUlps(Tensor t, byte[] expected)
    {
        var actual = Bytes(t);
        long max = 0;
        for (int i = 0; i < actual.Length; i += 4)
            max = Math.Max(max, Math.Abs((long)BitConverter.ToInt32(actual, i) - BitConverter.ToInt32(expected, i)));
        return max;
    }
}
