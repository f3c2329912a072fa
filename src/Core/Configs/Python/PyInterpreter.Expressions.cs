#nullable enable
using System.Globalization;
using System.Text;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs.Python;

internal sealed partial class PyInterpreter
{
    private static readonly HashSet<string> BuiltinNames = new(StringComparer.Ordinal)
    {
        "dict", "list", "tuple", "set", "range", "len", "enumerate", "min", "max", "zip", "sum", "sorted", "reversed",
        "str", "int", "float", "bool", "abs", "round", "any", "all", "print", "isinstance", "read_base",
    };

    /// <summary>Evaluates an expression.</summary>
    public object? Eval(PyNode node)
    {
        _budget.Step(_source, node);
        // Deep expressions recurse; on a small thread stack this ends in a typed error, not a crashed process.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        // Each case is its own method, so this frame (one per level of a deep expression) stays small.
        return node switch
        {
            PyNode.Const c => c.Value,
            PyNode.Name n => Lookup(n),
            PyNode.BinOp b => Binary(b, b.Op, Eval(b.Left), Eval(b.Right)),
            PyNode.Attribute a => GetAttr(a, Eval(a.Target), a.Attr),
            PyNode.Call c => CallNode(c),
            PyNode.Subscript s => EvalSubscript(s),
            PyNode.ListExpr l => EvalList(l),
            PyNode.DictExpr d => EvalDict(d),
            PyNode.FString f => FormatString(f),
            PyNode.SetExpr s => EvalSet(s),
            PyNode.UnaryOp u => Unary(u, Eval(u.Operand)),
            PyNode.BoolOp b => EvalBool(b),
            PyNode.Compare c => EvalCompare(c),
            PyNode.IfExp i => PyOps.Truthy(Eval(i.Test)) ? Eval(i.Body) : Eval(i.OrElse),
            PyNode.Comprehension c => Comprehension(c),
            PyNode.Lambda l => new PyCallable("<lambda>", Inert: true) { Where = Where(l) },
            PyNode.Starred s => throw Fail(s, "a starred expression is not allowed here."),
            PyNode.Slice s => throw Fail(s, "a slice is not allowed here."),
            _ => throw Unsupported(node, $"a {node.GetType().Name} expression"),
        };
    }

    private object? EvalSubscript(PyNode.Subscript s)
    {
        var target = Eval(s.Target);
        return s.Index is PyNode.Slice slice ? GetSlice(slice, target) : GetItem(s, target, Eval(s.Index));
    }

    private PyList EvalList(PyNode.ListExpr l)
    {
        var items = new List<object?>();
        foreach (var item in l.Items)
        {
            if (item is PyNode.Starred s) items.AddRange(Iterate(Eval(s.Value), s));
            else items.Add(Eval(item));
        }
        _budget.Allocate(items.Count, Where(l));
        return new PyList(items, l.Tuple);
    }

    private PyList EvalSet(PyNode.SetExpr s)
    {
        var set = NewSet();
        foreach (var item in s.Items)
        {
            if (item is PyNode.Starred st) foreach (var x in Iterate(Eval(st.Value), st)) AddToSet(set, x);
            else AddToSet(set, Eval(item));
        }
        return set;
    }

    private PyDict EvalDict(PyNode.DictExpr d)
    {
        var dict = new PyDict();
        foreach (var (key, valueNode) in d.Entries)
        {
            if (key is null) MergeMapping(valueNode, dict, Eval(valueNode));
            else
            {
                var k = Eval(key);
                SetItem(key, dict, k, Eval(valueNode));
            }
        }
        _budget.Allocate(dict.Count, Where(d));
        return dict;
    }

    private object? EvalBool(PyNode.BoolOp b)
    {
        var left = Eval(b.Left);
        bool truth = PyOps.Truthy(left);
        return b.Op == "and" ? (truth ? Eval(b.Right) : left) : (truth ? left : Eval(b.Right));
    }

    private bool EvalCompare(PyNode.Compare c)
    {
        var left = Eval(c.First);
        foreach (var (op, rightNode) in c.Rest)
        {
            var right = Eval(rightNode);
            if (!CompareOp(c, op, left, right)) return false;
            left = right;
        }
        return true;
    }

