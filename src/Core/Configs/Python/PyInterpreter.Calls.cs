#nullable enable
using System.Globalization;
using System.Text;

namespace InitCfg.Core.Configs.Python;

internal sealed partial class PyInterpreter
{
    private object? CallNode(PyNode.Call c)
    {
        var func = Eval(c.Func);
        var args = new List<object?>();
        var kwargs = new PyDict();
        foreach (var arg in c.Args)
        {
            if (arg.Stars == 1) args.AddRange(Iterate(Eval(arg.Value), arg.Value));
            else if (arg.Stars == 2)
            {
                if (Eval(arg.Value) is not PyDict d) throw Fail(arg.Value, "argument after ** must be a mapping.");
                foreach (var (k, v) in d.Items)
                {
                    if (k is not string) throw Fail(arg.Value, "keywords must be strings.");
                    if (kwargs.Contains(k)) throw Fail(arg.Value, $"got multiple values for keyword argument '{k}'.");
                    kwargs.Set(k, v);
                }
            }
            else if (arg.Keyword is not null)
            {
                if (kwargs.Contains(arg.Keyword)) throw Fail(arg.Value, $"keyword argument repeated: {arg.Keyword}.");
                kwargs.Set(arg.Keyword, Eval(arg.Value));
            }
            else args.Add(Eval(arg.Value));
        }
        return Call(c, func, args, kwargs);
    }

    private object? Call(PyNode at, object? func, List<object?> args, PyDict kwargs)
    {
        switch (func)
        {
            case PyCallable { Inert: true } f:
                throw Unsupported(at, $"calling '{f.Name}' (defined at {f.Where}): functions are not run");
            case PyCallable { Self: not null } m: return CallMethod(at, m.Name, m.Self, args, kwargs);
            case PyCallable { Module: false } f: return CallBuiltin(at, f.Name, args, kwargs);
            case PyLazy lazy: throw Unsupported(at, $"calling the imported '{lazy.FullName}'");
            default: throw Fail(at, $"'{PyOps.TypeName(func)}' object is not callable.");
        }
    }

    private void Arity(PyNode at, string name, List<object?> args, PyDict kwargs, int min, int max, params string[] keywords)
    {
        if (args.Count < min || args.Count > max)
            throw Fail(at, $"{name}() takes {(min == max ? min.ToString(CultureInfo.InvariantCulture) : $"{min} to {max}")} positional arguments but {args.Count} were given.");
        foreach (var k in kwargs.Keys)
            if (Array.IndexOf(keywords, (string)k!) < 0) throw Fail(at, $"{name}() got an unexpected keyword argument '{k}'.");
    }

    private static object? Kw(PyDict kwargs, string name, object? fallback) => kwargs.TryGet(name, out var v) ? v : fallback;

