#nullable enable
using System.Collections.ObjectModel;

namespace InitCfg.Core.Configs;

/// <summary>
/// A Python tuple in a config tree: a read-only list that every reader of lists (builders, JSON, YAML, equality)
/// takes as a list, and that MMEngine's <c>pretty_text</c> (so <see cref="ConfigPrettyText"/>) and
/// <see cref="PyRepr"/> print as a tuple, <c>(1333, 800)</c>.
/// </summary>
public sealed class ConfigTuple : ReadOnlyCollection<object?>
{
    /// <summary>A tuple of the given items.</summary>
    public ConfigTuple(IEnumerable<object?> items) : base(items.ToList()) { }

    /// <summary>Python's tuple form: <c>(1, 2)</c>, and <c>(1,)</c> for one item.</summary>
    public override string ToString() => PyRepr.Repr(this);
}
