#nullable enable
namespace InitCfg.Core.Configs.PrettyText;

/// <summary>yapf's <c>_ParenState</c>: the indentation of one open bracket level while a line is laid out.</summary>
internal sealed class ParenState : IEquatable<ParenState>
{
    public ParenState(int indent, int lastSpace)
    {
        Indent = indent;
        LastSpace = lastSpace;
    }

    public int Indent { get; set; }

    public int LastSpace { get; set; }

    public int ClosingScopeIndent { get; set; }

    public bool SplitBeforeClosingBracket { get; set; }

    public int NumLineSplits { get; set; }

    public ParenState Clone() => new(Indent, LastSpace)
    {
        ClosingScopeIndent = ClosingScopeIndent, SplitBeforeClosingBracket = SplitBeforeClosingBracket, NumLineSplits = NumLineSplits,
    };

    public bool Equals(ParenState? other) => other is not null && Indent == other.Indent && LastSpace == other.LastSpace &&
        ClosingScopeIndent == other.ClosingScopeIndent && SplitBeforeClosingBracket == other.SplitBeforeClosingBracket && NumLineSplits == other.NumLineSplits;

    public override bool Equals(object? obj) => Equals(obj as ParenState);

    public override int GetHashCode() => HashCode.Combine(Indent, LastSpace, ClosingScopeIndent, SplitBeforeClosingBracket, NumLineSplits);
}
