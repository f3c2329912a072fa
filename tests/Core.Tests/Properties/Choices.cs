namespace InitCfg.Core.Tests.Properties;

/// <summary>
/// A sequence of random choices drawn by CsCheck (a <c>uint[]</c>), read one by one by the config builders.
/// When the sequence runs out every choice is 0, which the builders read as "the simplest option", so CsCheck's
/// shrinking (shorter arrays, smaller numbers) shrinks the configs too.
/// </summary>
internal sealed class Choices
{
    private readonly uint[] _values;
    private int _next;

    public Choices(uint[] values) => _values = values;

    private uint Raw() => _next < _values.Length ? _values[_next++] : 0u;

    /// <summary>A number in [0, n).</summary>
    public int Next(int n) => n <= 1 ? 0 : (int)(Raw() % (uint)n);

    /// <summary>True with about <paramref name="percent"/> % probability; false once the choices run out.</summary>
    public bool Chance(int percent) => Next(100) >= 100 - percent;

    /// <summary>One of the items.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A double in [lo, hi].</summary>
    public double Uniform(double lo, double hi) => lo + (hi - lo) * (Raw() / (double)uint.MaxValue);

    /// <summary>Index of a weighted option: <c>Weighted(5, 1)</c> is 0 five times in six.</summary>
    public int Weighted(params int[] weights)
    {
        int r = Next(weights.Sum());
        for (int i = 0; i < weights.Length; i++)
        {
            if (r < weights[i]) return i;
            r -= weights[i];
        }
        return 0;
    }
}
