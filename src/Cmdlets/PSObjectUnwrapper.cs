#nullable enable
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Cmdlets;

/// <summary>
/// Strips PSObject wrappers from values (deeply) so the engine, which knows nothing of PowerShell, sees plain .NET
/// objects. Bounded: a hashtable that contains itself, or one nested deeper than configs may nest, is a
/// <see cref="ErrorIds.ConfigTooLarge"/> error naming the path, not a stack overflow that kills pwsh.
/// </summary>
internal static class PSObjectUnwrapper
{
    public static object? Unwrap(object? value) => Unwrap(value, ConfigPath.Root("config"), 0, new HashSet<object>(ReferenceEqualityComparer.Instance));

    private static object? Unwrap(object? value, ConfigPath path, int depth, HashSet<object> ancestors)
    {
        if (depth > ConfigLimits.MaxDepth)
            throw new InitCfgException(ErrorIds.ConfigTooLarge, path.ToString(), $"the config nests deeper than {ConfigLimits.MaxDepth} levels.");
        while (value is PSObject pso)
        {
            if (pso.BaseObject is PSCustomObject)
            {
                Enter(pso, path, ancestors);
                var map = new OrderedDictionary();
                foreach (var p in pso.Properties) map[p.Name] = Unwrap(p.Value, path.Key(p.Name), depth + 1, ancestors);
                ancestors.Remove(pso);
                return map;
            }
            value = pso.BaseObject;
        }
        switch (value)
        {
            case null or string: return value;
            case IConfigSource: return value;
            case ConfigTuple tuple: return new ConfigTuple(tuple.Select((item, i) => Unwrap(item, path.Index(i), depth + 1, ancestors)));
            case IDictionary d:
            {
                Enter(d, path, ancestors);
                IDictionary copy = d is Hashtable ? new Hashtable(StringComparer.OrdinalIgnoreCase) : new OrderedDictionary();
                foreach (DictionaryEntry e in d)
                {
                    var key = Unwrap(e.Key, path, depth + 1, ancestors)!;
                    copy[key] = Unwrap(e.Value, path.Key(key.ToString() ?? ""), depth + 1, ancestors);
                }
                ancestors.Remove(d);
                return copy;
            }
            case IEnumerable list:
            {
                Enter(list, path, ancestors);
                var items = new List<object?>();
                int i = 0;
                foreach (var item in list) items.Add(Unwrap(item, path.Index(i++), depth + 1, ancestors));
                ancestors.Remove(list);
                return items.ToArray();
            }
            default: return value;
        }
    }

    private static void Enter(object container, ConfigPath path, HashSet<object> ancestors)
    {
        if (!ancestors.Add(container))
            throw new InitCfgException(ErrorIds.ConfigTooLarge, path.ToString(), "the config contains itself (a hashtable or list that holds itself has no end).");
    }
}
