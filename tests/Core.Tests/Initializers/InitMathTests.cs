using InitCfg.Core.Initializers;

namespace InitCfg.Core.Tests.Initializers;

public class InitMathTests
{
    [Fact]
    public void Fans_ConvShape_MultiplyReceptiveField() => Assert.Equal((27.0, 72.0), InitMath.Fans(new long[] { 8, 3, 3, 3 }));

    [Fact]
    public void Fans_OneDimension_IsNull() => Assert.Null(InitMath.Fans(new long[] { 4 }));

    [Theory]
    [InlineData("linear", null, 1.0)]
    [InlineData("sigmoid", null, 1.0)]
    [InlineData("tanh", null, 5.0 / 3)]
    [InlineData("relu", null, 1.4142135623730951)]
    [InlineData("selu", null, 0.75)]
    [InlineData("leaky_relu", null, 1.4141428569978354)]
    [InlineData("leaky_relu", 1.0, 1.0)]
    public void Gain_Nonlinearity_MatchesTorchCalculateGain(string nonlinearity, double? param, double expected) =>
        Assert.Equal(expected, InitMath.Gain(nonlinearity, param), 15);

    [Fact]
    public void NormCdf_Two_MatchesPython() => Assert.Equal(0.9772498680518208, InitMath.NormCdf(2.0), 15);
}
