using InitCfg.Core.Initializers;
using Xunit;

namespace InitCfg.Core.Tests.Initializers;

// The vector erfinv computes glibc's erff and expf itself; it must give the scalar libm path's bits everywhere.
// Every float in (-1, 1) is compared by the bench case erfinv-exhaustive; this covers each branch in the suite.
// The switch changes no result, so tests running at the same time are not affected by it.
public class PyTorchErfinvTests
{
    [Fact]
    public void Vectorized_OnThisMachine_IsOnWhereTheCpuHasAvx512()
    {
        // The CI machines have AVX-512: a probe that turned the vector path off there would hide a broken port.
        bool avx512 = System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.X86.Avx512DQ.IsSupported;
        Assert.Equal(avx512, PyTorchErfinv.Vectorized);
    }

    [Fact]
    public void Apply_VectorAndScalar_GiveTheSameBitsAcrossEveryBranch()
    {
        var values = new List<float>();
        var random = new Random(11);
        for (int i = 0; i < 1 << 20; i++) values.Add((float)(random.NextDouble() * 2 - 1));
        // Every float near the branch edges of erfinv's first guess (|y| = 0.7), of erff (|x| = 0.84375, 1.25,
        // 1/0.35, 6, 2^-28: the y whose first guesses land there) and near ±1, where the tail and exp branches run.
        foreach (float edge in new[] { 0.7f, 0.7667f, 0.9229f, 0.99876f, 1f, 2.9802322e-8f, 0f })
        {
            uint bits = BitConverter.SingleToUInt32Bits(edge);
            for (uint k = bits > 5000 ? bits - 5000 : 0; k <= bits + 5000; k++)
            {
                float v = BitConverter.UInt32BitsToSingle(k);
                if (v >= 1f) continue;
                values.Add(v);
                values.Add(-v);
            }
        }
        values.AddRange(new[] { 1f, -1f, 1.5f, float.NaN, float.PositiveInfinity, float.Epsilon, -0f });
        var vector = values.ToArray();
        var scalar = values.ToArray();
        try
        {
            PyTorchErfinv.Vectorized = true;
            PyTorchErfinv.Apply(vector);
            PyTorchErfinv.Vectorized = false;
            PyTorchErfinv.Apply(scalar);
        }
        finally { PyTorchErfinv.Vectorized = true; }
        int differ = Enumerable.Range(0, values.Count).Count(i => BitConverter.SingleToInt32Bits(vector[i]) != BitConverter.SingleToInt32Bits(scalar[i]));
        Assert.Equal(0, differ);
    }
}
