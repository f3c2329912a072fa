using InitCfg.Core.Errors;
using InitCfg.Core.Reports;

namespace InitCfg.Core.Tests.Reports;

public class ReportExporterTests
{
    [Theory]
    [InlineData("r.json", ReportFormat.Json)]
    [InlineData("r.CSV", ReportFormat.Csv)]
    [InlineData("r.md", ReportFormat.Markdown)]
    [InlineData("r.log", ReportFormat.Log)]
    [InlineData("r.html", ReportFormat.Html)]
    [InlineData("r.htm", ReportFormat.Html)]
    public void FormatOf_KnownExtension_PicksTheFormat(string path, ReportFormat format) =>
        Assert.Equal(format, ReportExporter.FormatOf(path));

    [Theory]
    [InlineData("r.txt")]
    [InlineData("report")]
    public void FormatOf_OtherExtension_ThrowsUnsupportedFormat(string path)
    {
        var e = Assert.Throws<InitCfgException>(() => ReportExporter.FormatOf(path));
        Assert.Equal(ErrorIds.UnsupportedFormat, e.ErrorId);
        Assert.Contains(".json, .csv, .md, .log or .html", e.Message);
    }

    [Fact]
    public void Export_Log_IsExactlyToLog()
    {
        using var temp = new TempFolder();
        var dir = temp.Path;
        try
        {
            var model = ReportTestModels.Initialized();
            var file = ReportExporter.Export(model, Path.Combine(dir, "init.log"), overwrite: false);
            Assert.Equal(InitReport.ToLog(model), File.ReadAllText(file));
            Assert.NotEqual(0xEF, File.ReadAllBytes(file)[0]); // no BOM
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Export_ExistingFile_RefusedUnlessOverwrite_AndNoTempFileLeft()
    {
        using var temp = new TempFolder();
        var dir = temp.Path;
        try
        {
            var model = ReportTestModels.Initialized();
            var file = Path.Combine(dir, "r.md");
            File.WriteAllText(file, "keep");
            var e = Assert.Throws<InitCfgException>(() => ReportExporter.Export(model, file, overwrite: false));
            Assert.Equal(ErrorIds.ExportTargetExists, e.ErrorId);
            Assert.Equal("keep", File.ReadAllText(file));
            ReportExporter.Export(model, file, overwrite: true);
            Assert.StartsWith("### Init report: ToyNet", File.ReadAllText(file));
            Assert.Equal(new[] { "r.md" }, Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Export_MissingFolder_ThrowsExportFailed()
    {
        var file = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "r.json");
        var e = Assert.Throws<InitCfgException>(() => ReportExporter.Export(ReportTestModels.Initialized(), file, overwrite: false));
        Assert.Equal(ErrorIds.ExportFailed, e.ErrorId);
    }

    [Theory]
    [InlineData(ReportFormat.Json)]
    [InlineData(ReportFormat.Csv)]
    [InlineData(ReportFormat.Markdown)]
    [InlineData(ReportFormat.Html)]
    public void Render_EveryFormat_NamesEveryParameter(ReportFormat format)
    {
        var model = ReportTestModels.Initialized();
        var text = ReportExporter.Render(model, format);
        foreach (var r in InitReport.For(model)) Assert.Contains(r.Name, text);
    }
}