    private object? CallBuiltin(PyNode at, string name, List<object?> args, PyDict kwargs)
    {
        switch (name)
        {
            case "dict":
            {
                Arity(at, name, args, kwargs, 0, 1, kwargs.Keys.Cast<string>().ToArray());
                var d = new PyDict();
                if (args.Count == 1) UpdatePlain(at, d, args[0]);
                foreach (var (k, v) in kwargs.Items) d.Set(k, v);
                _budget.Allocate(d.Count, Where(at));
                return d;
            }
            case "list" or "tuple":
                Arity(at, name, args, kwargs, 0, 1);
                return new PyList(args.Count == 0 ? new List<object?>() : Iterate(args[0], at).ToList(), name == "tuple");
            case "set":
            {
                Arity(at, name, args, kwargs, 0, 1);
                var set = NewSet();
                if (args.Count == 1) foreach (var x in Iterate(args[0], at)) AddToSet(set, x);
                return set;
            }
            case "range":
            {
                Arity(at, name, args, kwargs, 1, 3);
                if (args.Any(a => a is not (long or bool))) throw Fail(at, "range() arguments must be integers.");
                long start = args.Count == 1 ? 0 : PyOps.Long(args[0]), stop = PyOps.Long(args.Count == 1 ? args[0] : args[1]), step = args.Count == 3 ? PyOps.Long(args[2]) : 1;
                if (step == 0) throw Fail(at, "range() arg 3 must not be zero.");
                long count = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0) : (start > stop ? (start - stop - step - 1) / -step : 0);
                _budget.Allocate(count, Where(at));
                var items = new List<object?>((int)count);
                for (long i = 0; i < count; i++) items.Add(start + i * step);
                return new PyList(items);
            }
            case "len":
                Arity(at, name, args, kwargs, 1, 1);
                return args[0] switch
                {
                    string s => (long)s.Length,
                    PyList l => (long)l.Count,
                    PyDict d => (long)d.Count,
                    var v => throw Fail(at, $"object of type '{PyOps.TypeName(v)}' has no len()."),
                };
            case "enumerate":
            {
                Arity(at, name, args, kwargs, 1, 2, "start");
                long start = PyOps.Long(args.Count == 2 ? args[1] : Kw(kwargs, "start", 0L));
                return new PyList(Iterate(args[0], at).Select((x, i) => (object?)new PyList(new List<object?> { start + i, x }, tuple: true)).ToList());
            }
            case "zip":
            {
                Arity(at, name, args, kwargs, 0, int.MaxValue);
                var lists = args.Select(a => Iterate(a, at).ToList()).ToList();
                int n = lists.Count == 0 ? 0 : lists.Min(l => l.Count);
                return new PyList(Enumerable.Range(0, n).Select(i => (object?)new PyList(lists.Select(l => l[i]).ToList(), tuple: true)).ToList());
            }
            case "min" or "max":
            {
                Arity(at, name, args, kwargs, 1, int.MaxValue, "default");
                var items = args.Count == 1 ? Iterate(args[0], at).ToList() : args;
                if (items.Count == 0)
                    return kwargs.TryGet("default", out var def) ? def : throw Fail(at, $"{name}() arg is an empty sequence.");
                var best = items[0];
                foreach (var x in items.Skip(1))
                {
                    var c = PyOps.Compare(x, best, 0) ?? throw Fail(at, $"'{name}' cannot compare '{PyOps.TypeName(x)}' and '{PyOps.TypeName(best)}'.");
                    if (name == "min" ? c < 0 : c > 0) best = x;
                }
                return best;
            }
            case "sum":
            {
                Arity(at, name, args, kwargs, 1, 2, "start");
                object? total = args.Count == 2 ? args[1] : Kw(kwargs, "start", 0L);
                foreach (var x in Iterate(args[0], at)) total = Binary(at, "+", total, x);
                return total;
            }
            case "sorted":
            {
                Arity(at, name, args, kwargs, 1, 1, "reverse");
                var items = Iterate(args[0], at).ToList();
                SortInPlace(at, items, PyOps.Truthy(Kw(kwargs, "reverse", false)));
                return new PyList(items);
            }
            case "reversed":
                Arity(at, name, args, kwargs, 1, 1);
                return new PyList(Iterate(args[0], at).Reverse().ToList());
            case "str":
                Arity(at, name, args, kwargs, 0, 1);
                return args.Count == 0 ? "" : PyOps.Str(args[0]);
            case "int":
            {
                Arity(at, name, args, kwargs, 0, 1);
                if (args.Count == 0) return 0L;
                return args[0] switch
                {
                    long or bool => PyOps.Long(args[0]),
                    double d when !double.IsNaN(d) && !double.IsInfinity(d) && Math.Abs(d) < 9.2e18 => (long)Math.Truncate(d),
                    string s when long.TryParse(s.Trim().Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
                    var v => throw Fail(at, $"invalid literal for int(): {PyOps.Repr(v)}."),
                };
            }
            case "float":
            {
                Arity(at, name, args, kwargs, 0, 1);
                if (args.Count == 0) return 0.0;
                return args[0] switch
                {
                    long or bool or double => PyOps.ToDouble(args[0]),
                    string s => s.Trim().ToLowerInvariant() switch
                    {
                        "inf" or "+inf" or "infinity" => double.PositiveInfinity,
                        "-inf" or "-infinity" => double.NegativeInfinity,
                        "nan" => double.NaN,
                        var t when double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
                        _ => throw Fail(at, $"could not convert string to float: {PyOps.Repr(s)}."),
                    },
                    var v => throw Fail(at, $"float() argument must be a string or a number, not '{PyOps.TypeName(v)}'."),
                };
            }
            case "bool":
                Arity(at, name, args, kwargs, 0, 1);
                return args.Count == 1 && PyOps.Truthy(args[0]);
            case "abs":
                Arity(at, name, args, kwargs, 1, 1);
                return args[0] switch { double d => (object)Math.Abs(d), long l => l == long.MinValue ? throw TooBig(at) : Math.Abs(l), bool b => b ? 1L : 0L, var v => throw Fail(at, $"bad operand type for abs(): '{PyOps.TypeName(v)}'.") };
            case "round":
            {
                Arity(at, name, args, kwargs, 1, 2, "ndigits");
                var nd = args.Count == 2 ? args[1] : Kw(kwargs, "ndigits", null);
                if (args[0] is long or bool) return PyOps.Long(args[0]);
                if (args[0] is not double d) throw Fail(at, $"type {PyOps.TypeName(args[0])} doesn't define __round__.");
                if (nd is null) return (long)Math.Round(d, MidpointRounding.ToEven);
                return Math.Round(d, (int)Math.Clamp(PyOps.Long(nd), 0, 15), MidpointRounding.ToEven);
            }
            case "any": Arity(at, name, args, kwargs, 1, 1); return Iterate(args[0], at).Any(PyOps.Truthy);
            case "all": Arity(at, name, args, kwargs, 1, 1); return Iterate(args[0], at).All(PyOps.Truthy);
            case "print": return null;
            case "isinstance":
            {
                Arity(at, name, args, kwargs, 2, 2);
                var types = args[1] is PyList { Tuple: true } t ? t.Items : new List<object?> { args[1] };
                var actual = PyOps.TypeName(args[0]);
                return types.Any(ty => ty is PyCallable { Module: false, Self: null, Inert: false } c && (c.Name == actual || c.Name == "int" && actual == "bool"));
            }
            case "read_base" or "mmengine.config.read_base":
                throw Unsupported(at, "read_base() outside 'with read_base():'");
            case "copy.deepcopy": Arity(at, name, args, kwargs, 1, 1); return DeepCopy(args[0], new Dictionary<object, object>(ReferenceEqualityComparer.Instance), 0, at);
            case "copy.copy": Arity(at, name, args, kwargs, 1, 1); return ShallowCopy(args[0]);
            case "math.sqrt" or "math.log" or "math.log2" or "math.log10" or "math.exp" or "math.ceil" or "math.floor" or "math.pow" or "math.isclose":
                return MathFunction(at, name, args, kwargs);
            case "os.path.join":
            {
                Arity(at, name, args, kwargs, 1, int.MaxValue);
                var result = "";
                foreach (var a in args)
                {
                    if (a is not string s) throw Fail(at, "os.path.join() arguments must be strings.");
                    result = s.StartsWith('/') || result.Length == 0 ? s : result.EndsWith('/') ? result + s : result + "/" + s;
                }
                return result;
            }
            case "os.path.basename" or "os.path.dirname" or "os.path.splitext":
            {
                Arity(at, name, args, kwargs, 1, 1);
                if (args[0] is not string p) throw Fail(at, $"{name}() argument must be a string.");
                int slash = p.LastIndexOf('/');
                if (name.EndsWith("basename")) return p[(slash + 1)..];
                if (name.EndsWith("dirname")) return slash < 0 ? "" : slash == 0 ? "/" : p[..slash].TrimEnd('/') is { Length: > 0 } dir ? dir : "/";
                var baseName = p[(slash + 1)..];
                int dot = baseName.LastIndexOf('.');
                if (dot <= 0 || baseName.Trim('.').Length == 0) return new PyList(new List<object?> { p, "" }, tuple: true);
                int cut = slash + 1 + dot;
                return new PyList(new List<object?> { p[..cut], p[cut..] }, tuple: true);
            }
        }
        throw Unsupported(at, $"calling '{name}'");
    }

