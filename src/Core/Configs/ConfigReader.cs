#nullable enable
using System.Collections;
using System.Globalization;
using System.Text.Json;
using InitCfg.Core.Errors;
using YamlDotNet.Core;

namespace InitCfg.Core.Configs;

/// <summary>
/// Turns hashtables, ordered dictionaries, lists, JSON and YAML into one tree of <see cref="ConfigMap"/>,
/// lists and scalars, keeping ints apart from floats.
/// </summary>
public static class ConfigReader
{
    /// <summary>Converts a .NET object graph (dictionaries, lists, numbers, strings) to the config tree.</summary>
    public static object? FromObject(object? raw, ConfigPath path) => FromObject(raw, path, new ConfigLimits(), 0);

    private static object? FromObject(object? raw, ConfigPath path, ConfigLimits limits, int depth)
    {
        limits.Visit(path, depth);
        switch (raw)
        {
            case null: return null;
            case ConfigMap map: return map;
            case IConfigSource source: return source.ToConfigTree();
            case string s: return ConfigLimits.Scalar(s, path);
            case char c: return c.ToString();
            case bool b: return b;
            case int or long or short or byte or sbyte or uint or ushort: return Convert.ToInt64(raw, CultureInfo.InvariantCulture);
            case ulong u: return u <= long.MaxValue ? (long)u : (double)u;
            case double or float: return Convert.ToDouble(raw, CultureInfo.InvariantCulture);
            case decimal m: return decimal.Truncate(m) == m && Math.Abs(m) < long.MaxValue ? (object)(long)m : (double)m;
            case JsonElement json: return FromJsonElement(json, path, limits, depth);
            case IDictionary dict:
            {
                var result = new ConfigMap();
                foreach (DictionaryEntry e in Ordered(dict))
                {
                    var key = ConfigLimits.Scalar(e.Key as string ?? Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", path);
                    AddUnique(result, key, FromObject(e.Value, path.Key(key), limits, depth + 1), path);
                }
                return result;
            }
            case object anonymous when IsAnonymous(anonymous.GetType()):
            {
                // C# callers write configs as `new { type = "Kaiming", layer = "Conv2d" }`: properties in declared order.
                var result = new ConfigMap();
                foreach (var p in anonymous.GetType().GetProperties())
                    AddUnique(result, p.Name, FromObject(p.GetValue(anonymous), path.Key(p.Name), limits, depth + 1), path);
                return result;
            }
            case ConfigTuple tuple: return new ConfigTuple(tuple.Select((item, i) => FromObject(item, path.Index(i), limits, depth + 1)));
            case IEnumerable list:
            {
                var result = new List<object?>();
                int i = 0;
                foreach (var item in list) { result.Add(FromObject(item, path.Index(i), limits, depth + 1)); i++; }
                return result;
            }
            default:
                throw new InitCfgException(ErrorIds.UnsupportedConfigValue, path.ToString(),
                    $"{path}: a config value must be a dictionary, an anonymous object, a list, a number, a string or a bool, but got a {raw.GetType().Name} ({raw}).");
        }
    }

    private static bool IsAnonymous(Type type) =>
        type.IsSealed && type.Name.Contains("AnonymousType", StringComparison.Ordinal) &&
        Attribute.IsDefined(type, typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute));

