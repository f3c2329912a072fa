#nullable enable
using InitCfg.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace InitCfg.Core.Configs;

/// <summary>
/// Builds a config tree from YamlDotNet's event stream with an explicit stack, never recursion: YamlDotNet's
/// representation model recurses per level (and loops forever on some alias keys), so a hostile file could
/// overflow the stack and kill the process. Aliases share the anchored value and count its size against the
/// limits, so an alias bomb is refused without being expanded.
/// </summary>
internal static class YamlTreeReader
{
    private sealed class Frame
    {
        public Frame(object container, ConfigPath path, string? anchor, ParsingEvent start) { Container = container; Path = path; Anchor = anchor; Start = start; }
        public ParsingEvent Start { get; }
        public object Container { get; }
        public ConfigPath Path { get; }
        public string? Anchor { get; }
        public string? PendingKey;
        public long Size = 1;
    }

    public static object? Read(string text, ConfigPath root)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, (object? Value, long Size)>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        object? result = null;
        bool haveResult = false;
        long total = 0;

        void Count(long n, ConfigPath path)
        {
            total += n;
            if (total > ConfigLimits.MaxNodes)
                throw new InitCfgException(ErrorIds.ConfigTooLarge, path.ToString(), $"the config holds more than {ConfigLimits.MaxNodes:N0} values (YAML aliases count once per use).");
        }

        ConfigPath Here() => stack.Count == 0 ? root
            : stack.Peek() is { Container: List<object?> l } f ? f.Path.Index(l.Count)
            : stack.Peek().Path.Key(stack.Peek().PendingKey ?? "?");

        // Puts a finished value into its parent (or makes it the document), returning false for a mapping key.
        void Emit(object? value, long size)
        {
            if (stack.Count == 0) { if (!haveResult) { result = value; haveResult = true; } return; }
            var parent = stack.Peek();
            parent.Size += size;
            switch (parent.Container)
            {
                case List<object?> list:
                    list.Add(value);
                    break;
                case ConfigMap map when parent.PendingKey is null:
                    if (value is not string key)
                        throw new InitCfgException(ErrorIds.UnsupportedConfigValue, parent.Path.ToString(), $"{parent.Path}: mapping keys must be plain strings.");
                    ConfigReader.AddUnique(map, key, null, parent.Path); // refuses a key given twice
                    parent.PendingKey = key;
                    break;
                case ConfigMap map:
                    map.Set(parent.PendingKey, value);
                    parent.PendingKey = null;
                    break;
            }
        }

        Mark last = Mark.Empty;
        while (Next())
        {
            last = parser.Current!.End;
            switch (parser.Current)
            {
                case Scalar s:
                {
                    var path = Here();
                    Count(1, path);
                    var textValue = ConfigLimits.Scalar(s.Value ?? "", path);
                    bool isKey = stack.Count > 0 && stack.Peek().Container is ConfigMap && stack.Peek().PendingKey is null;
                    object? value = isKey ? textValue : s.Style is ScalarStyle.Plain && s.Tag.IsEmpty ? ConfigReader.PlainScalar(textValue) : textValue;
                    if (!s.Anchor.IsEmpty) anchors[s.Anchor.Value] = (value, 1);
                    Emit(value, 1);
                    break;
                }
                case AnchorAlias a:
                {
                    var path = Here();
                    if (stack.Count > 0 && stack.Peek().Container is ConfigMap && stack.Peek().PendingKey is null)
                        throw new InitCfgException(ErrorIds.UnsupportedConfigValue, path.ToString(), $"{path}: an alias (*{a.Value}) cannot be a mapping key.");
                    if (!anchors.TryGetValue(a.Value.Value, out var anchored))
                        throw new InitCfgException(ErrorIds.ConfigFileUnreadable, path.ToString(), $"alias *{a.Value} refers to no anchor defined before it.");
                    Count(anchored.Size, path);
                    Emit(anchored.Value, anchored.Size);
                    break;
                }
                case MappingStart m:
                    Open(new ConfigMap(), m.Anchor.IsEmpty ? null : m.Anchor.Value, m);
                    break;
                case SequenceStart q:
                    Open(new List<object?>(), q.Anchor.IsEmpty ? null : q.Anchor.Value, q);
                    break;
                case MappingEnd or SequenceEnd:
                {
                    var done = stack.Pop();
                    if (done.Anchor is not null) anchors[done.Anchor] = (done.Container, done.Size);
                    Emit(done.Container, done.Size);
                    break;
                }
                case DocumentEnd when haveResult:
                    return result;
            }
        }
        return result;

        // YamlDotNet throws InvalidOperationException (no line, no column) when the text ends inside an unclosed flow
        // collection: name the collection that is still open and where it began.
        bool Next()
        {
            try { return parser.MoveNext(); }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                var open = stack.FirstOrDefault(f => f.Start is SequenceStart { Style: SequenceStyle.Flow } or MappingStart { Style: MappingStyle.Flow });
                var why = open switch
                {
                    { Start: SequenceStart } => $"the flow sequence '[' opened at line {open.Start.Start.Line}, column {open.Start.Start.Column} is never closed (expected ']')",
                    { Start: MappingStart } => $"the flow mapping '{{' opened at line {open.Start.Start.Line}, column {open.Start.Start.Column} is never closed (expected '}}')",
                    _ => $"the text ends where more was expected ({e.Message})",
                };
                throw new YamlException(last, last, why, e);
            }
        }

        void Open(object container, string? anchor, ParsingEvent start)
        {
            var path = Here();
            if (stack.Count >= ConfigLimits.MaxDepth)
                throw new InitCfgException(ErrorIds.ConfigTooLarge, path.ToString(), $"the config nests deeper than {ConfigLimits.MaxDepth} levels.");
            if (stack.Count > 0 && stack.Peek().Container is ConfigMap && stack.Peek().PendingKey is null)
                throw new InitCfgException(ErrorIds.UnsupportedConfigValue, path.ToString(), $"{path}: mapping keys must be plain strings.");
            Count(1, path);
            stack.Push(new Frame(container, path, anchor, start));
        }
    }
}
