#nullable enable
namespace InitCfg.Core.Configs.PrettyText;

/// <summary>
/// One token of a logical line with what yapf's <c>FormatToken</c> knows of it: neighbours, matching bracket,
/// container elements, subtypes, split penalty, whether a line break must / may come before it, and the length of
/// the line up to it when nothing is split (<c>total_length</c>).
/// </summary>
internal sealed class FormatToken
{
    public FormatToken(FormatNode leaf, int index)
    {
        Leaf = leaf;
        Index = index;
    }

    public FormatNode Leaf { get; }

    /// <summary>Position in the line: tokens are compared by identity, as yapf does.</summary>
    public int Index { get; }

    public string Value => Leaf.Value;

    public FormatTokenKind Kind => Leaf.Kind;

    public FormatToken? Previous { get; set; }

    public FormatToken? Next { get; set; }

    public FormatToken? MatchingBracket { get; set; }

    public List<FormatToken> ContainerElements { get; } = new();

    /// <summary>
    /// The innermost open bracket before this token that is still open (for a closing bracket, its own opening one):
    /// yapf's <c>IsSurroundedByBrackets</c>, which walks back over the line each time, computed once.
    /// </summary>
    public FormatToken? Enclosing { get; set; }

    public HashSet<FormatSubtype> Subtypes => Leaf.Subtypes;

    public bool Has(FormatSubtype s) => Leaf.Subtypes.Contains(s);

    public int NodeSplitPenalty => Leaf.Penalty;

    public int SplitPenalty { get; set; }

    public bool MustBreakBefore { get; set; }

    public bool CanBreakBefore { get; set; }

    public int SpacesRequiredBefore { get; set; }

    public int TotalLength { get; set; }

    public bool IsKeyword => Kind == FormatTokenKind.Name && Value is "True" or "False" or "None";

    public bool IsName => Kind == FormatTokenKind.Name && !IsKeyword;

    public bool IsString => Kind == FormatTokenKind.String;

    public bool OpensScope => Value is "(" or "[" or "{";

    public bool ClosesScope => Value is ")" or "]" or "}";

    /// <summary>lib2to3's token name (<c>NAME</c>, <c>EQUAL</c>, ...), which some of yapf's tests compare.</summary>
    public string TokenName => Kind.ToString().ToUpperInvariant();

    public override string ToString() => Value;
}
