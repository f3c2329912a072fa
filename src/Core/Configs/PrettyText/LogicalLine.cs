#nullable enable
namespace InitCfg.Core.Configs.PrettyText;

/// <summary>
/// One top-level statement of MMEngine's <c>_format_dict</c> text (<c>key = value</c>) as yapf 0.32 sees it before it
/// reflows it: the lib2to3 tree of the statement built straight from the config value (the text MMEngine would parse
/// is never made), annotated by yapf's passes over that tree (subtype_assigner, identify_container, split_penalty,
/// pytree_unwrapper) and turned into tokens with their formatting information (logical_line).
/// </summary>
internal sealed class LogicalLine
{
    // split_penalty.py's constants.
    internal const int Unbreakable = 1000 * 1000;
    private const int NamedAssign = 15000;
    internal const int VeryStronglyConnected = 3500;
    internal const int StronglyConnected = 3000;
    private const int Connected = 500;
    private const int Together = 100;
    private const int Expr = 1400;
    private const int Factor = 2100;
    private const int Atom = 2300;
    private const int OneElementArgument = 500;

    // pep8 style, as MMEngine configures yapf.
    private const int SplitPenaltyAfterOpeningBracket = 300;
    private const int SplitPenaltyAfterUnaryOperator = 10000;

    private LogicalLine(List<FormatToken> tokens) => Tokens = tokens;

    public List<FormatToken> Tokens { get; }

    public FormatToken First => Tokens[0];

    public FormatToken Last => Tokens[^1];

    /// <summary>The logical line of <c>key = value</c> at the top of a config.</summary>
    public static LogicalLine Statement(string key, object? value)
    {
        var stmt = FormatNode.Node("expr_stmt", new List<FormatNode>
        {
            FormatNode.Leaf(FormatTokenKind.Name, key), FormatNode.Leaf(FormatTokenKind.Equal, "="), Value(value),
        });
        AssignSubtypes(stmt);
        IdentifyContainers(stmt);
        ComputeSplitPenalties(stmt);
        DetermineMustSplit(stmt);
        return Unwrap(stmt);
    }

    #region The tree MMEngine's text parses to

    private static FormatNode Leaf(FormatTokenKind kind, string value) => FormatNode.Leaf(kind, value);

    private static FormatNode Value(object? v)
    {
        switch (v)
        {
            case ConfigMap map: return DictCall(map);
            case ConfigTuple tuple: return Sequence("(", ")", FormatTokenKind.Lpar, FormatTokenKind.Rpar, "testlist_gexp", tuple);
            case IReadOnlyList<object?> list: return Sequence("[", "]", FormatTokenKind.Lsqb, FormatTokenKind.Rsqb, "listmaker", list);
            case string s: return Leaf(FormatTokenKind.String, PyRepr.Repr(s));
            case null or bool: return Leaf(FormatTokenKind.Name, PyRepr.Repr(v));
            default:
                var text = PyRepr.Repr(v);
                // A negative number is a unary minus applied to a number (lib2to3's factor).
                if (text.StartsWith('-'))
                    return FormatNode.Node("factor", new List<FormatNode> { Leaf(FormatTokenKind.Minus, "-"), Number(text[1..]) });
                return Number(text);
        }
    }

    private static FormatNode Number(string text) =>
        Leaf(text is "inf" or "nan" ? FormatTokenKind.Name : FormatTokenKind.Number, text);

    // `[` items each followed by `,` `]`, as _format_list_tuple writes them; an empty one is two brackets.
    private static FormatNode Sequence(string open, string close, FormatTokenKind openKind, FormatTokenKind closeKind, string rule, IReadOnlyList<object?> items)
    {
        var children = new List<FormatNode> { Leaf(openKind, open) };
        if (items.Count > 0)
        {
            var inner = new List<FormatNode>();
            foreach (var item in items)
            {
                inner.Add(Value(item));
                inner.Add(Leaf(FormatTokenKind.Comma, ","));
            }
            children.Add(FormatNode.Node(rule, inner));
        }
        children.Add(Leaf(closeKind, close));
        return FormatNode.Node("atom", children);
    }

