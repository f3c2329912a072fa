#nullable enable
namespace InitCfg.Core.Configs.PrettyText;

/// <summary>
/// yapf 0.32's <c>FormatDecisionState</c> under MMEngine's style (pep8, 79 columns,
/// <c>split_before_expression_after_opening_paren</c>), for the tokens MMEngine's pretty text holds: where the next
/// token goes if the line breaks before it, whether it must or may break there, and the penalty of each choice.
/// Branches of yapf for constructs the text never holds (comments, definitions, comprehensions, subscripts,
/// operators other than unary minus) are left out.
/// </summary>
internal sealed class DecisionState
{
    public const int ColumnLimit = 79;
    private const int ContinuationIndent = 4;
    private const int SplitPenaltyForAddedLineSplit = 30;
    private const int SplitPenaltyExcessCharacter = 7000;

    private readonly int _firstIndent;

    public DecisionState(LogicalLine line, int firstIndent)
    {
        NextToken = line.First;
        Column = firstIndent;
        _firstIndent = firstIndent;
        Stack = new List<ParenState> { new(firstIndent, firstIndent) };
    }

    private DecisionState(DecisionState other)
    {
        NextToken = other.NextToken;
        Column = other.Column;
        ParenLevel = other.ParenLevel;
        LowestLevelOnLine = other.LowestLevelOnLine;
        IgnoreStackForComparison = other.IgnoreStackForComparison;
        _firstIndent = other._firstIndent;
        // Copy on write: a state only ever changes the top two levels of its stack (and its parent state only its top
        // one), so the levels below are shared between the states of a search.
        Stack = new List<ParenState>(other.Stack);
        for (int i = Math.Max(0, Stack.Count - 2); i < Stack.Count; i++) Stack[i] = Stack[i].Clone();
    }

    public FormatToken? NextToken { get; private set; }

    public int Column { get; private set; }

    public int ParenLevel { get; private set; }

    public int LowestLevelOnLine { get; private set; }

    public bool IgnoreStackForComparison { get; set; }

    public List<ParenState> Stack { get; }

    public DecisionState Clone() => new(this);

    /// <summary>The state's identity in the search's seen set (yapf's <c>__hash__</c> / <c>__eq__</c>).</summary>
    public int Hash => HashCode.Combine(NextToken?.Index ?? -1, Column, ParenLevel, LowestLevelOnLine);

    public bool SameAs(DecisionState other) =>
        NextToken == other.NextToken && Column == other.Column && ParenLevel == other.ParenLevel && LowestLevelOnLine == other.LowestLevelOnLine &&
        (IgnoreStackForComparison || other.IgnoreStackForComparison || SameStack(other));

    private bool SameStack(DecisionState other)
    {
        if (Stack.Count != other.Stack.Count) return false;
        for (int i = 0; i < Stack.Count; i++)
            if (!ReferenceEquals(Stack[i], other.Stack[i]) && !Stack[i].Equals(other.Stack[i])) return false;
        return true;
    }

    public bool CanSplit(bool mustSplit)
    {
        var current = NextToken!;
        if (!mustSplit && current.Has(FormatSubtype.DictionaryKeyPart) && !current.Has(FormatSubtype.DictionaryKey)) return false;
        return current.CanBreakBefore;
    }

