using InitCfg.Core.Configs;
using InitCfg.Core.Initializers;

namespace InitCfg.Core.Tests.Configs;

public class PyReprTests
{
    [Theory]
    [InlineData(0.01, "0.01")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1.0, "1.0")]
    [InlineData(-2.0, "-2.0")]
    [InlineData(2.5, "2.5")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e22, "1e+22")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(123456789012345.0, "123456789012345.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Float_Value_MatchesPythonRepr(double value, string expected) =>
        Assert.Equal(expected, PyRepr.Float(value));

    [Fact]
    public void Float_BiasForProbability001_MatchesPython() =>
        Assert.Equal("-4.59511985013459", PyRepr.Float(InitializerBase.BiasForProbability(0.01)));

    [Fact]
    public void Repr_Scalars_PrintAsPython()
    {
        Assert.Equal("None", PyRepr.Repr(null));
        Assert.Equal("True", PyRepr.Repr(true));
        Assert.Equal("False", PyRepr.Repr(false));
        Assert.Equal("1", PyRepr.Repr(1L));
        Assert.Equal("1.0", PyRepr.Repr(1.0));
        Assert.Equal("'Conv2d'", PyRepr.Repr("Conv2d"));
        Assert.Equal("['Conv2d', 1, 0.5]", PyRepr.Repr(new List<object?> { "Conv2d", 1L, 0.5 }));
    }

    [Theory]
    [InlineData("a\"b", "'a\"b'")]
    [InlineData("a\\b", "'a\\\\b'")]
    public void Repr_StringWithBackslashOrDoubleQuote_EscapesAsPython(string value, string expected) =>
        Assert.Equal(expected, PyRepr.Repr(value));

    // Python: repr("a'b") == "\"a'b\"" (double quotes when the text holds ' but no ").
    [Fact]
    public void Repr_StringWithSingleQuote_UsesDoubleQuotesAsPython() =>
        Assert.Equal("\"a'b\"", PyRepr.Repr("a'b"));

    [Fact]
    public void Str_StringsAreBareAndNumbersAsRepr()
    {
        Assert.Equal("fan_out", PyRepr.Str("fan_out"));
        Assert.Equal("0", PyRepr.Str(0L));
        Assert.Equal("0.0", PyRepr.Str(0.0));
    }

    [Fact]
    public void Dict_ConfigMap_PrintsAsMmengineDict()
    {
        var map = new ConfigMap();
        map.Set("type", "Normal");
        map.Set("std", 0.01);
        map.Set("layer", new List<object?> { "Conv2d", "Linear" });
        Assert.Equal("dict(type='Normal', std=0.01, layer=['Conv2d', 'Linear'])", PyRepr.Dict(map));
    }
}