    // dict(k=v, ...) with keys sorted; dict({'k': v, ...}) when a key is not an identifier (_format_dict's use_mapping).
    private static FormatNode DictCall(ConfigMap map)
    {
        var entries = map.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var trailer = new List<FormatNode> { Leaf(FormatTokenKind.Lpar, "(") };
        if (entries.Any(e => !ConfigPrettyText.IsIdentifier(e.Key)))
        {
            var inner = new List<FormatNode>();
            foreach (var (k, v) in entries)
            {
                if (inner.Count > 0) inner.Add(Leaf(FormatTokenKind.Comma, ","));
                // _format_dict quotes keys as f"'{k}'", not repr.
                inner.Add(Leaf(FormatTokenKind.String, "'" + k + "'"));
                inner.Add(Leaf(FormatTokenKind.Colon, ":"));
                inner.Add(Value(v));
            }
            trailer.Add(FormatNode.Node("atom", new List<FormatNode> { Leaf(FormatTokenKind.Lbrace, "{"), FormatNode.Node("dictsetmaker", inner), Leaf(FormatTokenKind.Rbrace, "}") }));
        }
        else if (entries.Count > 0)
        {
            var args = entries.Select(e => FormatNode.Node("argument", new List<FormatNode>
            {
                Leaf(FormatTokenKind.Name, e.Key), Leaf(FormatTokenKind.Equal, "="), Value(e.Value),
            })).ToList();
            if (args.Count == 1) trailer.Add(args[0]);
            else
            {
                var list = new List<FormatNode>();
                foreach (var a in args)
                {
                    if (list.Count > 0) list.Add(Leaf(FormatTokenKind.Comma, ","));
                    list.Add(a);
                }
                trailer.Add(FormatNode.Node("arglist", list));
            }
        }
        trailer.Add(Leaf(FormatTokenKind.Rpar, ")"));
        return FormatNode.Node("power", new List<FormatNode> { Leaf(FormatTokenKind.Name, "dict"), FormatNode.Node("trailer", trailer) });
    }

    #endregion

    #region subtype_assigner

    private static void AssignSubtypes(FormatNode node)
    {
        foreach (var c in node.Children) AssignSubtypes(c);
        switch (node.Rule)
        {
            case "expr_stmt":
                foreach (var c in node.Children.Where(c => c.IsLeaf && c.Value == "=")) c.Subtypes.Add(FormatSubtype.AssignOperator);
                break;
            case "factor":
                node.Children[0].Subtypes.Add(FormatSubtype.UnaryOperator);
                break;
            case "argument":
                foreach (var c in node.Children.Where(c => c.IsLeaf && c.Value == "=")) c.Subtypes.Add(FormatSubtype.DefaultOrNamedAssign);
                break;
            case "arglist":
                // _SetArgListSubtype: the arguments of a list with a named assign start with DEFAULT_OR_NAMED_ASSIGN_ARG_LIST.
                if (node.Children.Any(c => c.Rule == "argument" && c.Children.Any(l => l.Subtypes.Contains(FormatSubtype.DefaultOrNamedAssign))))
                    foreach (var c in node.Children.Where(c => c.Rule != "atom" && c.Name != "COMMA")) c.FirstLeaf.Subtypes.Add(FormatSubtype.DefaultOrNamedAssignArgList);
                break;
            case "dictsetmaker":
                bool lastWasColon = false;
                foreach (var c in node.Children)
                {
                    if (lastWasColon) c.FirstLeaf.Subtypes.Add(FormatSubtype.DictionaryValue);
                    else if (!c.IsLeaf || c.Value is not ("{" or ":" or ","))
                    {
                        c.FirstLeaf.Subtypes.Add(FormatSubtype.DictionaryKey);
                        foreach (var l in c.Leaves()) l.Subtypes.Add(FormatSubtype.DictionaryKeyPart);
                    }
                    lastWasColon = c.IsLeaf && c.Value == ":";
                }
                break;
        }
    }

    #endregion

    #region identify_container

    private static void IdentifyContainers(FormatNode node)
    {
        foreach (var c in node.Children) IdentifyContainers(c);
        if (node.Children.Count != 3 || node.Children[0].Value != "(" || !node.Children[0].IsLeaf) return;
        var open = node.Children[0];
        if (node.Rule == "trailer")
        {
            if (node.Children[1].Rule == "arglist")
                foreach (var c in node.Children[1].Children) c.FirstLeaf.OpeningBracket = open;
            else node.Children[1].FirstLeaf.OpeningBracket = open;
        }
        else if (node.Rule == "atom")
            foreach (var c in node.Children[1].Children) c.FirstLeaf.OpeningBracket = open;
    }

    #endregion

    #region split_penalty

    private static void SetPenalty(FormatNode node, int penalty) => node.Penalty = penalty;