    private object? Lookup(PyNode.Name n)
    {
        for (int i = _locals.Count - 1; i >= 0; i--)
            if (_locals[i].TryGetValue(n.Id, out var local)) return local;
        if (Globals.TryGet(n.Id, out var value)) return value;
        if (BuiltinNames.Contains(n.Id)) return new PyCallable(n.Id);
        throw Fail(n, $"name '{n.Id}' is not defined.");
    }

    private static PyList NewSet() => new(new List<object?>()) { Set = true };

    private void AddToSet(PyList set, object? item)
    {
        if (!set.Items.Any(x => PyOps.Equal(x, item, 0))) set.Items.Add(item);
    }

    private void MergeMapping(PyNode at, PyDict into, object? mapping)
    {
        if (mapping is not PyDict source) throw Fail(at, $"'{PyOps.TypeName(mapping)}' object is not a mapping.");
        foreach (var (k, v) in source.Items) SetItem(at, into, k, v);
    }

    private object? Comprehension(PyNode.Comprehension c)
    {
        var results = new List<object?>();
        var dict = c.Kind == 'd' ? new PyDict() : null;
        var set = c.Kind == 's' ? NewSet() : null;
        _locals.Add(new Dictionary<string, object?>(StringComparer.Ordinal));
        try
        {
            void Loop(int level)
            {
                if (level == c.Generators.Count)
                {
                    if (dict is not null) SetItem(c, dict, Eval(c.Element), Eval(c.Value!));
                    else if (set is not null) AddToSet(set, Eval(c.Element));
                    else results.Add(Eval(c.Element));
                    _budget.Allocate(results.Count + (dict?.Count ?? 0) + (set?.Count ?? 0), Where(c));
                    return;
                }
                var g = c.Generators[level];
                foreach (var item in Iterate(Eval(g.Iter), g.Iter))
                {
                    AssignTo(g.Target, item);
                    if (g.Conditions.All(cond => PyOps.Truthy(Eval(cond)))) Loop(level + 1);
                }
            }
            Loop(0);
        }
        finally { _locals.RemoveAt(_locals.Count - 1); }
        return dict ?? set ?? (object)new PyList(results);
    }

    /// <summary>The items of an iterable value (a snapshot, so the loop body may change the original).</summary>
    public IEnumerable<object?> Iterate(object? value, PyNode at) => value switch
    {
        PyList l => l.Items.ToArray(),
        string s => s.Select(ch => (object?)ch.ToString()).ToArray(),
        PyDict d => d.Keys.ToArray(),
        _ => throw Fail(at, $"'{PyOps.TypeName(value)}' object is not iterable."),
    };

    #region Attributes and items

    private static readonly HashSet<string> DictMethods = new() { "update", "pop", "copy", "get", "keys", "values", "items", "setdefault", "clear" };
    private static readonly HashSet<string> ListMethods = new() { "append", "extend", "insert", "pop", "copy", "index", "count", "remove", "reverse", "sort", "clear" };
    private static readonly HashSet<string> StrMethods = new()
    {
        "format", "join", "replace", "split", "rsplit", "strip", "lstrip", "rstrip", "lower", "upper", "startswith", "endswith", "title",
        "capitalize", "find", "count", "isdigit",
    };

    private object? GetAttr(PyNode at, object? target, string name)
    {
        switch (target)
        {
            case PyDict d:
                if (DictMethods.Contains(name) || name == "merge" && d.IsConfigDict) return new PyCallable("dict." + name, d);
                if (d.TryGet(name, out var v)) return v;
                throw Fail(at, $"'{(d.IsConfigDict ? "ConfigDict" : "dict")}' object has no attribute '{name}'.");
            case PyList l when ListMethods.Contains(name) && !(l.Tuple && name is not ("index" or "count")):
                return new PyCallable("list." + name, l);
            case string s when StrMethods.Contains(name): return new PyCallable("str." + name, s);
            case PyLazy lazy: return lazy.Attribute(name);
            case PyCallable { Module: true } m:
            {
                var full = m.Name + "." + name;
                if (!PyModules.IsKnown(full)) throw Unsupported(at, $"'{full}' (only a few standard-library names are known)");
                return full switch
                {
                    "math.pi" => Math.PI,
                    "math.e" => Math.E,
                    "math.inf" => double.PositiveInfinity,
                    _ => new PyCallable(full, Module: PyModules.IsModule(full)),
                };
            }
            default: throw Fail(at, $"'{PyOps.TypeName(target)}' object has no attribute '{name}'.");
        }
    }