    private object? MathFunction(PyNode at, string name, List<object?> args, PyDict kwargs)
    {
        Arity(at, name, args, kwargs, 1, 2, "rel_tol", "abs_tol");
        if (args.Any(a => !PyOps.IsNumber(a))) throw Fail(at, $"{name}() needs numbers.");
        double x = PyOps.ToDouble(args[0]);
        double? y = args.Count > 1 ? PyOps.ToDouble(args[1]) : null;
        return name switch
        {
            "math.sqrt" => x < 0 ? throw Fail(at, "math domain error.") : Math.Sqrt(x),
            "math.log" => x <= 0 ? throw Fail(at, "math domain error.") : y is { } b ? Math.Log(x) / Math.Log(b) : Math.Log(x),
            "math.log2" => x <= 0 ? throw Fail(at, "math domain error.") : Math.Log2(x),
            "math.log10" => x <= 0 ? throw Fail(at, "math domain error.") : Math.Log10(x),
            "math.exp" => Math.Exp(x),
            "math.ceil" => args[0] is double ? (object)(long)Math.Ceiling(x) : PyOps.Long(args[0]),
            "math.floor" => args[0] is double ? (object)(long)Math.Floor(x) : PyOps.Long(args[0]),
            "math.pow" => Math.Pow(x, y ?? throw Fail(at, "pow() needs two arguments.")),
            _ => Math.Abs(x - (y ?? x)) <= Math.Max(PyOps.ToDouble(Kw(kwargs, "rel_tol", 1e-9)) * Math.Max(Math.Abs(x), Math.Abs(y ?? x)), PyOps.ToDouble(Kw(kwargs, "abs_tol", 0.0))),
        };
    }