    // _RecAnnotate: only ever raises a leaf's penalty.
    private static void RaiseAll(FormatNode node, int penalty)
    {
        foreach (var l in node.Leaves()) if (l.Penalty < penalty) l.Penalty = penalty;
    }

    // _IncreasePenalty: adds to every leaf but the first, skipping '(' (and 'for').
    private static void IncreasePenalty(FormatNode node, int amount)
    {
        var first = node.FirstLeaf;
        foreach (var l in node.Leaves())
            if (l != first && l.Value != "(") l.Penalty += amount;
    }

    private static void ComputeSplitPenalties(FormatNode node)
    {
        void Default() { foreach (var c in node.Children) ComputeSplitPenalties(c); }
        switch (node.Rule)
        {
            case "arglist":
                Default();
                for (int i = 1; i < node.Children.Count; i++)
                    if (node.Children[i].IsLeaf && node.Children[i].Value == ",") RaiseAll(node.Children[i], Unbreakable);
                foreach (var c in node.Children.Where(c => c.Rule == "atom")) IncreasePenalty(c, Connected);
                break;
            case "argument":
                Default();
                for (int i = 1; i < node.Children.Count - 1; i++)
                    if (node.Children[i].IsLeaf && node.Children[i].Value == "=")
                    {
                        SetPenalty(node.Children[i].FirstLeaf, NamedAssign);
                        SetPenalty(node.Children[i + 1].FirstLeaf, NamedAssign);
                    }
                break;
            case "dictsetmaker":
                foreach (var c in node.Children)
                {
                    ComputeSplitPenalties(c);
                    if (c.IsLeaf && c.Value == ":") RaiseAll(c, StronglyConnected);
                }
                break;
            case "trailer":
                if (node.Children.Count == 2) SetPenalty(node.Children[1], VeryStronglyConnected);
                else if (node.Children.Count == 3)
                {
                    var name = node.Children[1].Name;
                    if (name == "argument")
                    {
                        RaiseAll(node.Children[1], StronglyConnected);
                        SetPenalty(node.Children[1].FirstLeaf, OneElementArgument);
                    }
                    else if (name is not ("arglist" or "argument" or "term" or "or_test" or "and_test" or "comparison" or "atom" or "power"))
                    {
                        RaiseAll(node.Children[1], StronglyConnected);
                        RaiseAll(node.Children[2], StronglyConnected);
                    }
                    if (name == "arglist") RaiseAll(node.Children[^1], StronglyConnected);
                }
                Default();
                break;
            case "power":
                Default();
                if (node.Children.Count > 1 && node.Children[1].Rule == "trailer")
                {
                    var trailer = node.Children[1];
                    RaiseAll(trailer.Children[0], Unbreakable);
                    if (trailer.Children.Count > 2)
                    {
                        var closing = trailer.LastLeaf;
                        if (closing.PrevSibling!.LastLeaf.Value != ",")
                        {
                            if (closing.Value == "]") RaiseAll(closing, Unbreakable);
                            else SetPenalty(closing, VeryStronglyConnected);
                        }
                    }
                    else RaiseAll(trailer.Children[^1], StronglyConnected);
                }
                break;
            case "atom":
                Default();
                if (node.Children[0].Value == "(")
                {
                    if (node.Children.Count > 2) SetPenalty(node.Children[1].FirstLeaf, Expr);
                    SetPenalty(node.Children[^1], Atom);
                }
                else if (node.Children.Count == 2) RaiseAll(node.Children[^1], Unbreakable);
                break;
            case "testlist_gexp":
                Default();
                bool prevWasComma = false;
                foreach (var c in node.Children)
                {
                    if (c.IsLeaf && c.Value == ",") { RaiseAll(c, Unbreakable); prevWasComma = true; }
                    else
                    {
                        if (prevWasComma) SetPenalty(c.FirstLeaf, Together);
                        prevWasComma = false;
                    }
                }
                break;
            case "factor":
                Default();
                IncreasePenalty(node, Factor);
                break;
            default:
                Default();
                break;
        }
    }

    #endregion

    #region pytree_unwrapper

