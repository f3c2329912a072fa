#nullable enable
using System.Collections;

namespace InitCfg.Core.Configs;

/// <summary>
/// An ordered mapping read from a hashtable, YAML or JSON. Keys keep their first spelling and are looked up
/// by <see cref="ConfigKeys.Normalize"/>. Values are null, bool, long, double, string, ConfigMap or
/// <see cref="IReadOnlyList{T}"/> of those, so that ints stay ints and print as Python prints them.
/// </summary>
public sealed class ConfigMap : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _entries = new();
    private readonly Dictionary<string, int> _index = new();

    // Python configs are dicts: `data_root` and `_data_root` are two keys there. Such maps index exact keys too.
    private readonly Dictionary<string, int>? _exact;

    /// <summary>An empty map whose keys match by <see cref="ConfigKeys.Normalize"/>.</summary>
    public ConfigMap() { }

    private ConfigMap(bool exactKeys) => _exact = exactKeys ? new Dictionary<string, int>(StringComparer.Ordinal) : null;

    /// <summary>
    /// An empty map that keeps keys apart unless spelled exactly alike, as a Python dict does; a lookup by another
    /// spelling still finds the first key that normalizes the same.
    /// </summary>
    public static ConfigMap WithExactKeys() => new(exactKeys: true);

    /// <summary>Number of keys.</summary>
    public int Count => _entries.Count;

    /// <summary>Keys in insertion order, as first spelled.</summary>
    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    private bool _readOnly;

    /// <summary>True for a map that belongs to a parsed config: <see cref="Set"/> throws.</summary>
    public bool IsReadOnly => _readOnly;

    /// <summary>A copy that cannot change, nor can the maps and lists inside it; this map when it is one already.</summary>
    public ConfigMap AsReadOnly()
    {
        if (_readOnly) return this;
        var copy = new ConfigMap(_exact is not null);
        foreach (var e in _entries) copy.Set(e.Key, ReadOnlyValue(e.Value));
        copy._readOnly = true;
        return copy;
    }

    /// <summary>A copy that can change, maps and lists inside it copied too.</summary>
    public ConfigMap Copy()
    {
        var copy = new ConfigMap(_exact is not null);
        foreach (var e in _entries) copy.Set(e.Key, CopyValue(e.Value));
        return copy;
    }

    private static object? ReadOnlyValue(object? value) => value switch
    {
        ConfigMap map => map.AsReadOnly(),
        IReadOnlyList<object?> list => Array.AsReadOnly(list.Select(ReadOnlyValue).ToArray()),
        _ => value,
    };

    private static object? CopyValue(object? value) => value switch
    {
        ConfigMap map => map.Copy(),
        IReadOnlyList<object?> list => list.Select(CopyValue).ToArray(),
        _ => value,
    };

    /// <summary>Sets a value; a key spelled differently but equal after normalization replaces the old value.</summary>
    /// <exception cref="InvalidOperationException">The map is read-only (<see cref="IsReadOnly"/>).</exception>
    public void Set(string key, object? value)
    {
        if (_readOnly)
            throw new InvalidOperationException("This map belongs to a parsed config and cannot change; change a copy (Copy()) and parse that.");
        var norm = ConfigKeys.Normalize(key);
        if (_exact is not null)
        {
            if (_exact.TryGetValue(key, out var at)) { _entries[at] = new(key, value); return; }
            _exact[key] = _entries.Count;
            _index.TryAdd(norm, _entries.Count);
            _entries.Add(new(key, value));
            return;
        }
        if (_index.TryGetValue(norm, out var i)) _entries[i] = new(_entries[i].Key, value);
        else { _index[norm] = _entries.Count; _entries.Add(new(key, value)); }
    }

    /// <summary>True and the value when the key is present.</summary>
    public bool TryGet(string key, out object? value)
    {
        if (_exact is not null && _exact.TryGetValue(key, out var exact)) { value = _entries[exact].Value; return true; }
        if (_index.TryGetValue(ConfigKeys.Normalize(key), out var i)) { value = _entries[i].Value; return true; }
        value = null;
        return false;
    }

    /// <summary>The value, or null when absent.</summary>
    public object? this[string key] => TryGet(key, out var v) ? v : null;

    /// <summary>True when the key is present.</summary>
    public bool Contains(string key) => _exact?.ContainsKey(key) == true || _index.ContainsKey(ConfigKeys.Normalize(key));

    /// <summary>A shallow copy without the given keys.</summary>
    public ConfigMap Without(params string[] keys)
    {
        var drop = keys.Select(ConfigKeys.Normalize).ToHashSet();
        var copy = new ConfigMap(_exact is not null);
        foreach (var e in _entries)
            if (!drop.Contains(ConfigKeys.Normalize(e.Key))) copy.Set(e.Key, e.Value);
        return copy;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Python's <c>dict(...)</c> form, as MMEngine prints a config.</summary>
    public override string ToString() => PyRepr.Dict(this);
}