    private void SortInPlace(PyNode at, List<object?> items, bool reverse)
    {
        try
        {
            var sorted = items.OrderBy(x => x, Comparer<object?>.Create((a, b) =>
                PyOps.Compare(a, b, 0) ?? throw Fail(at, $"'<' is not supported between instances of '{PyOps.TypeName(a)}' and '{PyOps.TypeName(b)}'."))).ToList();
            if (reverse) sorted.Reverse();
            items.Clear();
            items.AddRange(sorted);
        }
        catch (InvalidOperationException e) when (e.InnerException is Errors.InitCfgException inner) { throw inner; }
    }

    private object? ShallowCopy(object? v) => v switch
    {
        PyDict d => CopyDict(d),
        PyList { Tuple: false } l => new PyList(l.Items.ToList()) { Set = l.Set },
        _ => v,
    };

    private static PyDict CopyDict(PyDict d)
    {
        var copy = new PyDict(d.IsConfigDict);
        foreach (var (k, v) in d.Items) copy.Set(k, v);
        return copy;
    }

    /// <summary><c>copy.deepcopy</c>: shared values stay shared in the copy (and cycles are kept), as Python's memo does.</summary>
    public object? DeepCopy(object? v, Dictionary<object, object> memo, int depth, PyNode? at)
    {
        if (v is not (PyDict or PyList)) return v;
        if (memo.TryGetValue(v, out var done)) return done;
        PyOps.Guard(depth);
        switch (v)
        {
            case PyDict d:
            {
                _budget.Allocate(d.Count, at is null ? _source.File : Where(at));
                var copy = new PyDict(d.IsConfigDict);
                memo[v] = copy;
                foreach (var (k, value) in d.Items) copy.Set(k, DeepCopy(value, memo, depth + 1, at));
                return copy;
            }
            default:
            {
                var l = (PyList)v;
                _budget.Allocate(l.Count, at is null ? _source.File : Where(at));
                var items = new List<object?>(l.Count);
                var copy = new PyList(items, l.Tuple) { Set = l.Set };
                memo[v] = copy;
                foreach (var item in l.Items) items.Add(DeepCopy(item, memo, depth + 1, at));
                return copy;
            }
        }
    }

