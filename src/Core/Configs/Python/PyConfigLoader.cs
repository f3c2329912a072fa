#nullable enable
using System.Text.RegularExpressions;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs.Python;

/// <summary>
/// Reads an MMEngine config file the way <c>Config.fromfile</c> does, without Python: the classic style
/// (<c>_base_</c> files merged under MMEngine's rules, <c>{{_base_.x}}</c>, predefined and environment
/// variables) and the lazy-import style (<c>with read_base(): from .x import *</c>, imports as class names).
/// </summary>
internal sealed class PyConfigLoader
{
    private const string BaseKey = "_base_";
    private const string DeleteKey = "_delete_";
    private const char Marker = '\u0001';
    private const int MaxChain = 64;

    private readonly PyBudget _budget = new();
    private readonly List<string> _chain = new();
    private readonly Func<string, string?> _environment;

    public PyConfigLoader(Func<string, string?>? environment = null) =>
        _environment = environment ?? Environment.GetEnvironmentVariable;

    /// <summary>The merged config of a .py file, without imported names, modules and functions (as MMEngine dumps it).</summary>
    public PyDict Load(string file)
    {
        var full = Path.GetFullPath(file);
        if (!ConfigFiles.IsPython(full))
            return FromDataFile(full, null, new PyInterpreter(new PySource("", full), new PyDict(), _budget));
        var stmts = PyParser.ParseFile(new PySource(ConfigReader.ReadText(full), full));
        if (IsLazy(stmts))
        {
            var (cfg, imported) = LoadLazy(full, null);
            var result = new PyDict(isConfigDict: true);
            foreach (var (k, v) in cfg.Items)
                if (k is string key && !imported.Contains(key) && !IsHidden(key, v)) result.Set(key, v);
            return result;
        }
        return LoadClassic(full, null);
    }

    /// <summary>Evaluates pasted text: one expression (<c>dict(type='Normal', std=0.01)</c>) or statements (<c>init_cfg = dict(...)</c>).</summary>
    public object? Evaluate(string text, string name)
    {
        var source = new PySource(text, name);
        var globals = new PyDict();
        var interpreter = new PyInterpreter(source, globals, _budget);
        PyNode? expression = null;
        try { expression = PyParser.ParseExpression(source); }
        catch (InitCfgException e) when (e.ErrorId == ErrorIds.ConfigSyntaxError) { }
        if (expression is not null) return interpreter.Eval(expression);
        interpreter.Run(PyParser.ParseFile(source));
        var result = new PyDict();
        foreach (var (k, v) in globals.Items)
            if (k is string key && !interpreter.ImportedNames.Contains(key) && !IsHidden(key, v)) result.Set(key, v);
        return result;
    }

    private static bool IsHidden(string key, object? value) => key.StartsWith("__", StringComparison.Ordinal) || value is PyCallable;

    private void Enter(string file, string? where)
    {
        if (_chain.Contains(file, StringComparer.Ordinal))
            throw new InitCfgException(ErrorIds.ConfigFileUnreadable, where ?? file,
                $"{where ?? file}: the config inherits from itself ({string.Join(" -> ", _chain.Append(file).Select(Path.GetFileName))}).");
        if (_chain.Count >= MaxChain)
            throw new InitCfgException(ErrorIds.ConfigTooLarge, where ?? file, $"{where ?? file}: base files nest deeper than {MaxChain} levels.");
        _budget.File(where ?? file);
        _chain.Add(file);
    }

    private void Leave() => _chain.RemoveAt(_chain.Count - 1);

    #region Style detection

    private static readonly HashSet<string> StandardModules = new(StringComparer.Ordinal)
    {
        "os", "sys", "copy", "math", "re", "json", "itertools", "functools", "collections", "typing", "pathlib", "random",
        "warnings", "datetime", "time", "string", "operator", "numbers", "abc", "enum", "platform", "glob", "shutil", "tempfile",
    };

    private static bool IsStandard(string module) =>
        module.StartsWith("mmengine.config", StringComparison.Ordinal) || StandardModules.Contains(module.Split('.')[0]);

