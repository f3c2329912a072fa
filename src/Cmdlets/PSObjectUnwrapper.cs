#nullable enable
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace InitCfg.Cmdlets;

/// <summary>Strips PSObject wrappers from values (deeply) so the engine, which knows nothing of PowerShell, sees plain .NET objects.</summary>
internal static class PSObjectUnwrapper
{
    public static object? Unwrap(object? value)
    {
        while (value is PSObject pso)
        {
            if (pso.BaseObject is PSCustomObject)
            {
                var map = new OrderedDictionary();
                foreach (var p in pso.Properties) map[p.Name] = Unwrap(p.Value);
                return map;
            }
            value = pso.BaseObject;
        }
        switch (value)
        {
            case null or string: return value;
            case Hashtable h:
            {
                var copy = new Hashtable(StringComparer.OrdinalIgnoreCase);
                foreach (DictionaryEntry e in h) copy[Unwrap(e.Key)!] = Unwrap(e.Value);
                return copy;
            }
            case IDictionary d:
            {
                var copy = new OrderedDictionary();
                foreach (DictionaryEntry e in d) copy[Unwrap(e.Key)!] = Unwrap(e.Value);
                return copy;
            }
            case InitCfg.Core.Configs.IConfigSource: return value;
            case IEnumerable list when value is not IDictionary:
                return list.Cast<object?>().Select(Unwrap).ToArray();
            default: return value;
        }
    }
}
