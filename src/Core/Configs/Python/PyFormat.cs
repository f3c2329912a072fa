#nullable enable
using System.Globalization;
using System.Text.RegularExpressions;

namespace InitCfg.Core.Configs.Python;

/// <summary>Python's format-spec mini-language (<c>f'{x:05.2f}'</c>) for the types configs format.</summary>
internal static class PyFormat
{
    private static readonly Regex Spec = new(@"^(?:(?<fill>.)?(?<align>[<>=^]))?(?<sign>[-+ ])?(?<alt>#)?(?<zero>0)?(?<width>\d+)?(?<group>[,_])?(?:\.(?<prec>\d+))?(?<type>[bcdeEfFgGnosxX%])?$",
        RegexOptions.CultureInvariant | RegexOptions.Singleline);

    /// <summary>The formatted text, or null when the spec does not apply to the value.</summary>
    public static string? Format(object? value, string spec)
    {
        if (spec.Length == 0) return PyOps.Str(value);
        var m = Spec.Match(spec);
        if (!m.Success) return null;
        var inv = CultureInfo.InvariantCulture;
        string type = m.Groups["type"].Value;
        int? prec = m.Groups["prec"].Success ? int.Parse(m.Groups["prec"].Value, inv) : null;
        string body;
        bool numeric = value is long or double or bool && type != "s";
        switch (value)
        {
            case string s when type is "" or "s": body = prec is { } cut && cut < s.Length ? s[..cut] : s; break;
            case long or bool when type is "" or "d" or "n":
                body = PyOps.Long(value).ToString(m.Groups["group"].Success ? "#,0" : "0", inv);
                break;
            case long or bool when type is "x" or "X" or "o" or "b":
            {
                long l = PyOps.Long(value);
                body = type switch { "x" => l.ToString("x", inv), "X" => l.ToString("X", inv), "o" => Convert.ToString(l, 8), _ => Convert.ToString(l, 2) };
                break;
            }
            case long or double or bool when type is "f" or "F" or "e" or "E" or "g" or "G" or "%" || value is double && type == "":
            {
                double d = PyOps.ToDouble(value);
                int p = prec ?? 6;
                body = type switch
                {
                    "f" or "F" => d.ToString((m.Groups["group"].Success ? "#,0." : "0.") + new string('0', p), inv).TrimEnd('.'),
                    "e" or "E" => PythonExp(d, p, type == "E"),
                    "%" => (d * 100).ToString("0." + new string('0', p), inv).TrimEnd('.') + "%",
                    "" when prec is null => PyRepr.Float(d),
                    _ => General(d, Math.Max(1, p), type == "G"),
                };
                if (p == 0 && type is "f" or "F") body = Math.Round(d, MidpointRounding.ToEven).ToString("0", inv);
                break;
            }
            default:
                if (type is "" or "s" && value is not (long or double or bool)) { body = PyOps.Str(value); numeric = false; break; }
                return null;
        }
        if (numeric)
        {
            var sign = m.Groups["sign"].Value;
            if (!body.StartsWith('-') && sign is "+" or " ") body = sign + body;
        }
        int width = m.Groups["width"].Success ? int.Parse(m.Groups["width"].Value, inv) : 0;
        if (body.Length >= width) return body;
        char fill = m.Groups["fill"].Success ? m.Groups["fill"].Value[0] : m.Groups["zero"].Success && !m.Groups["align"].Success ? '0' : ' ';
        string align = m.Groups["align"].Success ? m.Groups["align"].Value : m.Groups["zero"].Success ? "=" : numeric ? ">" : "<";
        int pad = width - body.Length;
        return align switch
        {
            "<" => body + new string(fill, pad),
            ">" => new string(fill, pad) + body,
            "^" => new string(fill, pad / 2) + body + new string(fill, pad - pad / 2),
            _ => body.Length > 0 && body[0] is '-' or '+' or ' ' ? body[0] + new string(fill, pad) + body[1..] : new string(fill, pad) + body,
        };
    }

    private static string PythonExp(double d, int precision, bool upper)
    {
        var s = d.ToString((upper ? "0." + new string('0', precision) + "E+00" : "0." + new string('0', precision) + "e+00"), CultureInfo.InvariantCulture);
        return precision == 0 ? s.Replace(".", "") : s;
    }

    private static string General(double d, int precision, bool upper)
    {
        if (d == 0) return "0";
        int exp = (int)Math.Floor(Math.Log10(Math.Abs(d)));
        if (exp < -4 || exp >= precision)
        {
            var s = PythonExp(d, precision - 1, upper);
            int e = s.IndexOfAny(new[] { 'e', 'E' });
            var mant = s[..e];
            if (mant.Contains('.')) mant = mant.TrimEnd('0').TrimEnd('.');
            return mant + s[e..];
        }
        var f = d.ToString("0." + new string('0', Math.Max(0, precision - 1 - exp)), CultureInfo.InvariantCulture);
        return f.Contains('.') ? f.TrimEnd('0').TrimEnd('.') : f;
    }
}
