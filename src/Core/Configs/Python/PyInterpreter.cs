#nullable enable
using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs.Python;

/// <summary>
/// Evaluates the statements of one config file over its global namespace. No Python runs: imports bind inert
/// names (<see cref="PyLazy"/>), only the built-ins configs use are known, and anything that would run code is
/// refused with its <c>file:line:column</c>.
/// </summary>
internal sealed partial class PyInterpreter
{
    private readonly PySource _source;
    private readonly PyBudget _budget;
    private readonly List<Dictionary<string, object?>> _locals = new();

    /// <param name="source">The file (for error positions).</param>
    /// <param name="globals">The module namespace; configs read their keys from it afterwards.</param>
    /// <param name="budget">Shared bounds for the whole config.</param>
    /// <param name="baseImport">Handles <c>from ... import</c> inside <c>with read_base():</c>; null where that is not allowed.</param>
    public PyInterpreter(PySource source, PyDict globals, PyBudget budget, Action<PyNode.ImportFrom>? baseImport = null)
    {
        _source = source;
        Globals = globals;
        _budget = budget;
        _baseImport = baseImport;
    }

    private readonly Action<PyNode.ImportFrom>? _baseImport;

    public PyDict Globals { get; }

    /// <summary>Names bound by import statements; MMEngine does not dump them.</summary>
    public HashSet<string> ImportedNames { get; } = new(StringComparer.Ordinal);

    private string Where(PyNode at) => _source.Where(at.Line, at.Column);

    private InitCfgException Fail(PyNode at, string message) =>
        new(ErrorIds.ConfigEvaluationError, Where(at), $"{Where(at)}: {message}");

    private InitCfgException Unsupported(PyNode at, string construct) => _source.Unsupported(at.Line, at.Column, construct);

    #region Statements

    public void Run(IEnumerable<PyNode> body)
    {
        foreach (var stmt in body) Execute(stmt);
    }

    private void Execute(PyNode stmt)
    {
        _budget.Step(_source, stmt);
        switch (stmt)
        {
            case PyNode.ExprStmt e: Eval(e.Value); break;
            case PyNode.Assign a:
            {
                var value = Eval(a.Value);
                foreach (var target in a.Targets) AssignTo(target, value);
                break;
            }
            case PyNode.AugAssign a: AugAssign(a); break;
            case PyNode.Del d: foreach (var t in d.Targets) Delete(t); break;
            case PyNode.Import i:
                foreach (var (module, asName) in i.Names)
                {
                    var bound = asName ?? module.Split('.')[0];
                    var value = PyModules.IsKnown(module) ? new PyCallable(asName is null ? bound : module, Module: true) : (object)new PyLazy(asName is null ? bound : module, null);
                    ImportedNames.Add(bound);
                    SetName(bound, value);
                }
                break;
            case PyNode.ImportFrom f: ImportFrom(f, insideReadBase: false); break;
            case PyNode.With w:
                if (w.Context is not PyNode.Call { Func: PyNode.Name { Id: "read_base" }, Args.Count: 0 })
                    throw Unsupported(w, "a 'with' statement other than 'with read_base():'");
                foreach (var s in w.Body)
                {
                    if (s is not PyNode.ImportFrom f) throw Unsupported(s, "a statement other than 'from ... import ...' inside 'with read_base():'");
                    ImportFrom(f, insideReadBase: true);
                }
                break;
            case PyNode.If i:
                Run(PyOps.Truthy(Eval(i.Test)) ? i.Body : i.OrElse);
                break;
            case PyNode.For f:
                foreach (var item in Iterate(Eval(f.Iter), f.Iter))
                {
                    AssignTo(f.Target, item);
                    Run(f.Body);
                }
                break;
            case PyNode.Pass: break;
            case PyNode.Assert a:
                if (!PyOps.Truthy(Eval(a.Test))) throw Fail(a, "an assert in the config failed.");
                break;
            case PyNode.Def d:
                SetName(d.Id, new PyCallable(d.Id, Inert: true) { Where = Where(d) });
                break;
            default: throw Unsupported(stmt, $"a {stmt.GetType().Name} statement");
        }
    }