    // MMEngine's _is_lazy_import: a `_base_ =` assignment means classic; `with`, a relative import or an import
    // of a non-standard module means lazy-import style.
    private static bool IsLazy(IReadOnlyList<PyNode> stmts)
    {
        foreach (var s in stmts)
        {
            switch (s)
            {
                case PyNode.Assign a when a.Targets[0] is PyNode.Name { Id: BaseKey }: return false;
                case PyNode.With: return true;
                case PyNode.ImportFrom f when f.Level > 0: return true;
                case PyNode.ImportFrom f when f.Module == "mmengine" && f.Names.Count == 1 && f.Names[0].Name == "Config": continue;
                case PyNode.ImportFrom f when !IsStandard(f.Module): return true;
                case PyNode.Import i when i.Names.Any(n => !IsStandard(n.Module)): return true;
            }
        }
        return false;
    }

    #endregion

    #region Classic style

    private PyDict LoadClassic(string file, string? where)
    {
        Enter(file, where);
        try
        {
            var text = ConfigReader.ReadText(file);
            text = SubstitutePredefined(text, file);
            text = SubstituteEnvironment(text, file);
            text = Regex.Replace(text, @"\{\{\s*" + BaseKey + @"\.([\w\.]+)\s*\}\}", m => $"\"{Marker}{m.Groups[1].Value}{Marker}\"");
            var source = new PySource(text, file);
            var stmts = PyParser.ParseFile(source);
            if (IsLazy(stmts))
                throw new InitCfgException(ErrorIds.UnsupportedConfigConstruct, file,
                    $"{file}: a lazy-import style config (with read_base() or imports) cannot be a _base_ of a classic config; MMEngine refuses this mix too.");

            var baseCfg = new PyDict(isConfigDict: true);
            var globals = new PyDict();
            globals.Set(BaseKey, baseCfg);
            var interpreter = new PyInterpreter(source, globals, _budget);

            var baseStmt = stmts.OfType<PyNode.Assign>().FirstOrDefault(a => a.Targets[0] is PyNode.Name { Id: BaseKey });
            if (baseStmt is not null)
            {
                var baseValue = new PyInterpreter(source, new PyDict(), _budget).Eval(baseStmt.Value);
                var bases = baseValue is PyList l ? l.Items : new List<object?> { baseValue };
                foreach (var b in bases)
                {
                    var at = source.Where(baseStmt.Line, baseStmt.Column);
                    if (b is not string relative)
                        throw new InitCfgException(ErrorIds.ConfigEvaluationError, at, $"{at}: _base_ must name config files, but holds a {PyOps.TypeName(b)}.");
                    var (path, scope) = ResolveBase(relative, file, at);
                    var cfg = Path.GetExtension(path).ToLowerInvariant() == ".py" ? LoadClassic(path, at) : FromDataFile(path, at, interpreter);
                    var duplicate = cfg.Keys.FirstOrDefault(baseCfg.Contains);
                    if (duplicate is not null)
                        throw new InitCfgException(ErrorIds.DuplicateKey, at, $"{at}: key '{duplicate}' is defined by more than one _base_ file (MMEngine refuses duplicate keys among bases).");
                    foreach (var (k, v) in ToConfigDictScoped(cfg, scope, true, interpreter, 0).Items) baseCfg.Set(k, v);
                }
            }

            interpreter.Run(stmts.Where(s => !(s is PyNode.Assign a && a.Targets.Count == 1 && a.Targets[0] is PyNode.Name { Id: BaseKey })));

            var result = new PyDict();
            foreach (var (k, v) in globals.Items)
            {
                if (k is not string key || key == BaseKey || IsHidden(key, v) || interpreter.ImportedNames.Contains(key) && v is PyLazy) continue;
                result.Set(key, v);
            }
            // _substitute_base_vars deep-copies at every level, so values shared between names become separate copies.
            result = (PyDict)interpreter.CopyUnshared(result, 0)!;
            SubstituteBaseVariables(result, baseCfg, source, 0);
            var merged = MergeAIntoB(result, baseCfg, interpreter, file, 0);
            foreach (var key in merged.Keys.OfType<string>().Where(k => k.StartsWith("__", StringComparison.Ordinal)).ToList()) merged.Remove(key);
            return merged;
        }
        finally { Leave(); }
    }

