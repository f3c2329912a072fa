using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

public class OrthogonalInitTests
{
    [Fact]
    public void Describe_Defaults_GainOneBiasZero() =>
        Assert.Equal("OrthogonalInit: gain=1, bias=0", Build("type", "Orthogonal").Describe());

    [Fact]
    public void Apply_WideWeight_RowsAreOrthonormalTimesGain()
    {
        var fc = nn.Linear(8, 4); // weight [4, 8]: rows <= cols
        Init(fc, Cfg("type", "Orthogonal", "gain", 2, "layer", "Linear"));
        using var scope = NewDisposeScope(); // holds the temporaries below until the checks are done
        using var w = fc.weight!.detach();
        Assert.True(w.matmul(w.t()).allclose(eye(4).mul(4.0), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Apply_TallWeight_ColumnsAreOrthonormal()
    {
        var fc = nn.Linear(4, 8); // weight [8, 4]
        Init(fc, Cfg("type", "Orthogonal", "layer", "Linear"));
        using var scope = NewDisposeScope(); // holds the temporaries below until the checks are done
        using var w = fc.weight!.detach();
        Assert.True(w.t().matmul(w).allclose(eye(4), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Apply_ConvWeight_FlattenedRowsAreOrthonormal()
    {
        var conv = nn.Conv2d(4, 8, 3);
        Init(conv, Cfg("type", "Orthogonal", "layer", "Conv2d"));
        using var scope = NewDisposeScope(); // holds the temporaries below until the checks are done
        using var d = conv.weight!.detach();
        using var w = d.reshape(8, -1);
        Assert.True(w.matmul(w.t()).allclose(eye(8), rtol: 0, atol: 1e-5));
        Assert.True(AllEqual(conv.bias!, 0));
    }
}
