using InitCfg.Core.Initializers;
using InitCfg.Core.Configs;
using InitCfg.Core.Reports;

namespace InitCfg.Core.Tests.Reports;

public class ExpectedDensityTests
{
    private static ConfigMap Args(params object[] kv)
    {
        var m = new ConfigMap();
        for (int i = 0; i < kv.Length; i += 2) m.Set((string)kv[i], kv[i + 1]);
        return m;
    }

    [Fact]
    public void For_KaimingDefaults_IsNormalWithFanOutReluStd()
    {
        var d = ExpectedDensity.For("Kaiming", Args(), new long[] { 16, 3, 7, 7 })!;
        Assert.Equal(DensityKind.Normal, d.Kind);
        Assert.Equal(Math.Sqrt(2.0) / Math.Sqrt(16 * 49), d.Std, 12);
        Assert.Equal(0, d.Mean);
    }

    [Fact]
    public void For_KaimingUniformFanInLeakyRelu_IsUniformWithPyTorchBound()
    {
        var d = ExpectedDensity.For("Kaiming", Args("a", 0.2, "mode", "fan_in", "nonlinearity", "leaky_relu", "distribution", "uniform"), new long[] { 8, 4 })!;
        double bound = Math.Sqrt(3.0) * Math.Sqrt(2.0 / (1 + 0.04)) / Math.Sqrt(4);
        Assert.Equal(DensityKind.Uniform, d.Kind);
        Assert.Equal(-bound, d.Low, 12);
        Assert.Equal(bound, d.High, 12);
    }

    [Fact]
    public void For_Caffe2Xavier_IsKaimingUniformA1FanIn()
    {
        var d = ExpectedDensity.For("Caffe2Xavier", Args(), new long[] { 8, 3, 3, 3 })!;
        Assert.Equal(DensityKind.Uniform, d.Kind);
        Assert.Equal(Math.Sqrt(3.0) / Math.Sqrt(27), d.High, 12);
    }

    [Theory]
    [InlineData("normal", DensityKind.Normal)]
    [InlineData("uniform", DensityKind.Uniform)]
    public void For_Xavier_UsesGainAndBothFans(string distribution, DensityKind kind)
    {
        var d = ExpectedDensity.For("Xavier", Args("gain", 2L, "distribution", distribution), new long[] { 10, 6 })!;
        Assert.Equal(kind, d.Kind);
        Assert.Equal(2 * Math.Sqrt(2.0 / 16), d.DrawStd, 12);
    }

    [Fact]
    public void For_NormalTruncNormalUniformConstant_TakeTheirArguments()
    {
        var n = ExpectedDensity.For("Normal", Args("mean", 1L, "std", 0.5), new long[] { 3 })!;
        Assert.Equal((DensityKind.Normal, 1.0, 0.5), (n.Kind, n.Mean, n.Std));
        var t = ExpectedDensity.For("TruncNormal", Args("std", 1L, "a", -1L, "b", 1L), new long[] { 3 })!;
        Assert.Equal((DensityKind.TruncatedNormal, -1.0, 1.0), (t.Kind, t.Low, t.High));
        Assert.InRange(t.DrawStd, 0.53, 0.54); // std of N(0,1) cut to [-1, 1]: 0.5377
        var u = ExpectedDensity.For("Uniform", null, new long[] { 3 })!;
        Assert.Equal((DensityKind.Uniform, 0.0, 1.0), (u.Kind, u.Low, u.High));
        var c = ExpectedDensity.For("Constant", Args("val", 2L), new long[] { 3 })!;
        Assert.Equal((DensityKind.Constant, 2.0), (c.Kind, c.Value));
        Assert.Equal("constant 2", c.Label);
    }

    [Theory]
    [InlineData("Orthogonal")]
    [InlineData("Dirac")]
    [InlineData("Pretrained")]
    [InlineData("NoSuchInit")]
    [InlineData(null)]
    public void For_InitializersWithoutADensity_ReturnNull(string? type) =>
        Assert.Null(ExpectedDensity.For(type, Args(), new long[] { 4, 4 }));

    [Fact]
    public void For_KaimingOnAVector_ReturnsNullNotAWrongCurve() =>
        Assert.Null(ExpectedDensity.For("Kaiming", Args(), new long[] { 4 }));

    [Theory]
    [InlineData("normal")]
    [InlineData("trunc")]
    [InlineData("uniform")]
    public void Pdf_IntegratesToOne(string which)
    {
        var d = which switch
        {
            "normal" => ExpectedDensity.Normal(0.5, 0.2),
            "trunc" => ExpectedDensity.TruncatedNormal(0, 1, -0.5, 2),
            _ => ExpectedDensity.Uniform(-3, 1),
        };
        double sum = 0, step = 1e-4;
        for (double x = -5; x < 5; x += step) sum += d.Pdf(x) * step;
        Assert.Equal(1.0, sum, 2);
    }

    [Fact]
    public void For_Record_UsesTheRecordOfTheWrittenWeight()
    {
        var records = InitReport.For(ReportTestModels.Initialized());
        var conv = records.First(r => r.Name == "conv.weight").Density()!;
        Assert.Equal(Math.Sqrt(2.0) / Math.Sqrt(8 * 9), conv.Std, 12);
        Assert.Equal(DensityKind.Constant, records.First(r => r.Name == "bn.weight").Density()!.Kind);
        Assert.Equal(0.01, records.First(r => r.Name == "fc.weight").Density()!.Std);
    }
}