    private object? GetItem(PyNode at, object? target, object? index)
    {
        switch (target)
        {
            case PyDict d:
                if (d.TryGet(index, out var v)) return v;
                throw Fail(at, $"KeyError: {PyOps.Repr(index)}.");
            case PyList l: return l.Items[Index(at, l.Count, index)];
            case string s: return s[Index(at, s.Length, index)].ToString();
            default: throw Fail(at, $"'{PyOps.TypeName(target)}' object is not subscriptable.");
        }
    }

    private int Index(PyNode at, int count, object? index)
    {
        if (index is not (long or bool)) throw Fail(at, $"indices must be integers, not {PyOps.TypeName(index)}.");
        long i = PyOps.Long(index);
        if (i < 0) i += count;
        if (i < 0 || i >= count) throw Fail(at, $"index {PyOps.Long(index)} is out of range (length {count}).");
        return (int)i;
    }

    private long? SliceNumber(PyNode? node)
    {
        if (node is null) return null;
        var v = Eval(node);
        if (v is null) return null;
        if (v is not (long or bool)) throw Fail(node, $"slice indices must be integers or None, not {PyOps.TypeName(v)}.");
        return PyOps.Long(v);
    }

    private (int Start, int Stop) SliceBounds(PyNode.Slice s, int count)
    {
        long Clamp(long? v, long def) => v is null ? def : Math.Clamp(v.Value < 0 ? v.Value + count : v.Value, 0, count);
        var start = Clamp(SliceNumber(s.Lower), 0);
        var stop = Clamp(SliceNumber(s.Upper), count);
        return ((int)start, (int)Math.Max(start, stop));
    }

    private IEnumerable<int> SliceIndices(PyNode.Slice s, int count)
    {
        long step = SliceNumber(s.Step) ?? 1;
        if (step == 0) throw Fail(s, "slice step cannot be zero.");
        if (step > 0)
        {
            var (start, stop) = SliceBounds(s, count);
            for (long i = start; i < stop; i += step) yield return (int)i;
            yield break;
        }
        long? lo = SliceNumber(s.Lower), hi = SliceNumber(s.Upper);
        long first = lo is null ? count - 1 : Math.Clamp(lo.Value < 0 ? lo.Value + count : lo.Value, -1, count - 1);
        long last = hi is null ? -1 : Math.Clamp(hi.Value < 0 ? hi.Value + count : hi.Value, -1, count - 1);
        for (long i = first; i > last; i += step) yield return (int)i;
    }

    private object? GetSlice(PyNode.Slice s, object? target)
    {
        switch (target)
        {
            case PyList l: return new PyList(SliceIndices(s, l.Count).Select(i => l.Items[i]).ToList(), l.Tuple);
            case string str:
            {
                var sb = new StringBuilder();
                foreach (var i in SliceIndices(s, str.Length)) sb.Append(str[i]);
                return sb.ToString();
            }
            default: throw Fail(s, $"'{PyOps.TypeName(target)}' object is not subscriptable.");
        }
    }

    #endregion

    #region Operators

    private bool CompareOp(PyNode at, string op, object? left, object? right)
    {
        switch (op)
        {
            case "==": return PyOps.Equal(left, right, 0);
            case "!=": return !PyOps.Equal(left, right, 0);
            case "is": return Identical(left, right);
            case "is not": return !Identical(left, right);
            case "in": return Contains(at, right, left);
            case "not in": return !Contains(at, right, left);
        }
        var c = PyOps.Compare(left, right, 0)
            ?? throw Fail(at, $"'{op}' is not supported between instances of '{PyOps.TypeName(left)}' and '{PyOps.TypeName(right)}'.");
        return op switch { "<" => c < 0, ">" => c > 0, "<=" => c <= 0, _ => c >= 0 };
    }

    private static bool Identical(object? a, object? b) =>
        a is null || b is null ? a is null && b is null
        : a is bool x && b is bool y ? x == y
        : a is long or string ? a.GetType() == b.GetType() && a.Equals(b)
        : ReferenceEquals(a, b) || a is PyLazy && a.Equals(b);

    private bool Contains(PyNode at, object? container, object? item) => container switch
    {
        string s when item is string t => s.Contains(t, StringComparison.Ordinal),
        PyList l => l.Items.Any(x => PyOps.Equal(x, item, 0)),
        PyDict d => d.Contains(item),
        _ => throw Fail(at, $"argument of type '{PyOps.TypeName(container)}' is not iterable."),
    };