    /// <summary>A deep copy in which a value reached twice is copied twice (MMEngine's nested deepcopy calls).</summary>
    public object? CopyUnshared(object? v, int depth)
    {
        PyOps.Guard(depth);
        switch (v)
        {
            case PyDict d:
            {
                _budget.Allocate(d.Count, _source.File);
                var copy = new PyDict(d.IsConfigDict);
                foreach (var (k, value) in d.Items) copy.Set(k, CopyUnshared(value, depth + 1));
                return copy;
            }
            case PyList l:
                _budget.Allocate(l.Count, _source.File);
                return new PyList(l.Items.Select(i => CopyUnshared(i, depth + 1)).ToList(), l.Tuple) { Set = l.Set };
            default: return v;
        }
    }

    /// <summary>ConfigDict.merge: <paramref name="other"/> merged into <paramref name="self"/>, <c>_delete_</c> honoured at every level.</summary>
    private void MergeConfigDict(PyNode at, PyDict self, PyDict other)
    {
        var fallback = new object();
        object? Merge(object? a, object? b, int depth)
        {
            PyOps.Guard(depth);
            if (a is not PyDict ad) return a == fallback ? b : a;
            if (b is not PyDict bd) { ad.Remove("_delete_"); return ad; }
            if (ad.TryGet("_delete_", out var flag)) { ad.Remove("_delete_"); if (PyOps.Truthy(flag)) bd.Clear(); }
            var result = new PyDict();
            foreach (var key in bd.Keys.Concat(ad.Keys).ToList())
            {
                if (key is "_delete_" || result.Contains(key)) continue;
                result.Set(key, Merge(ad.TryGet(key, out var av) ? av : fallback, bd.TryGet(key, out var bv) ? bv : fallback, depth + 1));
            }
            return result;
        }
        var memo = new Dictionary<object, object>(ReferenceEqualityComparer.Instance);
        var merged = (PyDict)Merge(DeepCopy(other, memo, 0, at), DeepCopy(self, new Dictionary<object, object>(ReferenceEqualityComparer.Instance), 0, at), 0)!;
        self.Clear();
        foreach (var (k, v) in merged.Items) SetItem(at, self, k, v);
    }

    private void UpdatePlain(PyNode at, PyDict d, object? source)
    {
        if (source is PyDict other) { foreach (var (k, v) in other.Items) SetItem(at, d, k, v); return; }
        foreach (var pair in Iterate(source, at))
        {
            var kv = Iterate(pair, at).ToList();
            if (kv.Count != 2) throw Fail(at, $"dictionary update sequence element has length {kv.Count}; 2 is required.");
            SetItem(at, d, kv[0], kv[1]);
        }
    }

    /// <summary>ConfigDict.update: a dict value merges into a dict already there; anything else replaces.</summary>
    public void UpdateConfigDict(PyNode? at, PyDict target, PyDict other, int depth)
    {
        PyOps.Guard(depth);
        foreach (var (k, v) in other.Items.ToList())
        {
            if (target.TryGet(k, out var current) && current is PyDict inner && v is PyDict vd)
            {
                if (inner.IsConfigDict) UpdateConfigDict(at, inner, vd, depth + 1);
                else foreach (var (ik, iv) in vd.Items) inner.Set(ik, iv);
            }
            else target.Set(k, Hook(v, at, depth + 1));
        }
    }

