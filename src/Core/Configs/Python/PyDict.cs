#nullable enable
namespace InitCfg.Core.Configs.Python;

/// <summary>
/// A Python dict, ordered by first insertion. <see cref="IsConfigDict"/> marks MMEngine's ConfigDict (the values
/// of base files): its <c>update</c> merges nested dicts and assigning a plain dict or a list into it stores a copy.
/// </summary>
internal sealed class PyDict
{
    private readonly List<object?> _keys = new();
    private readonly List<object?> _values = new();
    private readonly Dictionary<object, int> _index = new(PyKeyComparer.Instance);

    public PyDict(bool isConfigDict = false) => IsConfigDict = isConfigDict;

    public bool IsConfigDict { get; }

    public int Count => _keys.Count;

    public IEnumerable<object?> Keys => _keys;

    public IEnumerable<KeyValuePair<object?, object?>> Items => _keys.Select((k, i) => new KeyValuePair<object?, object?>(k, _values[i]));

    public bool TryGet(object? key, out object? value)
    {
        if (_index.TryGetValue(PyKeyComparer.Box(key), out var i)) { value = _values[i]; return true; }
        value = null;
        return false;
    }

    public bool Contains(object? key) => _index.ContainsKey(PyKeyComparer.Box(key));

    /// <summary>Stores a value as it is (ConfigDict copying is the interpreter's job, see <see cref="PyInterpreter"/>).</summary>
    public void Set(object? key, object? value)
    {
        var boxed = PyKeyComparer.Box(key);
        if (_index.TryGetValue(boxed, out var i)) _values[i] = value;
        else { _index[boxed] = _keys.Count; _keys.Add(key); _values.Add(value); }
    }

    public bool Remove(object? key)
    {
        if (!_index.TryGetValue(PyKeyComparer.Box(key), out var i)) return false;
        _keys.RemoveAt(i);
        _values.RemoveAt(i);
        _index.Clear();
        for (int k = 0; k < _keys.Count; k++) _index[PyKeyComparer.Box(_keys[k])] = k;
        return true;
    }

    public void Clear()
    {
        _keys.Clear();
        _values.Clear();
        _index.Clear();
    }
}