    private object? Unary(PyNode.UnaryOp u, object? v)
    {
        if (u.Op == "not") return !PyOps.Truthy(v);
        return (u.Op, v) switch
        {
            ("-", long l) => l == long.MinValue ? throw TooBig(u) : -l,
            ("-", double d) => -d,
            ("-", bool b) => b ? -1L : 0L,
            ("+", long or double) => v,
            ("+", bool b) => b ? 1L : 0L,
            ("~", long or bool) => ~PyOps.Long(v),
            _ => throw Fail(u, $"bad operand type for unary {u.Op}: '{PyOps.TypeName(v)}'."),
        };
    }

    private InitCfgException TooBig(PyNode at) =>
        new(ErrorIds.ConfigTooLarge, Where(at), $"{Where(at)}: the integer result does not fit in 64 bits.");

    private object? Binary(PyNode at, string op, object? a, object? b)
    {
        if (PyOps.IsNumber(a) && PyOps.IsNumber(b)) return Arithmetic(at, op, a, b);
        switch (op)
        {
            case "+":
                if (a is string s && b is string t)
                {
                    _budget.Allocate((long)s.Length + t.Length, Where(at), characters: true);
                    return s + t;
                }
                if (a is PyList x && b is PyList y && x.Tuple == y.Tuple && !x.Set && !y.Set)
                {
                    _budget.Allocate((long)x.Count + y.Count, Where(at));
                    return new PyList(x.Items.Concat(y.Items).ToList(), x.Tuple);
                }
                break;
            case "*":
                if (a is long or bool && b is string or PyList) (a, b) = (b, a);
                if (b is long or bool)
                {
                    long n = Math.Max(0, PyOps.Long(b));
                    // An empty sequence stays empty however often it is repeated (and 10**18 repeats must not loop).
                    if (a is string { Length: 0 }) return "";
                    if (a is PyList { Count: 0, Set: false } none) return new PyList(new List<object?>(), none.Tuple);
                    if (a is string str)
                    {
                        _budget.Allocate(str.Length * Math.Min(n, int.MaxValue), Where(at), characters: true);
                        return new StringBuilder().Insert(0, str, (int)n).ToString();
                    }
                    if (a is PyList { Set: false } list)
                    {
                        _budget.Allocate(list.Count * Math.Min(n, int.MaxValue), Where(at));
                        var items = new List<object?>((int)(list.Count * n));
                        for (long i = 0; i < n; i++) items.AddRange(list.Items);
                        return new PyList(items, list.Tuple);
                    }
                }
                break;
            case "%" when a is string format: return PercentFormat(at, format, b);
            case "|" when a is PyDict left && b is PyDict right:
            {
                var merged = new PyDict();
                foreach (var (k, v) in left.Items) merged.Set(k, v);
                foreach (var (k, v) in right.Items) merged.Set(k, v);
                return merged;
            }
            case "-" or "&" or "|" or "^" when a is PyList { Set: true } sa && b is PyList { Set: true } sb:
            {
                var result = NewSet();
                IEnumerable<object?> items = op switch
                {
                    "-" => sa.Items.Where(i => !Contains(at, sb, i)),
                    "&" => sa.Items.Where(i => Contains(at, sb, i)),
                    "|" => sa.Items.Concat(sb.Items),
                    _ => sa.Items.Where(i => !Contains(at, sb, i)).Concat(sb.Items.Where(i => !Contains(at, sa, i))),
                };
                foreach (var i in items) AddToSet(result, i);
                return result;
            }
        }
        throw Fail(at, $"unsupported operand type(s) for {op}: '{PyOps.TypeName(a)}' and '{PyOps.TypeName(b)}'.");
    }