    public bool MustSplit()
    {
        var current = NextToken!;
        var previous = current.Previous;
        if (current.MustBreakBefore) return true;
        if (previous is null) return false;

        if (Stack[^1].SplitBeforeClosingBracket && current.Value is "}" or "]")
            return current.NodeSplitPenalty != LogicalLine.Unbreakable;

        if (current.Value == ")" && previous.Value == "," && !IsSingleElementTuple(current.MatchingBracket!)) return true;

        // split_before_expression_after_opening_paren: an expression wrapped in parentheses.
        if (current.IsName && previous.Value == "(" && IsSurroundedByBrackets(previous) is null)
        {
            var pp = previous.Previous;
            if (pp is not null && !pp.IsName && !pp.IsKeyword && SurroundedByParens(current)) return true;
        }

        if ((current.IsName || current.IsString) && previous.Value == ",")
        {
            // A function call in a list that does not fit: split before each call.
            var tok = current.Next;
            bool call = false;
            if (current.IsName)
            {
                while (tok is not null && (tok.IsName || tok.Value == ".")) tok = tok.Next;
                call = tok is not null && tok.Value == "(";
            }
            if (call && IsSurroundedByBrackets(current) is { } openBracket)
            {
                if (openBracket.Value is "[" or "{")
                {
                    if (!FitsOnLine(openBracket, openBracket.MatchingBracket!)) return true;
                }
                else if (tok!.Value == "(" && !FitsOnLine(current, tok.MatchingBracket!)) return true;
            }
        }

        if (current.OpensScope && previous.Value == "," && !(current.Next?.Has(FormatSubtype.DictionaryKey) ?? false))
        {
            if (IsSurroundedByBrackets(current) is { Value: "[" or "{" } && !FitsOnLine(current, current.MatchingBracket!)) return true;
        }

        // each_dict_entry_on_separate_line.
        if (current.Has(FormatSubtype.DictionaryKey))
        {
            if (previous.Value == "{" && previous.Previous is { } beforeBrace)
            {
                var opening = GetOpeningBracket(beforeBrace);
                if (opening is { Value: "(" } && opening.Previous is { IsName: true })
                {
                    if (FitsOnLine(previous, previous.MatchingBracket!) && previous.MatchingBracket!.Next is not null &&
                        (opening.MatchingBracket!.Next is null || opening.MatchingBracket.Next.Value != ".") && ScopeHasNoCommas(previous))
                        return false;
                }
            }
            return true;
        }

        if (current.Has(FormatSubtype.DictionaryValue) && !current.OpensScope)
        {
            var opening = GetOpeningBracket(current);
            if (!EachDictEntryFitsOnOneLine(opening!)) return true;
        }

        if (previous.Value == "{")
        {
            var closing = previous.MatchingBracket!;
            if (!FitsOnLine(previous, closing) && closing.Previous!.Value == ",")
            {
                Stack[^1].SplitBeforeClosingBracket = true;
                return true;
            }
        }

        // split_before_named_assigns.
        if (current.Has(FormatSubtype.DefaultOrNamedAssignArgList))
        {
            if (previous.Value is not ("=" or ":" or "*" or "**") && current.Value is not (":" or "=" or "," or ")" or ":=" or "=," or ",)"))
            {
                if (previous.Value == "(")
                {
                    if (FitsOnLine(previous, previous.MatchingBracket!) && IsSurroundedByBrackets(previous) is not null) return false;
                    return Column - Stack[^1].LastSpace > ContinuationIndent;
                }
                var opening = GetOpeningBracket(current);
                if (opening is not null) return !ContainerFitsOnStartLine(opening);
            }
        }

        if (current.Value is not ("{" or ")") && previous.Value == "(" && ArgumentListHasDictionaryEntry(current)) return true;

        if (current.IsName && previous.Value == ",")
        {
            var opening = GetOpeningBracket(current);
            if (opening is { Value: "(" } && opening.Previous is { IsName: true })
            {
                var call = current;
                bool isCall = false;
                while (call is not null)
                {
                    if (call.Value == "(") { isCall = true; break; }
                    if (!call.IsName && call.Value != ".") break;
                    call = call.Next;
                }
                if (isCall)
                {
                    var after = call!.MatchingBracket!.Next;
                    if (!FitsOnLine(current, call.MatchingBracket) || (after is not null && after.Value != "," && !after.ClosesScope)) return true;
                }
            }
        }

        var pprevious = previous.Previous;
        if (current.Value == "{" && previous.Value == "(" && pprevious is { IsName: true })
        {
            var dictEnd = current.MatchingBracket!;
            if (dictEnd.Next!.Value == "," && !FitsOnLine(current, dictEnd)) return true;
        }

        if (current.IsName && pprevious is { IsName: true } && previous.Value == "(")
        {
            if (!FitsOnLine(previous, previous.MatchingBracket!) && IsFunctionCallWithArguments(current)) return true;
        }

        if (previous.OpensScope && !current.OpensScope)
        {
            if (previous.Value == "(")
            {
                var pp = previous.Previous;
                if (pp is null || !pp.IsName)
                {
                    if (FitsOnLine(previous, previous.MatchingBracket!)) return false;
                }
                else if (!FitsOnLine(previous, previous.MatchingBracket!))
                {
                    if (previous.ContainerElements.Count == 1) return false;
                    var elements = previous.ContainerElements.Append(previous.MatchingBracket!).ToList();
                    for (int i = 1; i < elements.Count; i++)
                        if (!elements[i - 1].OpensScope && !FitsOnLine(elements[i - 1], elements[i])) return true;
                    if ((ColumnLimit - Column) / (double)ColumnLimit < 0.3) return true;
                }
            }
            else if (!FitsOnLine(previous, previous.MatchingBracket!)) return true;
        }
        return false;
    }

