#nullable enable
namespace InitCfg.Core.Configs.Python;

/// <summary>A Python list or tuple (a tuple is a list that prints and concatenates as a tuple; both dump as lists).</summary>
internal sealed class PyList
{
    public PyList(List<object?> items, bool tuple = false) { Items = items; Tuple = tuple; }

    public PyList(IEnumerable<object?> items, bool tuple = false) : this(items.ToList(), tuple) { }

    public List<object?> Items { get; }

    public bool Tuple { get; }

    /// <summary>True for the result of <c>set()</c> or a set display, which keeps items unique.</summary>
    public bool Set { get; init; }

    public int Count => Items.Count;
}