    private object? CallMethod(PyNode at, string name, object? self, List<object?> args, PyDict kwargs)
    {
        switch (self)
        {
            case PyDict d: return DictMethod(at, name, d, args, kwargs);
            case PyList l: return ListMethod(at, name, l, args, kwargs);
            case string s: return StrMethod(at, name, s, args, kwargs);
        }
        throw Unsupported(at, $"calling '{name}'");
    }

    private object? DictMethod(PyNode at, string name, PyDict d, List<object?> args, PyDict kwargs)
    {
        switch (name)
        {
            case "dict.update":
            {
                Arity(at, "update", args, kwargs, 0, 1, kwargs.Keys.Cast<string>().ToArray());
                var other = new PyDict();
                if (args.Count == 1) UpdatePlain(at, other, args[0]);
                foreach (var (k, v) in kwargs.Items) other.Set(k, v);
                if (d.IsConfigDict) UpdateConfigDict(at, d, other, 0);
                else foreach (var (k, v) in other.Items) d.Set(k, v);
                return null;
            }
            case "dict.pop":
            {
                Arity(at, "pop", args, kwargs, 1, 2);
                if (d.TryGet(args[0], out var v)) { d.Remove(args[0]); return v; }
                // ConfigDict.pop defaults to None; dict.pop raises.
                if (args.Count == 2 || d.IsConfigDict) return args.Count == 2 ? args[1] : null;
                throw Fail(at, $"KeyError: {PyOps.Repr(args[0])}.");
            }
            case "dict.get":
                Arity(at, "get", args, kwargs, 1, 2);
                return d.TryGet(args[0], out var got) ? got : args.Count == 2 ? args[1] : null;
            case "dict.copy": Arity(at, "copy", args, kwargs, 0, 0); return CopyDict(d);
            case "dict.keys": Arity(at, "keys", args, kwargs, 0, 0); return new PyList(d.Keys.ToList());
            case "dict.values": Arity(at, "values", args, kwargs, 0, 0); return new PyList(d.Items.Select(e => e.Value).ToList());
            case "dict.items":
                Arity(at, "items", args, kwargs, 0, 0);
                return new PyList(d.Items.Select(e => (object?)new PyList(new List<object?> { e.Key, e.Value }, tuple: true)).ToList());
            case "dict.setdefault":
            {
                Arity(at, "setdefault", args, kwargs, 1, 2);
                if (d.TryGet(args[0], out var existing)) return existing;
                SetItem(at, d, args[0], args.Count == 2 ? args[1] : null);
                return d.TryGet(args[0], out var stored) ? stored : null;
            }
            case "dict.clear": Arity(at, "clear", args, kwargs, 0, 0); d.Clear(); return null;
            case "dict.merge":
                Arity(at, "merge", args, kwargs, 1, 1);
                if (args[0] is not PyDict mergeFrom) throw Fail(at, $"merge() needs a dict, not '{PyOps.TypeName(args[0])}'.");
                MergeConfigDict(at, d, mergeFrom);
                return null;
        }
        throw Unsupported(at, $"calling '{name}'");
    }