    /// <summary>Places the line's first token (yapf's reformatter does this before any decision).</summary>
    public void AddFirstToken() => MoveStateToNextToken();

    /// <summary>Places the next token (after a line break or not) and returns the penalty of doing so.</summary>
    public int AddTokenToState(bool newline, bool mustSplit, out int spaces)
    {
        int penalty = 0;
        if (newline) penalty = AddTokenOnNewline(mustSplit, out spaces);
        else spaces = AddTokenOnCurrentLine();
        return MoveStateToNextToken() + penalty;
    }

    private int AddTokenOnCurrentLine()
    {
        var current = NextToken!;
        var previous = current.Previous!;
        int spaces = current.SpacesRequiredBefore;
        if (previous.OpensScope)
        {
            // align_closing_bracket_with_visual_indent: the closing bracket lines up with the first item.
            Stack[^1].ClosingScopeIndent = Column;
            Stack[^1].Indent = Column + spaces;
        }
        Column += spaces;
        return spaces;
    }

    private int AddTokenOnNewline(bool mustSplit, out int column)
    {
        var current = NextToken!;
        var previous = current.Previous!;
        Column = GetNewlineColumn();
        column = Column;
        Stack[^1].LastSpace = Column;
        LowestLevelOnLine = ParenLevel;
        if (previous.OpensScope)
        {
            Stack[^1].ClosingScopeIndent = Math.Max(0, Stack[^1].Indent - ContinuationIndent);
            Stack[^1].SplitBeforeClosingBracket = true;
        }
        int penalty = current.SplitPenalty;
        if (mustSplit) return penalty;
        var last = Stack[^1];
        last.NumLineSplits++;
        penalty += SplitPenaltyForAddedLineSplit * last.NumLineSplits;
        if (current.OpensScope && previous.OpensScope && previous.Previous is not { IsName: true }) penalty += 10;
        return penalty + 10;
    }

    private int MoveStateToNextToken()
    {
        var current = NextToken!;
        if (!current.OpensScope && !current.ClosesScope) LowestLevelOnLine = Math.Min(LowestLevelOnLine, ParenLevel);
        if (current.OpensScope)
        {
            var last = Stack[^1];
            Stack.Add(new ParenState(ContinuationIndent + last.LastSpace, last.LastSpace));
            ParenLevel++;
        }
        if (Stack.Count > 1 && current.ClosesScope)
        {
            Stack[^2].LastSpace = current.Has(FormatSubtype.DictionaryKeyPart) ? Stack[^2].Indent : Stack[^1].LastSpace;
            Stack.RemoveAt(Stack.Count - 1);
            ParenLevel--;
        }
        Column += current.Value.Length;
        NextToken = current.Next;
        return Column > ColumnLimit ? SplitPenaltyExcessCharacter * (Column - ColumnLimit) : 0;
    }

    private int GetNewlineColumn()
    {
        var current = NextToken!;
        var previous = current.Previous!;
        var top = Stack[^1];
        if (current.OpensScope) return ParenLevel > 0 ? top.Indent : _firstIndent;
        if (current.ClosesScope)
            return previous.OpensScope ? Math.Max(0, top.Indent - ContinuationIndent) : top.ClosingScopeIndent;
        return top.Indent;
    }

    private bool FitsOnLine(FormatToken start, FormatToken end) =>
        end.TotalLength - start.TotalLength + start.Value.Length + Column <= ColumnLimit;