    // _DetermineMustSplitAnnotation: a container that ends in a comma puts each element on its own line (a
    // parenthesized one only from two commas on, so that `(x, )` stays a one-element tuple).
    private static void DetermineMustSplit(FormatNode node)
    {
        foreach (var c in node.Children) DetermineMustSplit(c);
        if (node.Rule is not ("listmaker" or "testlist_gexp" or "dictsetmaker" or "arglist")) return;
        if (node.Parent!.FirstLeaf.Value == "(" && node.Children.Count(c => c.Name == "COMMA") < 2) return;
        if (!node.Children[^1].IsLeaf || node.Children[^1].Value != ",") return;
        node.Children[0].FirstLeaf.MustSplit = true;
        for (int i = 0; i < node.Children.Count - 1; i++)
            if (node.Children[i].IsLeaf && node.Children[i].Value == ",") node.Children[i + 1].FirstLeaf.MustSplit = true;
    }

    private static LogicalLine Unwrap(FormatNode stmt)
    {
        var tokens = stmt.Leaves().Select((l, i) => new FormatToken(l, i)).ToList();
        // _AdjustSplitPenalty: nothing outside brackets may be split.
        int level = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (i > 0 && level == 0) tokens[i].Leaf.Penalty = Unbreakable;
            if (tokens[i].OpensScope) level++;
            else if (tokens[i].ClosesScope) level--;
        }
        // _MatchBrackets, and the container elements of each '('.
        var stack = new List<FormatToken>();
        var byLeaf = tokens.ToDictionary(t => t.Leaf);
        for (int i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (i > 0) { t.Previous = tokens[i - 1]; tokens[i - 1].Next = t; }
            t.Enclosing = stack.Count > 0 ? stack[^1] : null;
            if (t.OpensScope) stack.Add(t);
            else if (t.ClosesScope)
            {
                stack[^1].MatchingBracket = t;
                t.MatchingBracket = stack[^1];
                stack.RemoveAt(stack.Count - 1);
            }
            foreach (var bracket in stack)
                if (t.Leaf.OpeningBracket is { } open && byLeaf[open] == bracket) bracket.ContainerElements.Add(t);
        }
        var line = new LogicalLine(tokens);
        line.CalculateFormattingInformation();
        return line;
    }

    #endregion

    #region logical_line

    private void CalculateFormattingInformation()
    {
        First.SpacesRequiredBefore = 1;
        First.TotalLength = First.Value.Length;
        First.MustBreakBefore = First.Leaf.MustSplit;
        var prev = First;
        foreach (var token in Tokens.Skip(1))
        {
            token.SpacesRequiredBefore = SpaceBetween(prev, token) ? 1 : 0;
            token.TotalLength = prev.TotalLength + token.Value.Length + token.SpacesRequiredBefore;
            token.SplitPenalty += SplitPenalty(prev, token);
            token.MustBreakBefore = token.Leaf.MustSplit;
            token.CanBreakBefore = token.MustBreakBefore || CanBreakBefore(prev, token);
            prev = token;
        }
    }

    // The spaces yapf's _SpaceRequiredBetween puts between the tokens MMEngine's text holds: around the statement's
    // `=`, after `,` and `:`, and between an ending comma and its closing bracket; none around a keyword's `=`.
    private static bool SpaceBetween(FormatToken prev, FormatToken cur)
    {
        if (cur.Has(FormatSubtype.AssignOperator) || prev.Has(FormatSubtype.AssignOperator)) return true;
        if (cur.Value == "," || cur.Value == ":") return false;
        if (prev.Value == ",") return true;
        if (prev.Value == ":") return true;
        return false;
    }

    private static int SplitPenalty(FormatToken prev, FormatToken cur)
    {
        if (cur.NodeSplitPenalty > 0) return cur.NodeSplitPenalty;
        if (prev.Has(FormatSubtype.UnaryOperator)) return SplitPenaltyAfterUnaryOperator;
        if (prev.Value == ",") return 0;
        if (prev.OpensScope && cur.Value != "(") return SplitPenaltyAfterOpeningBracket;
        if (cur.Value is ":" or "=") return Unbreakable;
        if (prev.Has(FormatSubtype.DefaultOrNamedAssign) || cur.Has(FormatSubtype.DefaultOrNamedAssign)) return Unbreakable;
        if (cur.ClosesScope) return 100;
        return 0;
    }

    private static bool CanBreakBefore(FormatToken prev, FormatToken cur)
    {
        if (cur.SplitPenalty >= Unbreakable) return false;
        if (cur.Value is ":" or ",") return false;
        if (prev.IsName && cur.Value is "(" or "[") return false;
        if (prev.Has(FormatSubtype.UnaryOperator)) return false;
        return true;
    }

    #endregion
}
