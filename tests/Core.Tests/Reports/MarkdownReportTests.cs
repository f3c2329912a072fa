using InitCfg.Core.Reports;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Reports;

public class MarkdownReportTests
{
    [Fact]
    public void Render_HasSummaryAndParameterTables()
    {
        var model = ReportTestModels.Initialized();
        var md = MarkdownReport.Render(model);
        var lines = md.Split('\n');
        Assert.Contains("| Initializer | Tensors | Elements |", lines);
        Assert.Contains("| Name | Shape | Initializer | Mean | Std | Min | Max | InitInfo |", lines);
        Assert.Contains("|---|---|---|---:|---:|---:|---:|---|", lines);
        var rows = lines.Where(l => l.StartsWith("| `", StringComparison.Ordinal) && l.Contains("` | [")).ToList();
        Assert.Equal(InitReport.For(model).Select(r => r.Name), rows.Select(r => r[3..r.IndexOf('`', 3)]));
        Assert.Contains("| `conv.weight` | [8, 3, 3, 3] | Kaiming |", md);
        Assert.Contains("| `(root)` | `[dict(type='Kaiming', layer='Conv2d')", md);
    }

    [Fact]
    public void Render_EveryTableRowHasTheHeaderColumnCount()
    {
        var model = Net("Net", ("fc", nn.Linear(2, 2)));
        Init(model, Cfg("type", "Constant", "val", 1, "layer", "Linear"));
        var md = MarkdownReport.Render(model);
        var table = md.Split('\n').SkipWhile(l => !l.StartsWith("| Name |")).TakeWhile(l => l.StartsWith('|')).ToList();
        int Cells(string l) => l.Replace("\\|", "").Count(c => c == '|') - 1;
        Assert.Equal(4, table.Count);
        Assert.All(table, l => Assert.Equal(8, Cells(l)));
    }

    [Fact]
    public void Render_UnchangedParameter_EscapesBackticksOfMmengineText()
    {
        var model = Net("Net", ("fc", nn.Linear(2, 2)), ("conv", nn.Conv2d(1, 1, 1)));
        Init(model, Cfg("type", "Constant", "val", 1, "layer", "Linear"));
        Assert.Contains("| The value is the same before and after calling \\`init_weights\\` of Net  |", MarkdownReport.Render(model));
    }
}
