using InitCfg.Core.Initializers;
using InitCfg.Core.Modules;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

// Switches ParallelDraws' process-wide settings and draws from the default generator: runs alone.
[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class ParallelDrawsTests
{
    // Every built-in initializer that draws (and Constant, which does not, between them).
    private static readonly object?[][] Configs =
    {
        new object?[] { "type", "Normal", "mean", 0.5, "std", 0.02 },
        new object?[] { "type", "Uniform", "a", -0.3, "b", 0.7 },
        new object?[] { "type", "Kaiming", "mode", "fan_out", "nonlinearity", "relu" },
        new object?[] { "type", "Kaiming", "distribution", "uniform" },
        new object?[] { "type", "Xavier", "distribution", "uniform" },
        new object?[] { "type", "Xavier", "distribution", "normal", "gain", 2 },
        new object?[] { "type", "Caffe2Xavier" },
        new object?[] { "type", "TruncNormal", "std", 0.02 },
        new object?[] { "type", "TruncNormal", "mean", 0.2, "a", -0.5, "b", 1 },
        new object?[] { "type", "Orthogonal" },
        new object?[] { "type", "Constant", "val", 3 },
    };

    [Fact]
    public void Init_RandomLayerSizesEveryInitializer_ParallelEqualsSerialByteForByte()
    {
        var random = new Random(16);
        for (int round = 0; round < 4; round++)
        {
            // Sizes from 1 element to a few thousand: below 16, not multiples of 16, and many chunks long.
            var shapes = Enumerable.Range(0, 12).Select(_ => (random.Next(1, 90), random.Next(1, 90))).ToArray();
            foreach (var config in Configs)
            {
                var cfg = Cfg(config.Concat(new object?[] { "layer", "Linear" }).ToArray());
                long seed = random.Next();
                var serial = Run(shapes, cfg, seed, parallel: false);
                var parallel = Run(shapes, cfg, seed, parallel: true);
                foreach (var (name, value) in serial)
                    Assert.True(value.SequenceEqual(parallel[name]), $"{config[1]} {name} of [{string.Join(", ", shapes)}] differs");
            }
        }
    }

    // Initializers a one-dimensional weight takes (BatchNorm's).
    private static readonly object?[][] VectorConfigs =
    {
        new object?[] { "type", "Constant", "val", 1, "bias", 0.5 },
        new object?[] { "type", "Normal", "std", 0.3 },
        new object?[] { "type", "Uniform", "a", -2, "b", 1 },
        new object?[] { "type", "TruncNormal", "std", 0.5 },
    };

    [Fact]
    public void Init_RandomModelsMixingInitializersAndOverrides_ParallelEqualsSerialWithTheSameGeneratorStateAfter()
    {
        var random = new Random(1616);
        for (int round = 0; round < 12; round++)
        {
            // Linear, Conv2d and BatchNorm layers of random sizes (some below 16 elements, which draw Box-Muller pairs
            // and may leave a cached sample), each type with its own initializer, and an override that writes one
            // layer again: tensors go to workers, run inline in chunks, or in order, and the stream must not notice.
            var layers = Enumerable.Range(0, 10).Select(_ => (Kind: random.Next(4), A: random.Next(1, 70), B: random.Next(1, 70))).ToArray();
            var linear = Configs[random.Next(Configs.Length)];
            var conv = Configs[random.Next(Configs.Length)];
            var norm = VectorConfigs[random.Next(VectorConfigs.Length)];
            var again = Configs[random.Next(Configs.Length)];
            int target = Array.FindIndex(layers, l => l.Kind != 2);
            var cfg = List(
                Cfg(linear.Concat(new object?[] { "layer", "Linear" }).ToArray()),
                Cfg(conv.Concat(new object?[] { "layer", "Conv2d" }).ToArray()),
                Cfg(norm.Concat(new object?[] { "layer", "_BatchNorm" }).ToArray()),
                Cfg(again.Concat(new object?[] { "override", Cfg("name", $"l{target}") }).ToArray()));
            bool seeded = round % 2 == 1;
            long seed = random.Next();
            var serial = RunMixed(layers, cfg, seed, seeded, parallel: false);
            var parallel = RunMixed(layers, cfg, seed, seeded, parallel: true);
            string what = $"round {round}: {linear[1]}/{conv[1]}/{norm[1]}/{again[1]} over [{string.Join(", ", layers)}]";
            foreach (var (name, value) in serial.Values)
                Assert.True(value.SequenceEqual(parallel.Values[name]), $"{what}: {name} differs");
            Assert.True(serial.State.SequenceEqual(parallel.State), $"{what}: the generator state after differs");
            Assert.True(serial.Next.SequenceEqual(parallel.Next), $"{what}: the next draw differs");
        }
    }

    [Fact]
    public void DrawQueue_StepTakingOtherDrawsThanDeclared_FailsInsteadOfShiftingTheStream()
    {
        using var generator = new Generator(3);
        using var t = empty(1000);
        var queue = new DrawQueue(generator);
        WithSettings(true, () =>
        {
            Assert.True(queue.TryRun(new[] { t }, 999, g => t.uniform_(0, 1, g)));
            var e = Assert.Throws<InvalidOperationException>(queue.Flush);
            Assert.Contains("INITCFG_SERIAL_DRAWS", e.Message);
        });
    }

    private static (Dictionary<string, byte[]> Values, byte[] State, byte[] Next) RunMixed((int Kind, int A, int B)[] layers, object cfg, long seed,
        bool seeded, bool parallel)
    {
        var model = Net("Mixed", layers.Select((l, i) => ($"l{i}", l.Kind switch
        {
            0 => nn.Linear(l.A, l.B),
            1 => nn.Linear(l.A % 4 + 1, l.B % 3 + 1), // 1 to 12 elements
            2 => (nn.Module)nn.BatchNorm2d(l.A),
            _ => nn.Conv2d(l.A % 24 + 1, l.B, 3),
        })).ToArray());
        random.manual_seed(seed + 1);
        WithSettings(parallel, () =>
        {
            if (seeded) Init(model, cfg, seed);
            else new InitEngine().Initialize(model, new InitOptions { InitCfg = cfg });
        });
        using var state = get_rng_state();
        using var next = empty(5).normal_(0, 1); // continues from the same place, cached normal sample included
        return (model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().contiguous().bytes.ToArray()),
            state.bytes.ToArray(), next.bytes.ToArray());
    }

    [Fact]
    public void Draws_RandomSizeSequences_ParallelEqualsSerialWithTheSameGeneratorStateAfter()
    {
        var random = new Random(1613);
        for (int round = 0; round < 30; round++)
        {
            var sizes = Enumerable.Range(0, 8).Select(_ => random.Next(4) == 0 ? random.Next(1, 20) : random.Next(16, 3000)).ToArray();
            var kinds = sizes.Select(_ => random.Next(2) == 0).ToArray();
            bool useDefault = round % 3 == 0;
            ulong seed = (ulong)random.Next();
            var (serialValues, serialState, serialNext) = Draw(sizes, kinds, seed, useDefault, parallel: false);
            var (parallelValues, parallelState, parallelNext) = Draw(sizes, kinds, seed, useDefault, parallel: true);
            for (int i = 0; i < sizes.Length; i++)
                Assert.True(serialValues[i].SequenceEqual(parallelValues[i]), $"round {round}: tensor {i} of [{string.Join(", ", sizes)}] differs");
            Assert.Equal(serialState, parallelState);
            Assert.Equal(serialNext, parallelNext);
        }
    }

    [Fact]
    public void Advance_AnyDistance_EqualsDrawingThatMany()
    {
        using var generator = new Generator(5);
        using var drawn = new Generator(5);
        using var first = empty(7).uniform_(0, 1, drawn); // an offset inside the first block
        using var bytes = drawn.get_state();
        var state = Mt19937State.FromBytes(bytes.bytes)!;
        foreach (long distance in new long[] { 0, 1, 616, 617, 618, 624, 1248, 5000, 100003 })
        {
            var jumped = state.Clone();
            jumped.Advance(distance);
            using var copy = new Generator(5);
            using (var start = tensor(state.ToBytes(), ScalarType.Byte)) copy.set_state(start);
            if (distance > 0) { using var _ = empty(distance).uniform_(0, 1, copy); }
            using var expected = copy.get_state();
            Assert.Equal(expected.bytes.ToArray(), jumped.ToBytes());
        }
    }

    [Fact]
    public void Enabled_SerialVariable_IsTheDocumentedName() => Assert.Equal("INITCFG_SERIAL_DRAWS", ParallelDraws.SerialVariable);

    private static Dictionary<string, byte[]> Run((int In, int Out)[] shapes, object cfg, long seed, bool parallel)
    {
        var model = Net("Stack", shapes.Select((s, i) => ($"fc{i}", (nn.Module)nn.Linear(s.In, s.Out))).ToArray());
        WithSettings(parallel, () => Init(model, cfg, seed));
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().contiguous().bytes.ToArray());
    }

    private static (List<byte[]> Values, byte[] State, byte[] Next) Draw(int[] sizes, bool[] normal, ulong seed, bool useDefault, bool parallel)
    {
        using var own = useDefault ? null : new Generator(seed);
        if (useDefault) random.manual_seed((long)seed);
        var values = new List<byte[]>();
        WithSettings(parallel, () =>
        {
            for (int i = 0; i < sizes.Length; i++)
            {
                using var t = empty(sizes[i]);
                if (normal[i]) ParallelDraws.Normal(t, 0.1, 2, own);
                else ParallelDraws.Uniform(t, -1, 3, own);
                values.Add(t.bytes.ToArray());
            }
        });
        using var state = useDefault ? get_rng_state() : own!.get_state();
        // A later draw continues from the same place, including any cached normal sample.
        using var next = empty(5).normal_(0, 1, own);
        return (values, state.bytes.ToArray(), next.bytes.ToArray());
    }

    private static void WithSettings(bool parallel, Action action)
    {
        bool enabled = ParallelDraws.Enabled;
        long chunk = ParallelDraws.ChunkElements;
        try
        {
            ParallelDraws.Enabled = parallel;
            // Serial means libtorch's own kernels, so the parallel side is checked against them, not against ours.
            PyTorchDraws.Enabled = parallel;
            ParallelDraws.ChunkElements = 64; // small tensors split into many chunks
            action();
        }
        finally
        {
            ParallelDraws.Enabled = enabled;
            PyTorchDraws.Enabled = true;
            ParallelDraws.ChunkElements = chunk;
        }
    }
}