    // A YAML or JSON file can be a _base_ too; its own _base_ list is read the same way.
    private PyDict FromDataFile(string path, string? at, PyInterpreter interpreter)
    {
        Enter(path, at);
        try
        {
            var tree = ConfigReader.FromDataFile(path);
            if (tree is not ConfigMap map) throw new InitCfgException(ErrorIds.ConfigNotMapping, path, $"{path}: a _base_ file must hold a mapping.");
            var dict = (PyDict)FromTree(map)!;
            var baseCfg = new PyDict(isConfigDict: true);
            if (dict.TryGet(BaseKey, out var bases))
            {
                foreach (var b in bases is PyList l ? l.Items : new List<object?> { bases })
                {
                    if (b is not string relative) continue;
                    var (basePath, scope) = ResolveBase(relative, path, path);
                    var cfg = Path.GetExtension(basePath).ToLowerInvariant() == ".py" ? LoadClassic(basePath, path) : FromDataFile(basePath, path, interpreter);
                    foreach (var (k, v) in ToConfigDictScoped(cfg, scope, true, interpreter, 0).Items) baseCfg.Set(k, v);
                }
                dict.Remove(BaseKey);
            }
            return MergeAIntoB(dict, baseCfg, interpreter, path, 0);
        }
        finally { Leave(); }
    }

    private static object? FromTree(object? v) => v switch
    {
        ConfigMap m => m.Aggregate(new PyDict(), (d, e) => { d.Set(e.Key, FromTree(e.Value)); return d; }),
        IReadOnlyList<object?> l => new PyList(l.Select(FromTree).ToList()),
        _ => v,
    };