    private void ImportFrom(PyNode.ImportFrom f, bool insideReadBase)
    {
        if (insideReadBase)
        {
            if (_baseImport is null) throw Unsupported(f, "'with read_base():' here");
            _baseImport(f);
            return;
        }
        var module = new string('.', f.Level) + f.Module;
        foreach (var (name, asName) in f.Names)
        {
            if (name == "*") throw Unsupported(f, $"'from {module} import *' outside 'with read_base():'");
            var bound = asName ?? name;
            object value = PyModules.IsKnown(module + "." + name) ? new PyCallable(module + "." + name, Module: PyModules.IsModule(module + "." + name))
                : PyModules.IsKnown(module) && f.Level == 0 ? new PyCallable(module + "." + name)
                : new PyLazy(module, name);
            ImportedNames.Add(bound);
            SetName(bound, value);
        }
    }

    private void AugAssign(PyNode.AugAssign a)
    {
        switch (a.Target)
        {
            case PyNode.Name n:
                SetName(n.Id, InPlace(a, Lookup(n), Eval(a.Value)));
                break;
            case PyNode.Subscript s:
            {
                var container = Eval(s.Target);
                var index = s.Index is PyNode.Slice ? throw Unsupported(s, "augmented assignment to a slice") : Eval(s.Index);
                SetItem(s, container, index, InPlace(a, GetItem(s, container, index), Eval(a.Value)));
                break;
            }
            case PyNode.Attribute at:
            {
                var container = Eval(at.Target);
                SetItem(at, container, at.Attr, InPlace(a, GetAttr(at, container, at.Attr), Eval(a.Value)));
                break;
            }
            default: throw Unsupported(a, "this augmented assignment target");
        }
    }

    // `x += [..]` on a list extends that very list (other names for it see the change), as Python does.
    private object? InPlace(PyNode at, object? current, object? value)
    {
        var op = ((PyNode.AugAssign)at).Op;
        if (current is PyList { Tuple: false, Set: false } list)
        {
            if (op == "+")
            {
                var items = Iterate(value, at).ToList();
                _budget.Allocate(list.Count + items.Count, Where(at));
                list.Items.AddRange(items);
                return list;
            }
            if (op == "*" && value is long or bool)
            {
                var n = list.Count == 0 ? 0 : Math.Max(0, PyOps.Long(value));
                _budget.Allocate(list.Count * n, Where(at));
                var copy = list.Items.ToList();
                list.Items.Clear();
                for (long i = 0; i < n; i++) list.Items.AddRange(copy);
                return list;
            }
        }
        if (current is PyDict d && op == "|" && value is PyDict other)
        {
            foreach (var (k, v) in other.Items) SetItem(at, d, k, v);
            return d;
        }
        return Binary(at, op, current, value);
    }

    private void Delete(PyNode target)
    {
        switch (target)
        {
            case PyNode.Name n:
                if (_locals.Count > 0 && _locals[^1].Remove(n.Id)) return;
                if (!Globals.Remove(n.Id)) throw Fail(n, $"name '{n.Id}' is not defined.");
                return;
            case PyNode.Subscript s:
            {
                var container = Eval(s.Target);
                if (container is PyList list && s.Index is PyNode.Slice slice)
                {
                    var indices = SliceIndices(slice, list.Count).OrderByDescending(i => i).ToList();
                    foreach (var i in indices) list.Items.RemoveAt(i);
                    return;
                }
                var index = Eval(s.Index);
                switch (container)
                {
                    case PyDict d: if (!d.Remove(index)) throw Fail(s, $"KeyError: {PyOps.Repr(index)}."); return;
                    case PyList { Tuple: false } l: l.Items.RemoveAt(Index(s, l.Count, index)); return;
                    default: throw Fail(s, $"'{PyOps.TypeName(container)}' object does not support item deletion.");
                }
            }
            case PyNode.Attribute at:
            {
                if (Eval(at.Target) is not PyDict d || !d.Remove(at.Attr)) throw Fail(at, $"cannot delete attribute '{at.Attr}'.");
                return;
            }
            case PyNode.ListExpr l: foreach (var t in l.Items) Delete(t); return;
            default: throw Unsupported(target, "this 'del' target");
        }
    }

