using System.Runtime.InteropServices;
using InitCfg.Core.Initializers;
using Xunit;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

// normal_ and uniform_ computed from the twister state must give libtorch's bits and leave the generator where
// libtorch leaves it. The switch changes no result, so tests running at the same time are not affected by it.
// Some rounds draw from the default generator, so the class runs alone.
[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class PyTorchDrawsTests
{
    [Fact]
    public void Enabled_OnThisMachine_IsOnWhereTheCpuHasAvx2AndFma()
    {
        // The CI machines have AVX2: a probe that turned the kernels off there would hide a broken port.
        bool avx2 = System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported;
        Assert.Equal(avx2, PyTorchDraws.Enabled);
    }

    [SkippableFact]
    public void Draws_RandomSizesAndParameters_EqualLibtorchWithTheSameStateAfter()
    {
        Skip.IfNot(PyTorchDraws.Enabled);
        var random = new Random(2026);
        for (int round = 0; round < 200; round++)
        {
            long n = round < 8 ? 1024 + round * 7 : random.Next(1024, round % 10 == 0 ? 3_000_000 : 70_000);
            bool normal = round % 2 == 0;
            double a = Math.Round(random.NextDouble() * 4 - 2, 3), b = a + Math.Round(random.NextDouble() * 3 + 0.001, 4);
            if (normal) b = b - a; // a standard deviation
            bool global = round % 7 == 3;
            bool cached = round % 5 == 1; // a generator holding a cached normal sample: both kernels leave it alone
            bool view = round % 6 == 2;   // a slice of a larger tensor, starting past its first element
            ulong seed = (ulong)random.Next();

            var (expected, expectedState) = Draw(n, seed, global, cached, view, t =>
            {
                if (normal) t.normal_(a, b, global ? null : _generator);
                else t.uniform_(a, b, global ? null : _generator);
            });
            var (actual, actualState) = Draw(n, seed, global, cached, view, t =>
                Assert.True(normal ? PyTorchDraws.TryNormal(t, a, b, global ? null : _generator)
                                   : PyTorchDraws.TryUniform(t, a, b, global ? null : _generator)));
            string what = $"round {round}: {(normal ? "normal" : "uniform")}({a}, {b}) of {n}, global {global}, cached {cached}, view {view}";
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{what}: values differ");
            Assert.True(expectedState.AsSpan().SequenceEqual(actualState), $"{what}: the generator state after differs");
        }
    }

    [SkippableFact]
    public void Normal_SixteenMillionValues_EqualLibtorchBitForBit()
    {
        // Each block's first half feeds log, its second half sin and cos: 8M of each over their whole input range.
        Skip.IfNot(PyTorchDraws.Enabled);
        const int n = 1 << 24;
        using var generator = new Generator(77);
        using var expected = empty(n);
        expected.normal_(0.25, 3.5, generator);
        using var again = new Generator(77);
        using var actual = empty(n);
        Assert.True(PyTorchDraws.TryNormal(actual, 0.25, 3.5, again));
        var e = MemoryMarshal.Cast<byte, int>(expected.bytes);
        var a = MemoryMarshal.Cast<byte, int>(actual.bytes);
        int differ = 0;
        for (int i = 0; i < n; i++) if (e[i] != a[i]) differ++;
        Assert.Equal(0, differ);
    }

    [Theory]
    [InlineData(1023)]   // small: libtorch's loop is cheaper than moving the state
    [InlineData(-1)]     // strided
    [InlineData(-2)]     // float64
    public void TryNormal_TensorsItDoesNotDraw_AreLeftToLibtorch(int kind)
    {
        using var t = kind switch
        {
            -1 => empty(64, 64).t(),
            -2 => empty(4096, dtype: ScalarType.Float64),
            _ => empty(kind),
        };
        using var generator = new Generator(5);
        using var before = generator.get_state();
        Assert.False(PyTorchDraws.TryNormal(t, 0, 1, generator));
        Assert.False(PyTorchDraws.TryUniform(t, 0, 1, generator));
        using var after = generator.get_state();
        Assert.True(before.bytes.SequenceEqual(after.bytes));
    }

    [Fact]
    public void Enabled_Off_LeavesEveryDrawToLibtorch()
    {
        using var t = empty(4096);
        using var generator = new Generator(5);
        try
        {
            PyTorchDraws.Enabled = false;
            Assert.False(PyTorchDraws.TryNormal(t, 0, 1, generator));
        }
        finally { PyTorchDraws.Enabled = true; }
    }

    private Generator? _generator;

    private (byte[] Values, byte[] State) Draw(long n, ulong seed, bool global, bool cached, bool view, Action<Tensor> draw)
    {
        {
            using var g = new Generator(seed);
            _generator = g;
            if (global) random.manual_seed((long)(seed % int.MaxValue));
            if (cached)
            {
                using var warm = empty(3);
                warm.normal_(0, 1, global ? null : g);
            }
            using var whole = full(n + (view ? 40 : 0), float.NaN);
            using var target = view ? whole.narrow(0, 17, n) : whole.alias();
            draw(target);
            using var state = global ? get_rng_state() : g.get_state();
            using var next = empty(3);
            next.normal_(0, 1, global ? null : g); // the cached sample, if any, is still there
            _generator = null;
            return (whole.bytes.ToArray().Concat(next.bytes.ToArray()).ToArray(), state.bytes.ToArray());
        }
    }
}