    private static (string Path, string? Scope) ResolveBase(string relative, string file, string at)
    {
        var dir = Path.GetDirectoryName(file)!;
        int sep = relative.IndexOf("::", StringComparison.Ordinal);
        if (sep < 0)
        {
            var local = Path.GetFullPath(Path.Combine(dir, relative));
            if (!File.Exists(local))
                throw new InitCfgException(ErrorIds.ConfigFileNotFound, at, $"{at}: base config '{relative}' ({local}) does not exist.");
            return (local, null);
        }
        // `mmdet::x/y.py` is configs/x/y.py of the package's tree: the nearest folder above this file holding it.
        var scope = relative[..sep];
        var rest = relative[(sep + 2)..];
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "configs", rest);
            if (File.Exists(candidate)) return (candidate, scope);
        }
        throw new InitCfgException(ErrorIds.ConfigFileNotFound, at,
            $"{at}: base config '{relative}' was looked for as configs/{rest} in every folder above {dir}, and is in none (InitCfg reads the {scope} tree the config lives in).");
    }

    private static string SubstitutePredefined(string text, string file)
    {
        var values = new Dictionary<string, string>
        {
            ["fileDirname"] = Path.GetDirectoryName(file)!,
            ["fileBasename"] = Path.GetFileName(file),
            ["fileBasenameNoExtension"] = Path.GetFileNameWithoutExtension(file),
            ["fileExtname"] = Path.GetExtension(file),
        };
        foreach (var (key, value) in values)
            text = Regex.Replace(text, @"\{\{\s*" + key + @"\s*\}\}", value.Replace('\\', '/').Replace("$", "$$"));
        return text;
    }

    private string SubstituteEnvironment(string text, string file) =>
        Regex.Replace(text, @"\{\{['""]?\s*\$(\w+)\s*\:\s*(\S*?)\s*['""]?\}\}", m =>
        {
            var value = _environment(m.Groups[1].Value);
            if (string.IsNullOrEmpty(value)) value = m.Groups[2].Value;
            if (value.Length == 0)
                throw new InitCfgException(ErrorIds.ConfigEvaluationError, file,
                    $"{file}: environment variable '{m.Groups[1].Value}' is not set and the config gives no default.");
            return value;
        });

    // Config._substitute_base_vars: a whole value that was {{_base_.x.y}} becomes the base value itself; inside a
    // longer string it becomes the value's text.
    private static void SubstituteBaseVariables(object? node, PyDict baseCfg, PySource source, int depth)
    {
        PyOps.Guard(depth);
        object? Replace(object? v)
        {
            if (v is not string s || s.IndexOf(Marker) < 0) { SubstituteBaseVariables(v, baseCfg, source, depth + 1); return v; }
            if (s.Length > 2 && s[0] == Marker && s[^1] == Marker && s.IndexOf(Marker, 1) == s.Length - 1) return BaseValue(s[1..^1]);
            return Regex.Replace(s, "\"?" + Marker + @"([\w\.]+)" + Marker + "\"?", m => PyOps.Str(BaseValue(m.Groups[1].Value)));
        }
        object? BaseValue(string dotted)
        {
            object? current = baseCfg;
            foreach (var part in dotted.Split('.'))
            {
                if (current is PyDict d && d.TryGet(part, out var next)) current = next;
                else throw new InitCfgException(ErrorIds.ConfigKeyNotFound, source.File, $"{source.File}: {{{{_base_.{dotted}}}}} names no value of the base files ('{part}' is missing).");
            }
            return current;
        }
        switch (node)
        {
            case PyDict d:
                foreach (var (k, v) in d.Items.ToList()) d.Set(k, Replace(v));
                break;
            case PyList l:
                for (int i = 0; i < l.Count; i++) l.Items[i] = Replace(l.Items[i]);
                break;
        }
    }

    // Config._merge_a_into_b: dicts merge key by key unless the child says _delete_=True; everything else replaces.
    private PyDict MergeAIntoB(PyDict a, PyDict b, PyInterpreter interpreter, string file, int depth)
    {
        PyOps.Guard(depth);
        var result = new PyDict(b.IsConfigDict);
        foreach (var (k, v) in b.Items) result.Set(k, v);
        foreach (var (k, v) in a.Items)
        {
            if (v is PyDict child)
            {
                bool delete = false;
                if (result.Contains(k))
                {
                    if (child.TryGet(DeleteKey, out var flag)) { child.Remove(DeleteKey); delete = PyOps.Truthy(flag); }
                }
                if (result.TryGet(k, out var existing) && !delete)
                {
                    if (existing is not PyDict baseDict)
                        throw new InitCfgException(ErrorIds.ConfigEvaluationError, file,
                            $"{file}: {k}={PyRepr.Short(ToTree(child, ConfigPath.Empty, new ConfigLimits(), 0), 120)} in the child config cannot inherit from the base because {k} is a dict in the child config but a {PyOps.TypeName(existing)} in the base. Set `_delete_=True` to ignore the base.");
                    result.Set(k, interpreter.Hook(MergeAIntoB(child, baseDict, interpreter, file, depth + 1), null, 0));
                }
                else result.Set(k, interpreter.ToConfigDict(child, null, 0));
            }
            else result.Set(k, result.IsConfigDict ? interpreter.Hook(v, null, 0) : v);
        }
        return result;
    }

    // Config._dict_to_config_dict: every dict becomes a new ConfigDict; with a scope (mmdet::), the outermost
    // dicts that have a type get _scope_.
    private static object? ToConfigDictScoped(object? v, string? scope, bool hasScope, PyInterpreter interpreter, int depth)
    {
        PyOps.Guard(depth);
        switch (v)
        {
            case PyDict d:
            {
                if (hasScope && d.Contains("type"))
                {
                    hasScope = false;
                    if (scope is not null && (!d.TryGet("_scope_", out var s) || s is null)) d.Set("_scope_", scope);
                }
                var copy = new PyDict(isConfigDict: true);
                foreach (var (k, value) in d.Items) copy.Set(k, ToConfigDictScoped(value, scope, hasScope, interpreter, depth + 1));
                return copy;
            }
            case PyList l: return new PyList(l.Items.Select(i => ToConfigDictScoped(i, scope, hasScope, interpreter, depth + 1)).ToList(), l.Tuple) { Set = l.Set };
            default: return v;
        }
    }

    private static PyDict ToConfigDictScoped(PyDict d, string? scope, bool hasScope, PyInterpreter interpreter, int depth) =>
        (PyDict)ToConfigDictScoped((object)d, scope, hasScope, interpreter, depth)!;

    #endregion

    #region Lazy-import style

    private (PyDict Cfg, HashSet<string> Imported) LoadLazy(string file, string? where)
    {
        Enter(file, where);
        try
        {
            var source = new PySource(ConfigReader.ReadText(file), file);
            var stmts = PyParser.ParseFile(source);
            var baseAssign = stmts.OfType<PyNode.Assign>().FirstOrDefault(a => a.Targets[0] is PyNode.Name { Id: BaseKey });
            if (baseAssign is not null)
                throw new InitCfgException(ErrorIds.UnsupportedConfigConstruct, source.Where(baseAssign.Line, baseAssign.Column),
                    $"{source.Where(baseAssign.Line, baseAssign.Column)}: a lazy-import style config (with read_base() or imports) cannot also use `_base_ = ...`; MMEngine refuses this mix too.");
            var globals = new PyDict();
            var imported = new HashSet<string>(StringComparer.Ordinal);
            var bases = new Dictionary<string, PyDict>(StringComparer.Ordinal);
            PyInterpreter? interpreter = null;
            void BaseImport(PyNode.ImportFrom f)
            {
                var at = source.Where(f.Line, f.Column);
                var module = new string('.', f.Level) + f.Module;
                if (!bases.TryGetValue(module, out var cfg))
                {
                    var (baseCfg, baseImported) = LoadLazy(ResolveModule(f, file, at), at);
                    imported.UnionWith(baseImported);
                    bases[module] = cfg = baseCfg;
                }
                foreach (var (name, asName) in f.Names)
                {
                    if (name == "*") { foreach (var (k, v) in cfg.Items) globals.Set(k, v); continue; }
                    if (!cfg.TryGet(name, out var value))
                        throw new InitCfgException(ErrorIds.ConfigKeyNotFound, at, $"{at}: cannot import name '{name}' from '{module}'.");
                    globals.Set(asName ?? name, value);
                }
            }
            interpreter = new PyInterpreter(source, globals, _budget, BaseImport);
            // MMEngine applies `with read_base():` imports while it transforms the file, before any statement runs, so
            // the file's own names (an import of the same class from another module) win over the bases' whatever the
            // order of the lines.
            interpreter.Run(stmts.Where(s => s is PyNode.With).Concat(stmts.Where(s => s is not PyNode.With)).ToList());
            imported.UnionWith(interpreter.ImportedNames);
            var ret = new PyDict(isConfigDict: true);
            foreach (var (k, v) in globals.Items)
                if (k is string key && !key.StartsWith("__", StringComparison.Ordinal)) ret.Set(key, ToConfigDictScoped(v, null, false, interpreter, 0));
            return (ret, imported);
        }
        finally { Leave(); }
    }

    private static string ResolveModule(PyNode.ImportFrom f, string file, string at)
    {
        if (f.Module.Length == 0)
            throw new InitCfgException(ErrorIds.UnsupportedConfigConstruct, at, $"{at}: 'from . import x' inside 'with read_base():' (MMEngine refuses it too).");
        string path;
        var relative = f.Module.Replace('.', Path.DirectorySeparatorChar) + ".py";
        if (f.Level > 0)
        {
            var dir = Path.GetDirectoryName(file)!;
            for (int i = 1; i < f.Level; i++) dir = Path.GetDirectoryName(dir) ?? dir;
            path = Path.Combine(dir, relative);
        }
        else
        {
            // `from mmdet.configs.x import *`: the package folder is found above the config, as an installed tree.
            var package = f.Module.Split('.')[0];
            path = "";
            for (var d = new DirectoryInfo(Path.GetDirectoryName(file)!); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, relative);
                if (Directory.Exists(Path.Combine(d.FullName, package)) && File.Exists(candidate)) { path = candidate; break; }
            }
        }
        if (path.Length == 0 || !File.Exists(path))
            throw new InitCfgException(ErrorIds.ConfigFileNotFound, at, $"{at}: base config module '{new string('.', f.Level)}{f.Module}' ({(path.Length == 0 ? relative : path)}) does not exist.");
        return Path.GetFullPath(path);
    }

    #endregion

    #region Conversion

    /// <summary>The config tree of a value: dicts become <see cref="ConfigMap"/>, tuples <see cref="ConfigTuple"/>, imported classes their dotted names.</summary>
    public static object? ToTree(object? v, ConfigPath path, ConfigLimits limits, int depth)
    {
        limits.Visit(path, depth);
        switch (v)
        {
            case null or bool or long or double: return v;
            case string s: return ConfigLimits.Scalar(s, path);
            case PyLazy lazy: return lazy.FullName;
            case PyDict d:
            {
                var map = ConfigMap.WithExactKeys();
                foreach (var (k, value) in d.Items)
                {
                    var key = ConfigLimits.Scalar(k as string ?? PyOps.Str(k), path);
                    map.Set(key, ToTree(value, path.Key(key), limits, depth + 1));
                }
                return map;
            }
            case PyList { Tuple: true } t: return new ConfigTuple(t.Items.Select((item, i) => ToTree(item, path.Index(i), limits, depth + 1)));
            case PyList l: return l.Items.Select((item, i) => ToTree(item, path.Index(i), limits, depth + 1)).ToList();
            case PyCallable { Inert: true } f:
                throw new InitCfgException(ErrorIds.UnsupportedConfigValue, path.ToString(), $"{path} is a function ({f.Name}, defined at {f.Where}), which a config tree cannot hold.");
            default:
                throw new InitCfgException(ErrorIds.UnsupportedConfigValue, path.ToString(), $"{path} is a {PyOps.TypeName(v)} ({PyOps.Str(v)}), which a config tree cannot hold.");
        }
    }

    #endregion
}
