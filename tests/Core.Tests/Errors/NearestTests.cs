using InitCfg.Core.Errors;

namespace InitCfg.Core.Tests.Errors;

public class NearestTests
{
    private static readonly string[] Types = { "Constant", "Xavier", "Normal", "TruncNormal", "Uniform", "Kaiming", "Caffe2Xavier" };

    [Theory]
    [InlineData("Kaimin", "Kaiming")]
    [InlineData("kaiming_", "Kaiming")]
    [InlineData("Truncnormal", "TruncNormal")]
    [InlineData("Xavir", "Xavier")]
    public void Find_Misspelling_ReturnsNearest(string value, string expected) =>
        Assert.Equal(expected, Nearest.Find(value, Types));

    [Fact]
    public void Find_NothingClose_ReturnsNull() => Assert.Null(Nearest.Find("Pretrainedzzzz", Types));

    [Fact]
    public void Hint_Close_SaysDidYouMean() => Assert.Equal(" Did you mean 'Normal'?", Nearest.Hint("Normla", Types));
}