    private bool ContainerFitsOnStartLine(FormatToken opening) =>
        opening.MatchingBracket!.TotalLength - opening.TotalLength + Stack[^1].Indent <= ColumnLimit;

    private bool EachDictEntryFitsOnOneLine(FormatToken opening)
    {
        var closing = opening.MatchingBracket!;
        var entryStart = opening.Next!;
        var current = opening.Next!.Next;
        while (current is not null && current != closing)
        {
            if (current.Has(FormatSubtype.DictionaryKey))
            {
                var prev = current.Previous!;
                // As yapf does: from a comma it steps back two tokens (to the value's last token but one).
                if (prev.Value == ",") prev = prev.Previous!.Previous!;
                if (!DictValueIsContainer(prev.MatchingBracket, prev))
                {
                    int length = prev.TotalLength - entryStart.TotalLength + entryStart.Value.Length;
                    if (length + Stack[^2].Indent >= ColumnLimit) return false;
                }
                entryStart = current;
            }
            if (current.OpensScope)
            {
                if (current.Value == "{")
                {
                    current = current.MatchingBracket;
                    while (current is not null)
                    {
                        if (current == closing) return true;
                        if (current.Has(FormatSubtype.DictionaryKey)) { entryStart = current; break; }
                        current = current.Next;
                    }
                }
                else current = current.MatchingBracket;
            }
            else current = current.Next;
        }
        var end = current!.Previous!;
        int total = end.TotalLength - entryStart.TotalLength + entryStart.Value.Length;
        return total + Stack[^2].Indent <= ColumnLimit;
    }

    private static bool DictValueIsContainer(FormatToken? opening, FormatToken? closing)
    {
        if (opening is null || closing is null) return false;
        var colon = opening.Previous;
        if (colon is null || colon.Value != ":") return false;
        var key = colon.Previous;
        return key is not null && key.Has(FormatSubtype.DictionaryKeyPart);
    }

    private bool ArgumentListHasDictionaryEntry(FormatToken token)
    {
        var bracket = IsSurroundedByBrackets(token);
        if (bracket is not { Value: "(" } || bracket.Previous is not { IsName: true }) return false;
        for (FormatToken? t = token; t is not null; t = t.Next)
        {
            if (t.Value == "{") return t.MatchingBracket!.TotalLength - t.TotalLength + Stack[^2].Indent > ColumnLimit;
            if (t.ClosesScope) break;
            if (t.OpensScope) t = t.MatchingBracket!;
        }
        return false;
    }

    private static bool IsFunctionCallWithArguments(FormatToken? token)
    {
        while (token is not null)
        {
            if (token.Value == "(") return token.Next is not null && token.Next.Value != ")";
            if (token.TokenName is not ("NAME" or "DOT" or "EQUAL")) break;
            token = token.Next;
        }
        return false;
    }

    // _GetOpeningBracket: a bracket's own opening bracket, or the one the token is in.
    private static FormatToken? GetOpeningBracket(FormatToken current) =>
        current.MatchingBracket is not null ? (current.OpensScope ? current : current.MatchingBracket) : current.Enclosing;

    private static FormatToken? IsSurroundedByBrackets(FormatToken tok) => tok.Enclosing;

    private static bool SurroundedByParens(FormatToken? token)
    {
        while (token is not null)
        {
            if (token.Value == ",") return false;
            if (token.Value == ")") return token.Next is null;
            token = token.OpensScope ? token.MatchingBracket!.Next : token.Next;
        }
        return false;
    }

    private static bool IsSingleElementTuple(FormatToken open)
    {
        var close = open.MatchingBracket;
        int commas = 0;
        for (var t = open.Next; t != close; t = t!.OpensScope ? t.MatchingBracket : t.Next)
            if (t!.Value == ",") commas++;
        return commas == 1;
    }

    private static bool ScopeHasNoCommas(FormatToken open)
    {
        var close = open.MatchingBracket;
        for (var t = open.Next; t != close; t = t!.OpensScope ? t.MatchingBracket : t.Next)
            if (t!.Value == ",") return false;
        return true;
    }
}