    private object Arithmetic(PyNode at, string op, object? a, object? b)
    {
        if (a is double || b is double || op == "/")
        {
            double x = PyOps.ToDouble(a), y = PyOps.ToDouble(b);
            switch (op)
            {
                case "+": return x + y;
                case "-": return x - y;
                case "*": return x * y;
                case "/": return y == 0 ? throw Fail(at, "ZeroDivisionError: division by zero.") : x / y;
                case "//": return y == 0 ? throw Fail(at, "ZeroDivisionError: float floor division by zero.") : Math.Floor(x / y);
                case "%":
                {
                    if (y == 0) throw Fail(at, "ZeroDivisionError: float modulo.");
                    var m = x % y;
                    return m != 0 && (m < 0) != (y < 0) ? m + y : m;
                }
                case "**": return Math.Pow(x, y);
            }
            throw Fail(at, $"unsupported operand type(s) for {op}: '{PyOps.TypeName(a)}' and '{PyOps.TypeName(b)}'.");
        }
        long p = PyOps.Long(a), q = PyOps.Long(b);
        try
        {
            checked
            {
                switch (op)
                {
                    case "+": return p + q;
                    case "-": return p - q;
                    case "*": return p * q;
                    case "//":
                    {
                        if (q == 0) throw Fail(at, "ZeroDivisionError: integer division by zero.");
                        long d = p / q;
                        return (p % q != 0) && ((p < 0) != (q < 0)) ? d - 1 : d;
                    }
                    case "%":
                    {
                        if (q == 0) throw Fail(at, "ZeroDivisionError: integer modulo by zero.");
                        long m = p % q;
                        return m != 0 && (m < 0) != (q < 0) ? m + q : m;
                    }
                    case "**":
                    {
                        if (q < 0) return Math.Pow(p, q);
                        var r = System.Numerics.BigInteger.Pow(p, (int)Math.Min(q, 64 * 2));
                        if (q > 128 && Math.Abs(p) > 1 || r > long.MaxValue || r < long.MinValue) throw TooBig(at);
                        return (long)r;
                    }
                    case "&": return p & q;
                    case "|": return p | q;
                    case "^": return p ^ q;
                    case "<<": return q < 0 || q > 62 || (p << (int)q) >> (int)q != p ? throw TooBig(at) : p << (int)q;
                    case ">>": return q < 0 ? throw Fail(at, "negative shift count.") : p >> (int)Math.Min(q, 63);
                }
            }
        }
        catch (OverflowException) { throw TooBig(at); }
        throw Fail(at, $"unsupported operand type(s) for {op}: '{PyOps.TypeName(a)}' and '{PyOps.TypeName(b)}'.");
    }

    #endregion

    #region Strings

    private string FormatString(PyNode.FString f)
    {
        var sb = new StringBuilder();
        foreach (var part in f.Parts)
        {
            if (part is string s) sb.Append(s);
            else if (part is PyNode.FPart p)
            {
                var value = Eval(p.Expr);
                if (p.Conversion == 'r' || p.Conversion == 'a') value = PyOps.Repr(value);
                else if (p.Conversion == 's') value = PyOps.Str(value);
                var spec = p.Spec is null ? "" : FormatString((PyNode.FString)p.Spec);
                sb.Append(PyFormat.Format(value, spec) ?? throw Fail(f, $"invalid format specifier '{spec}' for a {PyOps.TypeName(value)}."));
            }
            if (sb.Length > ConfigLimits.MaxScalarLength) _budget.Allocate(sb.Length, Where(f), characters: true);
        }
        return sb.ToString();
    }

    private string PercentFormat(PyNode at, string format, object? args)
    {
        var values = args is PyList { Tuple: true } t ? t.Items : new List<object?> { args };
        int next = 0;
        var sb = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%') { sb.Append(format[i]); continue; }
            int j = i + 1;
            while (j < format.Length && "-+ #0123456789.".IndexOf(format[j]) >= 0) j++;
            if (j >= format.Length) throw Fail(at, "incomplete format.");
            char conv = format[j];
            var flags = format[(i + 1)..j];
            i = j;
            if (conv == '%') { sb.Append('%'); continue; }
            if (next >= values.Count) throw Fail(at, "not enough arguments for format string.");
            var v = values[next++];
            string? text = conv switch
            {
                's' => PyFormat.Format(PyOps.Str(v), flags.Replace("-", "<")),
                'r' => PyFormat.Format(PyOps.Repr(v), flags.Replace("-", "<")),
                'd' or 'i' or 'u' => PyFormat.Format(v is double dv ? (long)Math.Truncate(dv) : v, flags + "d"),
                'f' or 'F' or 'e' or 'E' or 'g' or 'G' => PyFormat.Format(v, (flags.Contains('.') ? flags : flags + ".6") + conv),
                _ => null,
            };
            sb.Append(text ?? throw Fail(at, $"unsupported format character '{conv}'."));
        }
        if (next < values.Count && args is PyList { Tuple: true }) throw Fail(at, "not all arguments converted during string formatting.");
        return sb.ToString();
    }

    #endregion
}