    private void AssignTo(PyNode target, object? value)
    {
        switch (target)
        {
            case PyNode.Name n: SetName(n.Id, value); return;
            case PyNode.Subscript s:
            {
                var container = Eval(s.Target);
                if (s.Index is PyNode.Slice slice)
                {
                    if (container is not PyList { Tuple: false } list) throw Fail(s, $"'{PyOps.TypeName(container)}' object does not support slice assignment.");
                    if (slice.Step is not null) throw Unsupported(s, "assignment to an extended slice");
                    var (start, stop) = SliceBounds(slice, list.Count);
                    var items = Iterate(value, s).ToList();
                    list.Items.RemoveRange(start, Math.Max(0, stop - start));
                    list.Items.InsertRange(start, items);
                    _budget.Allocate(list.Count, Where(s));
                    return;
                }
                SetItem(s, container, Eval(s.Index), value);
                return;
            }
            case PyNode.Attribute a:
            {
                var container = Eval(a.Target);
                if (container is not PyDict) throw Fail(a, $"cannot set attribute '{a.Attr}' on a {PyOps.TypeName(container)}.");
                SetItem(a, container, a.Attr, value);
                return;
            }
            case PyNode.ListExpr l:
            {
                var items = Iterate(value, l).ToList();
                int star = l.Items.ToList().FindIndex(i => i is PyNode.Starred);
                if (star < 0)
                {
                    if (items.Count != l.Items.Count) throw Fail(l, $"cannot unpack {items.Count} values into {l.Items.Count} names.");
                    for (int i = 0; i < items.Count; i++) AssignTo(l.Items[i], items[i]);
                    return;
                }
                int after = l.Items.Count - star - 1;
                if (items.Count < l.Items.Count - 1) throw Fail(l, $"not enough values to unpack ({items.Count}).");
                for (int i = 0; i < star; i++) AssignTo(l.Items[i], items[i]);
                AssignTo(((PyNode.Starred)l.Items[star]).Value, new PyList(items.GetRange(star, items.Count - star - after)));
                for (int i = 0; i < after; i++) AssignTo(l.Items[star + 1 + i], items[items.Count - after + i]);
                return;
            }
            default: throw Unsupported(target, "this assignment target");
        }
    }

    private void SetName(string name, object? value)
    {
        if (_locals.Count > 0) _locals[^1][name] = value;
        else Globals.Set(name, value);
    }

    private void SetItem(PyNode at, object? container, object? key, object? value)
    {
        switch (container)
        {
            case PyDict d:
                if (key is PyDict or PyList { Tuple: false }) throw Fail(at, $"unhashable type: '{PyOps.TypeName(key)}'.");
                d.Set(key, d.IsConfigDict ? Hook(value, at, 0) : value);
                return;
            case PyList { Tuple: false } l:
                l.Items[Index(at, l.Count, key)] = value;
                return;
            default: throw Fail(at, $"'{PyOps.TypeName(container)}' object does not support item assignment.");
        }
    }

    #endregion

    #region ConfigDict semantics

    // ConfigDict._hook: a plain dict stored into a ConfigDict becomes a new ConfigDict, a list a new list.
    public object? Hook(object? value, PyNode? at, int depth)
    {
        PyOps.Guard(depth);
        switch (value)
        {
            case PyDict { IsConfigDict: false } d: return ToConfigDict(d, at, depth);
            case PyList l:
                _budget.Allocate(l.Count, at is null ? _source.File : Where(at));
                return new PyList(l.Items.Select(i => Hook(i, at, depth + 1)).ToList(), l.Tuple) { Set = l.Set };
            default: return value;
        }
    }

    /// <summary>MMEngine's <c>ConfigDict(d)</c>: a new ConfigDict holding d's values, plain dicts and lists copied.</summary>
    public PyDict ToConfigDict(PyDict d, PyNode? at, int depth)
    {
        PyOps.Guard(depth);
        _budget.Allocate(d.Count, at is null ? _source.File : Where(at));
        var copy = new PyDict(isConfigDict: true);
        foreach (var (k, v) in d.Items) copy.Set(k, Hook(v, at, depth + 1));
        return copy;
    }

    #endregion
}
