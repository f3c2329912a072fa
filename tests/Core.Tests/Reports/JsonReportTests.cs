using InitCfg.Core.Errors;
using System.Text.Json;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Reports;

public class JsonReportTests
{
    [Fact]
    public void Render_ParsesBackWithEveryRecordField()
    {
        var model = ReportTestModels.Initialized();
        using var doc = JsonDocument.Parse(JsonReport.Render(model));
        var root = doc.RootElement;
        Assert.Equal("ToyNet", root.GetProperty("Model").GetString());
        var parameters = root.GetProperty("Parameters").EnumerateArray().ToList();
        var records = InitReport.For(model);
        Assert.Equal(records.Select(r => r.Name), parameters.Select(p => p.GetProperty("Name").GetString()));
        foreach (var f in new[] { "Name", "Shape", "InitInfo", "Initializer", "Arguments", "ModulePath", "ConfigPath", "Written", "Elements", "Mean", "Std", "Min", "Max" })
            Assert.True(parameters[0].TryGetProperty(f, out _), f);
        var conv = parameters[0];
        Assert.Equal(new long[] { 8, 3, 3, 3 }, conv.GetProperty("Shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("Kaiming", conv.GetProperty("Initializer").GetString());
        Assert.Equal(records[0].Mean, conv.GetProperty("Mean").GetDouble());
        var fc = parameters.First(p => p.GetProperty("Name").GetString() == "fc.weight").GetProperty("Arguments");
        Assert.Equal(0.01, fc.GetProperty("std").GetDouble());
        Assert.Equal(JsonValueKind.Number, fc.GetProperty("std").ValueKind);
        Assert.Equal(3, root.GetProperty("Configs")[0].GetProperty("Config").GetString()!.Split("dict(").Length - 1);
        Assert.Empty(root.GetProperty("Loads").EnumerateArray());
    }

    [Fact]
    public void Render_NeverInitialized_HasNullInfoAndOneElementStdNull()
    {
        using var doc = JsonDocument.Parse(JsonReport.Render(nn.Linear(1, 1)));
        var bias = doc.RootElement.GetProperty("Parameters")[1];
        Assert.Equal(JsonValueKind.Null, bias.GetProperty("InitInfo").ValueKind);
        Assert.Equal(JsonValueKind.Null, bias.GetProperty("Std").ValueKind);
        Assert.False(bias.GetProperty("Written").GetBoolean());
    }

    [Fact]
    public void Render_WithCheckpointLoadAndWarnings_ListsThem()
    {
        using var temp = new TempFolder();
        var dir = temp.Path;
        try
        {
            var model = ReportTestModels.Loaded(dir);
            ParameterWrites.SetWarnings(model, new[] { new InitWarning(InitWarning.LayerMatchesNothing, "init_cfg[0].layer", "matches nothing") });
            using var doc = JsonDocument.Parse(JsonReport.Render(model));
            var load = doc.RootElement.GetProperty("Loads")[0];
            Assert.Equal(new[] { "fc.weight", "fc.bias" }, load.GetProperty("Loaded").EnumerateArray().Select(e => e.GetString()));
            Assert.Contains("extra.weight", load.GetProperty("Unexpected").EnumerateArray().Select(e => e.GetString()));
            Assert.False(load.GetProperty("IsComplete").GetBoolean());
            Assert.Equal("LayerMatchesNothing", doc.RootElement.GetProperty("Warnings")[0].GetProperty("WarningId").GetString());
        }
        finally { Directory.Delete(dir, true); }
    }
}
