using InitCfg.Core.Reports;

namespace InitCfg.Core.Tests.Reports;

public class CsvReportTests
{
    // RFC 4180 fields of one line (no embedded line breaks in these tests).
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }

    [Fact]
    public void Render_HeaderAndOneRowPerParameter()
    {
        var model = ReportTestModels.Initialized();
        var lines = CsvReport.Render(model).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Name,Shape,Initializer,InitInfo,Arguments,ModulePath,ConfigPath,Written,Elements,Mean,Std,Min,Max", lines[0]);
        var records = InitReport.For(model);
        Assert.Equal(records.Count + 1, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Equal(CsvReport.Columns.Count, Fields(l).Count));
    }

    [Fact]
    public void Render_QuotesShapesAndKeepsRoundTripNumbers()
    {
        var model = ReportTestModels.Initialized();
        var row = Fields(CsvReport.Render(model).Split("\r\n")[1]);
        var r = InitReport.For(model)[0];
        Assert.Equal("conv.weight", row[0]);
        Assert.Equal("[8, 3, 3, 3]", row[1]);
        Assert.Equal("Kaiming", row[2]);
        Assert.Equal(r.InitInfo, row[3]);
        Assert.Equal("", row[4]); // Kaiming with its defaults: no argument given
        var fc = Fields(CsvReport.Render(model).Split("\r\n").First(l => l.StartsWith("fc.weight,", StringComparison.Ordinal)));
        Assert.Contains("std=0.01", fc[4]);
        Assert.StartsWith("dict(", fc[4]);
        Assert.Equal("True", row[7]);
        Assert.Equal("216", row[8]);
        Assert.Equal(r.Mean, double.Parse(row[9], System.Globalization.CultureInfo.InvariantCulture));
    }
}
