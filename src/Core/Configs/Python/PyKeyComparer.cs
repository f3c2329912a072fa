#nullable enable
namespace InitCfg.Core.Configs.Python;

/// <summary>Dict-key equality as Python has it: <c>1 == 1.0 == True</c>, strings by ordinal, tuples by items.</summary>
internal sealed class PyKeyComparer : IEqualityComparer<object>
{
    public static PyKeyComparer Instance { get; } = new();

    private static readonly object NoneKey = new();

    public static object Box(object? key) => key ?? NoneKey;

    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x == NoneKey || y == NoneKey || x is null || y is null) return false;
        return PyOps.Equal(x, y, 0);
    }

    public int GetHashCode(object obj) => obj switch
    {
        string s => s.GetHashCode(StringComparison.Ordinal),
        bool b => b ? 1 : 0,
        long l => l.GetHashCode(),
        double d => d == Math.Floor(d) && Math.Abs(d) < 9e18 ? ((long)d).GetHashCode() : d.GetHashCode(),
        PyList list => list.Items.Aggregate(17, (h, item) => h * 31 + GetHashCode(Box(item))),
        _ => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj),
    };
}
