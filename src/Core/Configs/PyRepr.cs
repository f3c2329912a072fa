#nullable enable
using System.Globalization;
using System.Text;

namespace InitCfg.Core.Configs;

/// <summary>Prints values as Python's <c>repr</c>/<c>str</c> does, so init-info texts diff cleanly against MMEngine logs.</summary>
public static class PyRepr
{
    /// <summary>Python's <c>str()</c> of a value inside an f-string: numbers as Python prints them, strings bare.</summary>
    public static string Str(object? value) => value switch
    {
        string s => s,
        _ => Repr(value),
    };

    /// <summary>Python's <c>repr()</c>.</summary>
    public static string Repr(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        string s => Quote(s),
        long or int or short or byte or sbyte or uint or ushort or ulong => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => Float(d),
        float f => Float(f),
        decimal m => Float((double)m),
        ConfigMap map => Dict(map),
        ConfigTuple { Count: 1 } one => "(" + Repr(one[0]) + ",)",
        ConfigTuple tuple => "(" + string.Join(", ", tuple.Select(Repr)) + ")",
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Repr)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "None",
    };

    // Python picks double quotes when the text has a single quote and no double quote.
    private static string Quote(string s)
    {
        var body = s.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\t", "\\t").Replace("\r", "\\r");
        if (s.Contains('\'') && !s.Contains('"')) return "\"" + body + "\"";
        return "'" + body.Replace("'", "\\'") + "'";
    }

    /// <summary>
    /// <see cref="Repr"/> cut to about <paramref name="max"/> characters, for messages: a value can be huge (a YAML
    /// alias repeated a thousand times), and the text is built only as far as it is shown.
    /// </summary>
    public static string Short(object? value, int max = 300)
    {
        var sb = new StringBuilder();
        return Bounded(value, sb, max) ? sb.ToString() : sb.ToString(0, Math.Min(sb.Length, max)) + "...";
    }

    private static bool Bounded(object? value, StringBuilder sb, int max)
    {
        switch (value)
        {
            case ConfigMap map:
                sb.Append("dict(");
                bool first = true;
                foreach (var (k, v) in map)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(k.Length > max ? k[..max] : k).Append('=');
                    if (sb.Length > max || !Bounded(v, sb, max)) return false;
                }
                sb.Append(')');
                return sb.Length <= max;
            case string s:
                sb.Append(Quote(s.Length > max ? s[..max] : s));
                return s.Length <= max && sb.Length <= max;
            case System.Collections.IEnumerable list:
                sb.Append('[');
                bool firstItem = true;
                foreach (var item in list)
                {
                    if (!firstItem) sb.Append(", ");
                    firstItem = false;
                    if (sb.Length > max || !Bounded(item, sb, max)) return false;
                }
                sb.Append(']');
                return sb.Length <= max;
            default:
                sb.Append(Repr(value));
                return sb.Length <= max;
        }
    }

    /// <summary>MMEngine's printed config form: <c>dict(type='Kaiming', layer='Conv2d')</c>.</summary>
    public static string Dict(ConfigMap map) =>
        "dict(" + string.Join(", ", map.Select(e => e.Key + "=" + Repr(e.Value))) + ")";

    /// <summary>Python's float repr: shortest round-trip digits, fixed notation for 1e-4 &lt;= |x| &lt; 1e16.</summary>
    public static string Float(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";

        // "R" gives the shortest round-trip digits, as Python's repr does; only the layout differs.
        var shortest = d.ToString("R", CultureInfo.InvariantCulture);
        (string digits, int exp) = Decompose(shortest);
        bool negative = d < 0;
        var sb = new StringBuilder();
        if (negative) sb.Append('-');
        if (exp >= -4 && exp < 16)
        {
            if (exp >= 0)
            {
                var intPart = digits.Length > exp + 1 ? digits[..(exp + 1)] : digits.PadRight(exp + 1, '0');
                var frac = digits.Length > exp + 1 ? digits[(exp + 1)..] : "0";
                sb.Append(intPart).Append('.').Append(frac);
            }
            else
            {
                sb.Append("0.").Append(new string('0', -exp - 1)).Append(digits);
            }
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits[1..]);
            sb.Append('e').Append(exp < 0 ? '-' : '+').Append(Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static (string Digits, int Exponent) Decompose(string s)
    {
        s = s.TrimStart('-');
        int exp = 0;
        int e = s.IndexOfAny(new[] { 'E', 'e' });
        if (e >= 0)
        {
            exp = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
            s = s[..e];
        }
        int dot = s.IndexOf('.');
        string intPart = dot >= 0 ? s[..dot] : s;
        string fracPart = dot >= 0 ? s[(dot + 1)..] : "";
        string all = intPart + fracPart;
        int pointPos = intPart.Length;
        int lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0') lead++;
        string digits = all[lead..].TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        int decimalExp = pointPos - lead - 1 + exp;
        return (digits, decimalExp);
    }

    /// <summary>A value for error messages in Python's terms: its type and a short repr, e.g. <c>a str ('x')</c>.</summary>
    public static string TypeAndValue(object? value) => value switch
    {
        null => "None",
        string s => $"a str ({Short(s)})",
        bool b => $"a bool ({(b ? "True" : "False")})",
        long l => $"an int ({l})",
        double d => $"a float ({Float(d)})",
        ConfigMap m => $"a dict ({Short(m)})",
        IReadOnlyList<object?> l => $"a list ({Short(l)})",
        _ => $"a {value.GetType().Name}",
    };
}
