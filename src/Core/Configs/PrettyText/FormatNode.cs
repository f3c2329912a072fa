#nullable enable
namespace InitCfg.Core.Configs.PrettyText;

/// <summary>
/// A node of the parse tree of MMEngine's <c>_format_dict</c> text, as lib2to3 (so yapf) builds it: an inner node
/// named after its grammar rule (<c>power</c>, <c>trailer</c>, <c>arglist</c>, <c>argument</c>, <c>atom</c>,
/// <c>listmaker</c>, <c>testlist_gexp</c>, <c>dictsetmaker</c>, <c>factor</c>, <c>expr_stmt</c>) or a leaf holding one
/// token. Leaves carry the annotations yapf's passes put on them (split penalty, subtypes, must-split).
/// </summary>
internal sealed class FormatNode
{
    private FormatNode(string rule, FormatTokenKind kind, string value, List<FormatNode> children)
    {
        Rule = rule;
        Kind = kind;
        Value = value;
        Children = children;
        foreach (var c in children) c.Parent = this;
    }

    /// <summary>An inner node of a grammar rule; lib2to3 collapses a rule with one child, so callers do too.</summary>
    public static FormatNode Node(string rule, List<FormatNode> children) => new(rule, FormatTokenKind.None, "", children);

    public static FormatNode Leaf(FormatTokenKind kind, string value) => new("", kind, value, new List<FormatNode>());

    public string Rule { get; }

    public FormatTokenKind Kind { get; }

    public string Value { get; }

    public List<FormatNode> Children { get; }

    public FormatNode? Parent { get; private set; }

    public bool IsLeaf => Kind != FormatTokenKind.None;

    /// <summary>The rule name, or for a leaf its token name as lib2to3's <c>NodeName</c> gives it.</summary>
    public string Name => IsLeaf ? (Value == "," ? "COMMA" : Kind.ToString().ToUpperInvariant()) : Rule;

    // Annotations of leaves (pytree_utils.Annotation).
    public int Penalty { get; set; }

    public HashSet<FormatSubtype> Subtypes { get; } = new();

    public bool MustSplit { get; set; }

    /// <summary>The '(' whose container elements this leaf starts (identify_container).</summary>
    public FormatNode? OpeningBracket { get; set; }

    public FormatNode FirstLeaf => IsLeaf ? this : Children[0].FirstLeaf;

    public FormatNode LastLeaf => IsLeaf ? this : Children[^1].LastLeaf;

    public FormatNode? PrevSibling
    {
        get
        {
            if (Parent is null) return null;
            int i = Parent.Children.IndexOf(this);
            return i > 0 ? Parent.Children[i - 1] : null;
        }
    }

    public IEnumerable<FormatNode> Leaves() => IsLeaf ? new[] { this } : Children.SelectMany(c => c.Leaves());
}
