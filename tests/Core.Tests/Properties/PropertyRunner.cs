using CsCheck;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace InitCfg.Core.Tests.Properties;

/// <summary>
/// Runs a CsCheck generator over a fixed sequence of seeds, so every run (and CI) checks the same cases, and a
/// failure names the seeds that reproduce it. Set <c>INITCFG_FUZZ_SEED</c> to explore other cases. On failure
/// CsCheck's own <see cref="Check.Sample{T}(Gen{T}, Action{T}, Action{string}?, string?, long, int, int, Func{T, string}?, ISampleLogger?)"/>
/// is replayed from the failing seed to shrink the input.
/// </summary>
internal static class PropertyRunner
{
    /// <summary>The base seed used when <c>INITCFG_FUZZ_SEED</c> is not set.</summary>
    public const ulong DefaultSeed = 20_250_601;

    /// <summary>The base seed of this run.</summary>
    public static ulong BaseSeed =>
        ulong.TryParse(Environment.GetEnvironmentVariable("INITCFG_FUZZ_SEED"), out var s) ? s : DefaultSeed;

    /// <summary>
    /// Checks <paramref name="property"/> on <paramref name="cases"/> generated values. The property returns a
    /// short outcome label (counted and printed); it throws to fail.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Run<T>(string name, Gen<T> gen, int cases, Func<T, string> property,
        Func<T, string> print, ITestOutputHelper output)
    {
        // The lifetime stress leg (.ci/run) runs the suite with a tiny GC budget, where 10,000 cases take too long.
        if (int.TryParse(Environment.GetEnvironmentVariable("INITCFG_FUZZ_MAX_CASES"), out var max) && max > 0) cases = Math.Min(cases, max);
        var baseSeed = BaseSeed;
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var stream = StableHash(name); // string.GetHashCode differs between processes
        for (int i = 0; i < cases; i++)
        {
            var pcg = new PCG(stream, baseSeed + (ulong)i);
            var seed = pcg.ToString();
            var value = gen.Generate(pcg, null, out _);
            string outcome;
            try { outcome = property(value); }
            catch (Exception e)
            {
                throw new XunitException(
                    $"{name}: case {i} of {cases} failed. Reproduce with INITCFG_FUZZ_SEED={baseSeed} (CsCheck seed \"{seed}\").{Environment.NewLine}" +
                    $"Input: {Clip(print(value))}{Environment.NewLine}Failure: {e}{Environment.NewLine}{Shrink(gen, property, seed, print)}");
            }
            outcomes[outcome] = outcomes.TryGetValue(outcome, out var n) ? n + 1 : 1;
        }
        output.WriteLine($"{name}: {cases} cases, INITCFG_FUZZ_SEED={baseSeed}");
        foreach (var (k, v) in outcomes) output.WriteLine($"  {v,6}  {k}");
        return outcomes;
    }

    // CsCheck replays the failing seed and looks for a smaller failing input; its message names the seed to use.
    private static string Shrink<T>(Gen<T> gen, Func<T, string> property, string seed, Func<T, string> print)
    {
        try
        {
            gen.Sample(v => { property(v); }, seed: seed, iter: 300, threads: 1, print: v => Clip(print(v)));
            return "CsCheck did not reproduce the failure on replay.";
        }
        catch (Exception e) { return "CsCheck shrink: " + Clip(e.Message, 20_000); }
    }

    private static uint StableHash(string s)
    {
        uint h = 2166136261;
        foreach (var ch in s) h = (h ^ ch) * 16777619;
        return h;
    }

    private static string Clip(string s, int max = 4000) => s.Length <= max ? s : s[..max] + $"... ({s.Length:N0} chars)";
}