    private object? ListMethod(PyNode at, string name, PyList l, List<object?> args, PyDict kwargs)
    {
        var items = l.Items;
        switch (name)
        {
            case "list.append": Arity(at, "append", args, kwargs, 1, 1); _budget.Allocate(items.Count + 1, Where(at)); items.Add(args[0]); return null;
            case "list.extend":
            {
                Arity(at, "extend", args, kwargs, 1, 1);
                var more = Iterate(args[0], at).ToList();
                _budget.Allocate(items.Count + more.Count, Where(at));
                items.AddRange(more);
                return null;
            }
            case "list.insert":
            {
                Arity(at, "insert", args, kwargs, 2, 2);
                long i = PyOps.Long(args[0]);
                if (i < 0) i = Math.Max(0, i + items.Count);
                items.Insert((int)Math.Min(i, items.Count), args[1]);
                return null;
            }
            case "list.pop":
            {
                Arity(at, "pop", args, kwargs, 0, 1);
                if (items.Count == 0) throw Fail(at, "pop from empty list.");
                int i = args.Count == 0 ? items.Count - 1 : Index(at, items.Count, args[0]);
                var v = items[i];
                items.RemoveAt(i);
                return v;
            }
            case "list.copy": Arity(at, "copy", args, kwargs, 0, 0); return new PyList(items.ToList());
            case "list.index":
            {
                Arity(at, "index", args, kwargs, 1, 1);
                int i = items.FindIndex(x => PyOps.Equal(x, args[0], 0));
                return i >= 0 ? i : throw Fail(at, $"{PyOps.Repr(args[0])} is not in list.");
            }
            case "list.count": Arity(at, "count", args, kwargs, 1, 1); return (long)items.Count(x => PyOps.Equal(x, args[0], 0));
            case "list.remove":
            {
                Arity(at, "remove", args, kwargs, 1, 1);
                int i = items.FindIndex(x => PyOps.Equal(x, args[0], 0));
                if (i < 0) throw Fail(at, "list.remove(x): x not in list.");
                items.RemoveAt(i);
                return null;
            }
            case "list.reverse": Arity(at, "reverse", args, kwargs, 0, 0); items.Reverse(); return null;
            case "list.sort": Arity(at, "sort", args, kwargs, 0, 0, "reverse"); SortInPlace(at, items, PyOps.Truthy(Kw(kwargs, "reverse", false))); return null;
            case "list.clear": Arity(at, "clear", args, kwargs, 0, 0); items.Clear(); return null;
        }
        throw Unsupported(at, $"calling '{name}'");
    }

