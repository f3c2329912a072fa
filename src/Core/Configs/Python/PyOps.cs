#nullable enable
using System.Globalization;
using System.Text;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs.Python;

/// <summary>Python's value semantics the interpreter needs: equality, ordering, truth, <c>str</c> and <c>repr</c>.</summary>
internal static class PyOps
{
    public static string TypeName(object? v) => v switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        PyList { Set: true } => "set",
        PyList { Tuple: true } => "tuple",
        PyList => "list",
        PyDict => "dict",
        PyLazy => "imported object",
        PyCallable { Module: true } => "module",
        PyCallable => "function",
        _ => v.GetType().Name,
    };

    public static bool IsNumber(object? v) => v is long or double or bool;

    public static double ToDouble(object? v) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new InvalidCastException(),
    };

    public static bool Truthy(object? v) => v switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        PyList l => l.Count > 0,
        PyDict d => d.Count > 0,
        _ => true,
    };

    public static bool Equal(object? a, object? b, int depth)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null) return false;
        Guard(depth);
        if (IsNumber(a) && IsNumber(b))
        {
            if (a is double || b is double) return ToDouble(a) == ToDouble(b);
            return Long(a) == Long(b);
        }
        switch (a)
        {
            case string s: return b is string t && s == t;
            case PyList x when b is PyList other:
                if (x.Tuple != other.Tuple || x.Count != other.Count) return false;
                for (int i = 0; i < x.Count; i++) if (!Equal(x.Items[i], other.Items[i], depth + 1)) return false;
                return true;
            case PyDict d when b is PyDict other:
                if (d.Count != other.Count) return false;
                foreach (var (k, v) in d.Items)
                    if (!other.TryGet(k, out var w) || !Equal(v, w, depth + 1)) return false;
                return true;
            case PyLazy lazy: return b is PyLazy otherLazy && lazy == otherLazy;
            default: return a.Equals(b);
        }
    }

    public static long Long(object? v) => v switch { long l => l, bool b => b ? 1 : 0, _ => throw new InvalidCastException() };

    /// <summary>Python ordering (&lt;): numbers, strings and sequences; null when the types cannot be ordered.</summary>
    public static int? Compare(object? a, object? b, int depth)
    {
        Guard(depth);
        if (IsNumber(a) && IsNumber(b))
            return a is double || b is double ? ToDouble(a).CompareTo(ToDouble(b)) : Long(a).CompareTo(Long(b));
        if (a is string s && b is string t) return Math.Sign(string.CompareOrdinal(s, t));
        if (a is PyList x && b is PyList y && x.Tuple == y.Tuple)
        {
            for (int i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                if (Equal(x.Items[i], y.Items[i], depth + 1)) continue;
                return Compare(x.Items[i], y.Items[i], depth + 1);
            }
            return x.Count.CompareTo(y.Count);
        }
        return null;
    }

    public static string Str(object? v) => v is string s ? s : Repr(v);

    public static string Repr(object? v)
    {
        var sb = new StringBuilder();
        Repr(v, sb, 0);
        return sb.ToString();
    }

    private static void Repr(object? v, StringBuilder sb, int depth)
    {
        Guard(depth);
        if (sb.Length > ConfigLimits.MaxScalarLength)
            throw new InitCfgException(ErrorIds.ConfigTooLarge, null, $"a string would be longer than the {ConfigLimits.MaxScalarLength:N0} characters allowed.");
        switch (v)
        {
            case null or bool or long or double or string: sb.Append(PyRepr.Repr(v)); break;
            case PyList l:
                sb.Append(l.Set ? (l.Count == 0 ? "set(" : "{") : l.Tuple ? "(" : "[");
                for (int i = 0; i < l.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Repr(l.Items[i], sb, depth + 1);
                }
                if (l.Tuple && l.Count == 1) sb.Append(',');
                sb.Append(l.Set ? (l.Count == 0 ? ")" : "}") : l.Tuple ? ")" : "]");
                break;
            case PyDict d:
                sb.Append('{');
                bool first = true;
                foreach (var (k, value) in d.Items)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    Repr(k, sb, depth + 1);
                    sb.Append(": ");
                    Repr(value, sb, depth + 1);
                }
                sb.Append('}');
                break;
            case PyLazy lazy: sb.Append("<class '").Append(lazy.FullName).Append("'>"); break;
            default: sb.Append(Convert.ToString(v, CultureInfo.InvariantCulture)); break;
        }
    }

    public static void Guard(int depth)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (depth > ConfigLimits.MaxDepth)
            throw new InitCfgException(ErrorIds.ConfigTooLarge, null, $"a value nests deeper than {ConfigLimits.MaxDepth} levels (or contains itself).");
    }
}