    // A Hashtable has no order; print its keys as MMEngine users write them: type first, override last.
    private static IEnumerable<DictionaryEntry> Ordered(IDictionary dict)
    {
        var entries = new List<DictionaryEntry>();
        var e = dict.GetEnumerator();
        while (e.MoveNext()) entries.Add(e.Entry);
        if (dict is not Hashtable) return entries;
        static int Rank(object key) => ConfigKeys.Normalize(key.ToString() ?? "") switch
        {
            "type" => 0,
            "name" => 1,
            "layer" => 3,
            "initcfg" => 4,
            "modules" => 5,
            "override" => 6,
            _ => 2,
        };
        return entries.OrderBy(e => Rank(e.Key)).ThenBy(e => e.Key.ToString(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Parses JSON text.</summary>
    public static object? FromJson(string text, ConfigPath path)
    {
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions
            {
                AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = ConfigLimits.MaxDepth,
            });
            return FromJsonElement(doc.RootElement, path, new ConfigLimits(), 0);
        }
        catch (JsonException e)
        {
            throw new InitCfgException(ErrorIds.ConfigFileUnreadable, path.ToString(), $"the text is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Parses YAML text (the first document); an error names the line and column (1-based).</summary>
    public static object? FromYaml(string text, ConfigPath path)
    {
        try { return YamlTreeReader.Read(text, path); }
        catch (YamlException e)
        {
            throw new InitCfgException(ErrorIds.ConfigFileUnreadable, path.ToString(), $"the text is not valid YAML: {Where(e)}{e.Message}", e);
        }
    }

    /// <summary>
    /// Reads config text given as a string: Python (<c>dict(type='Normal', std=0.01)</c>, <c>init_cfg = dict(...)</c>),
    /// JSON or YAML, told apart by its first characters.
    /// </summary>
    public static object? FromText(string text, ConfigPath path)
    {
        var t = text.TrimStart();
        if (t.StartsWith('{') || t.StartsWith('['))
        {
            try { return FromJson(text, path); }
            // JSON-looking text with True/None or single quotes is a Python display.
            catch (InitCfgException) { return Python.PythonConfig.ReadText(text); }
        }
        if (LooksLikePython(t)) return Python.PythonConfig.ReadText(text);
        return FromYaml(text, path);
    }

    /// <summary>True for text that starts like Python: a call such as <c>dict(</c> or an assignment <c>x = </c>.</summary>
    public static bool LooksLikePython(string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, @"^\s*(?:[A-Za-z_][\w.]*\s*\(|[A-Za-z_]\w*(?:\.\w+|\[[^\]]*\])*\s*[-+*/]?=[^=]|from\s+\S+\s+import\s|import\s|with\s+read_base)");

    // "line 3, column 7: " from YamlDotNet's mark (already 1-based), or nothing when it has none.
    private static string Where(YamlException e, string? file = null) =>
        e.Start.Line > 0 ? $"{file ?? "line "}{(file is null ? $"{e.Start.Line}, column {e.Start.Column}" : $":{e.Start.Line}:{e.Start.Column}")}: " : "";

    /// <summary>
    /// Reads a config file by its extension: .py as an MMEngine config (bases merged, no Python run), .yaml/.yml/.json
    /// as data (content sniffed when the extension says neither).
    /// </summary>
    public static object? FromFile(string file)
    {
        if (ConfigFiles.IsPython(file)) return Python.PythonConfig.ReadFile(file);
        var tree = FromDataFile(file);
        // A YAML/JSON config may inherit too (MMEngine reads _base_ in every format).
        return tree is ConfigMap map && map.Contains("_base_") ? Python.PythonConfig.ReadFile(file) : tree;
    }

    /// <summary>Reads a .yaml/.yml/.json file as it is, without resolving its _base_ files.</summary>
    internal static object? FromDataFile(string file)
    {
        var ext = Path.GetExtension(file).ToLowerInvariant();
        var text = ReadText(file);
        bool json = ext == ".json" || (ext is not ".yaml" and not ".yml" && text.TrimStart().StartsWith('{'));
        try
        {
            return json ? FromJson(text, ConfigPath.Empty) : FromYaml(text, ConfigPath.Empty);
        }
        catch (InitCfgException e) when (e.ErrorId == ErrorIds.ConfigFileUnreadable && e.InnerException is JsonException or YamlException)
        {
            var where = e.InnerException switch
            {
                YamlException y => Where(y, file),
                JsonException { LineNumber: { } line } j => $"{file}:{line + 1}:{(j.BytePositionInLine ?? 0) + 1}: ",
                _ => "",
            };
            throw new InitCfgException(ErrorIds.ConfigFileUnreadable, file,
                $"config file '{file}' is not valid {(json ? "JSON" : "YAML")}: {where}{e.InnerException!.Message}", e.InnerException);
        }
    }

    /// <summary>
    /// The text of a config file: it must exist, be a regular file (a FIFO would block, a device never ends), be at most
    /// <see cref="ConfigLimits.MaxFileBytes"/> whatever length it reports, and be UTF-8.
    /// </summary>
    internal static string ReadText(string file)
    {
        if (Directory.Exists(file))
            throw new InitCfgException(ErrorIds.ConfigFileUnreadable, file, $"config file '{file}' is a directory, not a file.");
        if (!File.Exists(file))
            throw new InitCfgException(ErrorIds.ConfigFileNotFound, file, $"config file '{file}' does not exist.");
        try
        {
            byte[] bytes;
            using (var fs = Files.RegularFile.OpenRead(file, what => new InitCfgException(ErrorIds.ConfigFileUnreadable, file,
                       $"config file '{file}' is {what}, not a regular file (only regular files are read).")))
                // A regular file's length is known, so a huge one is refused unread; the bounded read still guards a
                // file that grows while it is read.
                bytes = fs.Length > ConfigLimits.MaxFileBytes ? Array.Empty<byte>() : Files.RegularFile.ReadBounded(fs, ConfigLimits.MaxFileBytes);
            if (bytes.Length == 0 && new FileInfo(file).Length > ConfigLimits.MaxFileBytes || bytes.Length > ConfigLimits.MaxFileBytes)
                throw new InitCfgException(ErrorIds.ConfigTooLarge, file, $"config file '{file}' is larger than {ConfigLimits.MaxFileBytes >> 20} MiB.");
            int bom = bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }) ? 3 : 0;
            return StrictUtf8.GetString(bytes, bom, bytes.Length - bom);
        }
        catch (System.Text.DecoderFallbackException e)
        { throw new InitCfgException(ErrorIds.ConfigFileUnreadable, file, $"config file '{file}' is not valid UTF-8 text ({e.Message}).", e); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new InitCfgException(ErrorIds.ConfigFileUnreadable, file, $"config file '{file}' cannot be read: {e.Message}", e); }
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Two spellings of one key (bias_prob, BiasProb) or a key given twice is a mistake, not a silent overwrite.
    internal static void AddUnique(ConfigMap map, string key, object? value, ConfigPath path)
    {
        if (map.Contains(key))
        {
            var first = map.Keys.First(k => ConfigKeys.Same(k, key));
            throw new InitCfgException(ErrorIds.DuplicateKey, path.Key(key).ToString(),
                first == key ? $"key '{key}' is given twice." : $"'{first}' and '{key}' are the same key.");
        }
        map.Set(key, value);
    }

    private static object? FromJsonElement(JsonElement e, ConfigPath path, ConfigLimits limits, int depth)
    {
        limits.Visit(path, depth);
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new ConfigMap();
                foreach (var p in e.EnumerateObject())
                    AddUnique(map, ConfigLimits.Scalar(p.Name, path), FromJsonElement(p.Value, path.Key(p.Name), limits, depth + 1), path);
                return map;
            case JsonValueKind.Array:
                return e.EnumerateArray().Select((x, i) => FromJsonElement(x, path.Index(i), limits, depth + 1)).ToList();
            case JsonValueKind.String: return ConfigLimits.Scalar(e.GetString()!, path);
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Null: case JsonValueKind.Undefined: return null;
            case JsonValueKind.Number:
                var raw = e.GetRawText();
                if (raw.IndexOfAny(new[] { '.', 'e', 'E' }) < 0 && e.TryGetInt64(out var l)) return l;
                return e.GetDouble();
            default: return null;
        }
    }

    // YAML 1.2 core schema for plain scalars, so `1` is an int, `1.0` and `1e-5` are floats.
    internal static object? PlainScalar(string v)
    {
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return true;
            case "false" or "False" or "FALSE": return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf": return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF": return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN": return double.NaN;
        }
        if (System.Text.RegularExpressions.Regex.IsMatch(v, @"^[-+]?[0-9]+$") &&
            long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
        if (v.StartsWith("0x") && long.TryParse(v[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var h)) return h;
        if (System.Text.RegularExpressions.Regex.IsMatch(v, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$") &&
            double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        return v;
    }
}