    private object? StrMethod(PyNode at, string name, string s, List<object?> args, PyDict kwargs)
    {
        string Arg(int i) => args[i] as string ?? throw Fail(at, $"{name}() argument must be a string, not '{PyOps.TypeName(args[i])}'.");
        switch (name)
        {
            case "str.format": return StrFormat(at, s, args, kwargs);
            case "str.join":
            {
                Arity(at, "join", args, kwargs, 1, 1);
                var parts = Iterate(args[0], at).Select(p => p as string ?? throw Fail(at, $"join() expects strings, found '{PyOps.TypeName(p)}'.")).ToList();
                _budget.Allocate(parts.Sum(p => (long)p.Length) + (long)s.Length * parts.Count, Where(at), characters: true);
                return string.Join(s, parts);
            }
            case "str.replace":
            {
                Arity(at, "replace", args, kwargs, 2, 2);
                if (Arg(0).Length == 0) throw Unsupported(at, "replace() of an empty string");
                var result = s.Replace(Arg(0), Arg(1), StringComparison.Ordinal);
                _budget.Allocate(result.Length, Where(at), characters: true);
                return result;
            }
            case "str.split" or "str.rsplit":
            {
                Arity(at, name, args, kwargs, 0, 2, "sep", "maxsplit");
                var sep = args.Count > 0 ? args[0] : Kw(kwargs, "sep", null);
                long max = PyOps.Long(args.Count > 1 ? args[1] : Kw(kwargs, "maxsplit", -1L));
                string[] parts;
                if (sep is null) parts = s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                else if (sep is string sp && sp.Length > 0) parts = s.Split(sp);
                else throw Fail(at, "empty separator.");
                if (max >= 0 && parts.Length > max + 1)
                {
                    var joiner = sep as string ?? " ";
                    parts = name == "str.split"
                        ? parts.Take((int)max).Append(string.Join(joiner, parts.Skip((int)max))).ToArray()
                        : new[] { string.Join(joiner, parts.Take(parts.Length - (int)max)) }.Concat(parts.Skip(parts.Length - (int)max)).ToArray();
                }
                return new PyList(parts.Cast<object?>().ToList());
            }
            case "str.strip" or "str.lstrip" or "str.rstrip":
            {
                Arity(at, name, args, kwargs, 0, 1);
                var chars = args.Count == 1 && args[0] is string cs ? cs.ToCharArray() : null;
                return name switch
                {
                    "str.strip" => chars is null ? s.Trim() : s.Trim(chars),
                    "str.lstrip" => chars is null ? s.TrimStart() : s.TrimStart(chars),
                    _ => chars is null ? s.TrimEnd() : s.TrimEnd(chars),
                };
            }
            case "str.lower": return s.ToLowerInvariant();
            case "str.upper": return s.ToUpperInvariant();
            case "str.title": return CultureInfo.InvariantCulture.TextInfo.ToTitleCase(s.ToLowerInvariant());
            case "str.capitalize": return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
            case "str.isdigit": return s.Length > 0 && s.All(char.IsDigit);
            case "str.startswith" or "str.endswith":
            {
                Arity(at, name, args, kwargs, 1, 1);
                var options = args[0] is PyList { Tuple: true } t ? t.Items : new List<object?> { args[0] };
                return options.Any(o => o is string p && (name == "str.startswith" ? s.StartsWith(p, StringComparison.Ordinal) : s.EndsWith(p, StringComparison.Ordinal)));
            }
            case "str.find": Arity(at, "find", args, kwargs, 1, 1); return (long)s.IndexOf(Arg(0), StringComparison.Ordinal);
            case "str.count":
            {
                Arity(at, "count", args, kwargs, 1, 1);
                var sub = Arg(0);
                if (sub.Length == 0) return (long)s.Length + 1;
                long n = 0;
                for (int i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal)) n++;
                return n;
            }
        }
        throw Unsupported(at, $"calling '{name}'");
    }

    private string StrFormat(PyNode at, string format, List<object?> args, PyDict kwargs)
    {
        var sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c == '{' && i + 1 < format.Length && format[i + 1] == '{') { sb.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < format.Length && format[i + 1] == '}') { sb.Append('}'); i++; continue; }
            if (c != '{') { sb.Append(c); continue; }
            int end = format.IndexOf('}', i);
            if (end < 0) throw Fail(at, "single '{' encountered in format string.");
            var field = format[(i + 1)..end];
            i = end;
            string spec = "";
            char conversion = '\0';
            int colon = field.IndexOf(':');
            if (colon >= 0) { spec = field[(colon + 1)..]; field = field[..colon]; }
            int bang = field.IndexOf('!');
            if (bang >= 0) { conversion = field.Length > bang + 1 ? field[bang + 1] : '\0'; field = field[..bang]; }
            // A field is an index or a name, optionally followed by .attr / [key] (attributes of dicts only).
            var head = new string(field.TakeWhile(ch => ch != '.' && ch != '[').ToArray());
            object? value;
            if (head.Length == 0) value = auto < args.Count ? args[auto++] : throw Fail(at, "replacement index out of range for format().");
            else if (int.TryParse(head, NumberStyles.None, CultureInfo.InvariantCulture, out var idx)) value = idx < args.Count ? args[idx] : throw Fail(at, $"replacement index {idx} out of range.");
            else value = kwargs.TryGet(head, out var kv) ? kv : throw Fail(at, $"KeyError: '{head}' in format().");
            if (head.Length < field.Length) throw Unsupported(at, $"the format field '{{{field}}}'");
            if (conversion is 'r' or 'a') value = PyOps.Repr(value);
            else if (conversion == 's') value = PyOps.Str(value);
            sb.Append(PyFormat.Format(value, spec) ?? throw Fail(at, $"invalid format specifier '{spec}'."));
            if (sb.Length > ConfigLimits.MaxScalarLength) _budget.Allocate(sb.Length, Where(at), characters: true);
        }
        return sb.ToString();
    }
}
