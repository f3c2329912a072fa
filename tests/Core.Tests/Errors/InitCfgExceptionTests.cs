using InitCfg.Core.Errors;

namespace InitCfg.Core.Tests.Errors;

public class InitCfgExceptionTests
{
    [Fact]
    public void Constructor_OneProblem_CarriesIdPathAndMessage()
    {
        var e = new InitCfgException(ErrorIds.UnknownArgument, "init_cfg.foo", "bad", new InvalidOperationException());
        Assert.Equal(ErrorIds.UnknownArgument, e.ErrorId);
        Assert.Equal("init_cfg.foo", e.ConfigPath);
        Assert.Equal("bad", e.Message);
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Equal("init_cfg.foo: bad", Assert.Single(e.Problems).ToString());
    }

    [Fact]
    public void Constructor_SeveralProblems_FirstGivesIdAndMessageListsAll()
    {
        var e = new InitCfgException(new[]
        {
            new ConfigProblem(ErrorIds.MissingArgument, "init_cfg[0]", "no val"),
            new ConfigProblem(ErrorIds.LayerNotString, "init_cfg[1].layer", "layer is 1"),
        });
        Assert.Equal(ErrorIds.MissingArgument, e.ErrorId);
        Assert.Equal("init_cfg[0]", e.ConfigPath);
        Assert.StartsWith("2 problems in the config:", e.Message);
        Assert.Contains("init_cfg[1].layer: layer is 1", e.Message);
    }

    [Fact]
    public void Constructor_NoProblems_Throws() =>
        Assert.Throws<ArgumentException>(() => new InitCfgException(Array.Empty<ConfigProblem>()));

    [Theory]
    [InlineData(ErrorIds.LayerNotString, ErrorKind.InvalidType)]
    [InlineData(ErrorIds.UnknownInitializerType, ErrorKind.ObjectNotFound)]
    [InlineData(ErrorIds.OverrideNameNotFound, ErrorKind.ObjectNotFound)]
    [InlineData(ErrorIds.BiasProbOutOfRange, ErrorKind.InvalidArgument)]
    [InlineData(ErrorIds.StrictWarning, ErrorKind.Strict)]
    public void Kind_ErrorId_MapsToCoarseKind(string id, ErrorKind kind) =>
        Assert.Equal(kind, new InitCfgException(id, null, "x").Kind);
}
