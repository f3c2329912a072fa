using InitCfg.Core.Errors;
using System.Text.RegularExpressions;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Reports;

public class HtmlReportTests
{
    private static int Count(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;

    [Fact]
    public void Render_OneSvgChartPerWrittenWeight_WithSummaryTables()
    {
        var html = HtmlReport.Render(ReportTestModels.Initialized());
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Equal(3, Count(html, "<figure class=\"plot\""));
        Assert.Equal(3, Count(html, "<svg"));
        foreach (var name in new[] { "conv.weight", "bn.weight", "fc.weight" }) Assert.Contains($"data-name=\"{name}\"", html);
        Assert.DoesNotContain("data-name=\"fc.bias\"", html);
        Assert.Contains("<h2>Parameters per initializer</h2>", html);
        Assert.Contains("<td>Kaiming</td><td>2</td>", html); // conv.weight and conv.bias
        Assert.Contains("<h2>Modules with an init_cfg</h2>", html);
        Assert.Contains("[dict(type=&#39;Kaiming&#39;, layer=&#39;Conv2d&#39;), dict(type=&#39;Constant&#39;", html);
        Assert.Contains("expected: N(0, 0.01²)", html);
        Assert.Contains("expected: constant 1", html);
        Assert.DoesNotContain("id=\"warnings\"", html);
        Assert.DoesNotContain("id=\"loads\"", html);
    }

    [Fact]
    public void Render_IsSelfContained_WithUniqueSvgIds()
    {
        var html = HtmlReport.Render(ReportTestModels.Initialized());
        Assert.DoesNotMatch(new Regex("(src|href)=\"(https?:)?//"), html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<?xml", html);
        var ids = Regex.Matches(html, "\\bid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (Match m in Regex.Matches(html, "url\\(#([^)]+)\\)")) Assert.Contains(m.Groups[1].Value, ids);
    }

    [Fact]
    public void Render_ChartsDrawnOnEveryCore_StandInModelOrderAndRepeatExactly()
    {
        // Sizes out of order, so charts finishing in another order than they started would show.
        var children = new[] { 40, 3, 25, 7, 60, 2, 33, 11 }.Select((n, i) => ($"fc{i}", (nn.Module)nn.Linear(n, 5, hasBias: false))).ToArray();
        var model = Net("Mixed", children);
        Init(model, Cfg("type", "Normal", "std", 0.1, "layer", "Linear"));
        var html = HtmlReport.Render(model);
        var names = Regex.Matches(html, "<figure class=\"plot\" data-name=\"([^\"]+)\"").Select(m => m.Groups[1].Value);
        Assert.Equal(children.Select(c => c.Item1 + ".weight"), names);
        Assert.Equal(html, HtmlReport.Render(model));
    }

    [Fact]
    public void Render_ManyLayers_CapsThePlotsKeepsTheLargestAndSaysSo()
    {
        var children = Enumerable.Range(0, 6).Select(i => ($"fc{i}", (nn.Module)nn.Linear(2 + i, 3, hasBias: false))).ToArray();
        var model = Net("Wide", children);
        Init(model, Cfg("type", "Normal", "std", 0.1, "layer", "Linear"));
        var html = HtmlReport.Render(model, new HtmlReportOptions { MaxPlots = 2 });
        Assert.Equal(2, Count(html, "<svg"));
        Assert.Contains("data-name=\"fc5.weight\"", html);
        Assert.Contains("data-name=\"fc4.weight\"", html);
        Assert.Contains("Showing 2 of 6 weight tensors", html);
        Assert.Contains("4 weight tensors without a chart", html);
        Assert.Contains("<td class=\"mono\">fc0.weight</td>", html);
    }

    [Fact]
    public void Render_LargeTensor_IsSampledAndSaysSo()
    {
        var model = Net("Big", ("fc", nn.Linear(300, 200, hasBias: false)));
        Init(model, Cfg("type", "Uniform", "a", -1, "b", 1, "layer", "Linear"));
        var html = HtmlReport.Render(model, new HtmlReportOptions { MaxSample = 5000 });
        Assert.Contains("histogram of 5,000 sampled values", html);
        Assert.Contains("fixed random sample of 5,000", html);
        Assert.Equal(html, HtmlReport.Render(model, new HtmlReportOptions { MaxSample = 5000 }));
    }

    [Fact]
    public void Render_WarningsAndCheckpointLoads_AreListed()
    {
        using var temp = new TempFolder();
        var dir = temp.Path;
        try
        {
            var model = ReportTestModels.Loaded(dir);
            ParameterWrites.SetWarnings(model, new[] { new InitWarning(InitWarning.ConfigDoesNothing, "init_cfg[1]", "has neither layer nor override") });
            var html = HtmlReport.Render(model);
            Assert.Contains("<h2>Warnings (1)</h2>", html);
            Assert.Contains("ConfigDoesNothing", html);
            Assert.Contains("<h2>Checkpoint loads</h2>", html);
            Assert.Contains("src.safetensors", html);
            Assert.Contains("<code>extra.weight</code>", html);
            Assert.Contains("no expected distribution for this initializer", html); // Pretrained: histogram only
            Assert.Equal(1, Count(html, "<svg"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Render_NeverInitialized_SaysNothingWasWritten()
    {
        var html = HtmlReport.Render(nn.Linear(2, 2));
        Assert.Contains("No weight tensor was written by an initializer (has init_weights / Invoke-InitWeights run on this model?)", html);
        Assert.Equal(0, Count(html, "<svg"));
    }

    [Fact]
    public void Render_ReportsProgressPerChart()
    {
        var seen = new List<ReportProgress>();
        HtmlReport.Render(ReportTestModels.Initialized(), progress: new Collect(seen));
        Assert.Equal(4, seen.Count);
        Assert.Equal(100, seen[^1].Percent);
    }

    private sealed class Collect(List<ReportProgress> into) : IProgress<ReportProgress>
    {
        public void Report(ReportProgress value) => into.Add(value);
    }
}
