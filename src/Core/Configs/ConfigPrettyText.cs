#nullable enable
using System.Text;

namespace InitCfg.Core.Configs;

/// <summary>
/// A config as Python text, laid out as MMEngine's <c>Config.pretty_text</c> returns it: keys sorted, <c>dict(...)</c>
/// for dicts (a <c>dict({'k': v})</c> display when a key is not an identifier), lists one item per line, reflowed as
/// yapf reflows MMEngine's <c>_format_dict</c> text. Reading the text back gives the same config.
/// </summary>
public static class ConfigPrettyText
{
    private const int Indent = 4;

    /// <summary>
    /// The text of a whole config (a dict of top-level names), as <c>Config.pretty_text</c> returns it: the
    /// <c>_format_dict</c> layout reflowed as yapf (pep8 style, 79 columns) reflows these literals.
    /// </summary>
    public static string Format(ConfigMap config)
    {
        var lines = new List<string>();
        foreach (var (k, v) in config.OrderBy(e => e.Key, StringComparer.Ordinal))
            Emit(Layout(k + " = ", v), 0, "", lines);
        return lines.Count == 0 ? "\n" : string.Join("\n", lines) + "\n";
    }

    private const int ColumnLimit = 79;

    // One literal as yapf sees it: a head (`key=`, `'key': ` or nothing), then either an atom or a bracketed list of
    // items. Lists and tuples end in a comma in _format_dict's text, and yapf keeps a comma-terminated container one
    // item per line with its closing bracket on a line of its own; a dict(...) call that does not fit puts each
    // keyword argument on its own line (pep8: split before named assigns) with `)` after the last one.
    private sealed record Node(string Head, string Atom, string Open, List<Node>? Items, string Close, bool Mapping);

    private static Node Layout(string head, object? v) => v switch
    {
        ConfigMap m when m.Keys.Any(k => !IsIdentifier(k)) => new Node(head, "", "dict({", Sorted(m).Select(e => Layout(PyRepr.Repr(e.Key) + ": ", e.Value)).ToList(), "})", true),
        ConfigMap m => new Node(head, "", "dict(", Sorted(m).Select(e => Layout(e.Key + "=", e.Value)).ToList(), ")", false),
        IReadOnlyList<object?> l => new Node(head, "", "[", l.Select(i => Layout("", i)).ToList(), "]", false),
        _ => new Node(head, Str(v), "", null, "", false),
    };

    private static IEnumerable<KeyValuePair<string, object?>> Sorted(ConfigMap m) => m.OrderBy(e => e.Key, StringComparer.Ordinal);

    private static bool CommaTerminated(Node n) => n.Open == "[" && n.Items!.Count > 0;

    // A node that holds a comma-terminated container anywhere can never be joined onto one line.
    private static bool MustSplit(Node n) => n.Items is { } items && (CommaTerminated(n) || items.Any(MustSplit));

    private static string Flat(Node n) => n.Items is null ? n.Head + n.Atom : n.Head + n.Open + string.Join(", ", n.Items.Select(Flat)) + n.Close;

    private static void Emit(Node n, int indent, string trailer, List<string> lines)
    {
        var pad = new string(' ', indent);
        if (!MustSplit(n) && indent + Flat(n).Length + trailer.Length <= ColumnLimit)
        {
            lines.Add(pad + Flat(n) + trailer);
            return;
        }
        var inner = indent + Indent;
        if (n.Items is null)
        {
            // An atom too long for its line: yapf breaks after `key=` and leaves the value at the same indent.
            if (trailer.StartsWith(')') && indent + Flat(n).Length <= ColumnLimit)
            {
                // It fits without the closing brackets, which then go on a line of their own.
                lines.Add(pad + Flat(n));
                lines.Add(new string(' ', Math.Max(0, indent - Indent)) + trailer);
            }
            else if (n.Head.EndsWith('=') && trailer.StartsWith(')'))
            {
                lines.Add(pad + n.Head);
                lines.Add(pad + n.Atom);
                lines.Add(new string(' ', Math.Max(0, indent - Indent)) + trailer);
            }
            else if (n.Head.EndsWith('='))
            {
                lines.Add(pad + n.Head);
                lines.Add(pad + n.Atom + trailer);
            }
            else lines.Add(pad + Flat(n) + trailer);
            return;
        }
        lines.Add(pad + n.Head + n.Open);
        if (!MustSplit(n) && !n.Mapping && n.Items.Count > 0)
        {
            // The arguments fit together on one continuation line: yapf keeps them there.
            var joined = string.Join(", ", n.Items.Select(Flat)) + n.Close + trailer;
            if (inner + joined.Length <= ColumnLimit)
            {
                lines.Add(new string(' ', inner) + joined);
                return;
            }
        }
        for (int i = 0; i < n.Items.Count; i++)
        {
            var item = n.Items[i];
            bool last = i == n.Items.Count - 1;
            var end = CommaTerminated(n) || !last ? "," : n.Close + trailer;
            if (n.Mapping && (MustSplit(item) || inner + Flat(item).Length + end.Length > ColumnLimit))
            {
                // yapf puts a dict-literal value that does not fit after its key on the next line, at the key's indent.
                lines.Add(new string(' ', inner) + item.Head.TrimEnd());
                Emit(item with { Head = "" }, inner, end, lines);
            }
            else Emit(item, inner, end, lines);
        }
        if (CommaTerminated(n)) lines.Add(pad + n.Close + trailer);
    }

    /// <summary>
    /// The pretty text of a dictionary as PowerShell holds it (for the console view of Import-InitConfig's output);
    /// a value that is not a config shows as a message instead of failing the display.
    /// </summary>
    public static string Show(object? value)
    {
        try
        {
            return ConfigReader.FromObject(value, ConfigPath.Empty) is ConfigMap map ? Format(map).TrimEnd('\n') : PyRepr.Short(value);
        }
        catch (Errors.InitCfgException e) { return $"<{e.Message}>"; }
    }

    private static string Str(object? v) => v is string s ? PyRepr.Repr(s) : PyRepr.Repr(v);

    private static bool IsIdentifier(string s) =>
        s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c == '_');
}
