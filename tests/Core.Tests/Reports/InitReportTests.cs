using InitCfg.Core.Reports;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Reports;

public class InitReportTests
{
    [Fact]
    public void ToLog_AfterInit_MatchesMmengineDumpFormat()
    {
        var model = Net("Net", ("fc", nn.Linear(2, 3)), ("conv", nn.Conv2d(1, 2, 3, bias: false)));
        Init(model, Cfg("type", "Constant", "val", 1, "bias", 2, "layer", "Linear"));
        Assert.Equal(
            "Name of parameter - Initialization information\n" +
            "\nfc.weight - torch.Size([3, 2]): \nConstantInit: val=1, bias=2 \n" +
            "\nfc.bias - torch.Size([3]): \nConstantInit: val=1, bias=2 \n" +
            "\nconv.weight - torch.Size([2, 1, 3, 3]): \nThe value is the same before and after calling `init_weights` of Net  \n",
            InitReport.ToLog(model));
    }

    [Fact]
    public void ToLog_NeverInitialized_SaysSo() =>
        Assert.EndsWith("\nNot initialized: init_weights has not run on this model \n", InitReport.ToLog(nn.Linear(2, 2)));

    [Fact]
    public void For_NeverInitialized_HasNamesShapesAndNoInfo()
    {
        var r = InitReport.For(nn.Conv2d(3, 8, 3));
        Assert.Equal(new[] { "weight", "bias" }, r.Select(x => x.Name));
        Assert.Equal(new long[] { 8, 3, 3, 3 }, r[0].Shape);
        Assert.Equal("[8, 3, 3, 3]", r[0].ShapeText);
        Assert.Equal(216, r[0].Elements);
        Assert.Null(r[0].InitInfo);
        Assert.False(r[0].Written);
    }

    [Fact]
    public void For_AfterConstant_StatsAreExact()
    {
        var fc = nn.Linear(3, 2);
        Init(fc, Cfg("type", "Constant", "val", 0.5, "bias", -1, "layer", "Linear"));
        var w = InitReport.For(fc)[0];
        Assert.Equal((0.5, 0.0, 0.5, 0.5), (w.Mean, w.Std, w.Min, w.Max));
        Assert.Equal("Constant", w.Initializer);
        Assert.Equal("", w.ModulePath);
        Assert.Equal("init_cfg[0]", w.ConfigPath);
        Assert.Equal("weight [2, 3]: ConstantInit: val=0.5, bias=-1", w.ToString());
    }

    [Fact]
    public void For_OneElementParameter_HasNullStd()
    {
        var fc = nn.Linear(1, 1);
        Init(fc, Cfg("type", "Constant", "val", 2, "layer", "Linear"));
        Assert.All(InitReport.For(fc), r => Assert.Null(r.Std));
        Assert.Equal(2.0, InitReport.For(fc)[0].Mean);
    }

    [Fact]
    public void Stats_KnownValues_AreUnbiased()
    {
        var (mean, std, min, max) = InitReport.Stats(tensor(new float[] { 1, 2, 3, 4 }));
        Assert.Equal(2.5, mean);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), std!.Value, 12);
        Assert.Equal((1.0, 4.0), (min, max));
    }

    [Fact]
    public void Stats_Empty_IsNaNWithNullStd()
    {
        var (mean, std, _, _) = InitReport.Stats(zeros(0));
        Assert.True(double.IsNaN(mean));
        Assert.Null(std);
    }

    [Fact]
    public void Summarize_MixedModel_CountsTensorsAndElementsPerInitializer()
    {
        var model = Net("Net", ("conv", nn.Conv2d(1, 2, 3)), ("fc", nn.Linear(4, 2)), ("bn", nn.BatchNorm1d(2)));
        Init(model, List(Cfg("type", "Kaiming", "layer", "Conv2d"), Cfg("type", "Constant", "val", 1, "layer", "Linear")));
        var rows = InitReport.Summarize(InitReport.For(model)).ToDictionary(r => r.Initializer);
        Assert.Equal(new InitSummaryRow("Kaiming", 2, 18 + 2), rows["Kaiming"]);
        Assert.Equal(new InitSummaryRow("Constant", 2, 8 + 2), rows["Constant"]);
        Assert.Equal(new InitSummaryRow("(none)", 2, 4), rows["(none)"]);
        Assert.Equal("Kaiming", InitReport.Summarize(InitReport.For(model))[0].Initializer);
    }
}
