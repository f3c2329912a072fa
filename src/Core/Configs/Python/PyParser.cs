#nullable enable
using System.Globalization;
using System.Numerics;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs.Python;

/// <summary>
/// A recursive-descent parser for the Python subset of config files, following Python's grammar and
/// precedence. Constructs that would run code (<c>while</c>, <c>try</c>, <c>def</c> bodies) are recognised and
/// either refused with their position or kept as inert definitions.
/// </summary>
internal sealed class PyParser
{
    private const int MaxNesting = 200;
    private readonly PySource _source;
    private readonly List<PyToken> _tokens;
    private int _pos;
    private int _nesting;

    private PyParser(PySource source, List<PyToken> tokens) { _source = source; _tokens = tokens; }

    /// <summary>Parses a whole file into statements.</summary>
    public static List<PyNode> ParseFile(PySource source)
    {
        var p = new PyParser(source, PyTokenizer.Tokenize(source));
        var body = new List<PyNode>();
        while (p.Peek.Kind != PyTokenKind.End) p.Statement(body);
        return body;
    }

    /// <summary>Parses one expression (a pasted <c>dict(...)</c>); anything after it is an error.</summary>
    public static PyNode ParseExpression(PySource source)
    {
        var p = new PyParser(source, PyTokenizer.Tokenize(source));
        while (p.Peek.Kind is PyTokenKind.Newline or PyTokenKind.Indent) p._pos++;
        var e = p.TestList();
        while (p.Peek.Kind is PyTokenKind.Newline or PyTokenKind.Dedent) p._pos++;
        if (p.Peek.Kind != PyTokenKind.End) throw p.Error(p.Peek, "unexpected text after the expression");
        return e;
    }

    private PyToken Peek => _tokens[_pos];
    private PyToken PeekAt(int k) => _tokens[Math.Min(_pos + k, _tokens.Count - 1)];
    private PyToken Next() => _tokens[_pos++ < _tokens.Count - 1 ? _pos - 1 : _tokens.Count - 1];
    private bool IsOp(string op) => Peek.Kind == PyTokenKind.Op && Peek.Text == op;
    private bool IsKeyword(string word) => Peek.Kind == PyTokenKind.Name && Peek.Text == word;
    private bool Accept(string op) { if (IsOp(op) || IsKeyword(op)) { _pos++; return true; } return false; }

    private PyToken Expect(string op)
    {
        if (IsOp(op) || IsKeyword(op)) return Next();
        throw Error(Peek, $"expected '{op}'");
    }

    private InitCfgException Error(PyToken t, string message) =>
        _source.Syntax(t.Line, t.Column, $"invalid syntax: {message}, but found {Describe(t)}.");

    private static string Describe(PyToken t) => t.Kind switch
    {
        PyTokenKind.End => "the end of the text",
        PyTokenKind.Newline => "the end of the line",
        PyTokenKind.Indent => "an indent",
        PyTokenKind.Dedent => "a dedent",
        PyTokenKind.String => "a string",
        _ => $"'{t.Text}'",
    };

    private static readonly HashSet<string> Keywords = new()
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
        "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
        "pass", "raise", "return", "try", "while", "with", "yield",
    };

    #region Statements

    private void Statement(List<PyNode> body)
    {
        var t = Peek;
        if (t.Kind == PyTokenKind.Indent) throw _source.Syntax(t.Line, t.Column, "unexpected indent.");
        if (t.Kind == PyTokenKind.Newline) { _pos++; return; }
        if (t.Kind == PyTokenKind.Name)
        {
            switch (t.Text)
            {
                case "if": body.Add(IfStatement()); return;
                case "for": body.Add(ForStatement()); return;
                case "with": body.Add(WithStatement()); return;
                case "def" or "class": body.Add(Definition()); return;
                case "async" or "@":
                    throw _source.Unsupported(t.Line, t.Column, $"'{t.Text}'");
                case "while" or "try" or "return" or "raise" or "yield" or "global" or "nonlocal" or "break" or "continue":
                    throw _source.Unsupported(t.Line, t.Column, $"a '{t.Text}' statement");
            }
        }
        if (t.Is("@")) throw _source.Unsupported(t.Line, t.Column, "a decorator");
        SimpleStatements(body);
    }

    private void SimpleStatements(List<PyNode> body)
    {
        while (true)
        {
            body.Add(SmallStatement());
            if (!Accept(";")) break;
            if (Peek.Kind is PyTokenKind.Newline or PyTokenKind.End) break;
        }
        if (Peek.Kind == PyTokenKind.Newline) _pos++;
        else if (Peek.Kind != PyTokenKind.End && Peek.Kind != PyTokenKind.Dedent) throw Error(Peek, "expected the end of the statement");
    }

    private PyNode SmallStatement()
    {
        var t = Peek;
        if (t.Kind == PyTokenKind.Name)
        {
            switch (t.Text)
            {
                case "pass": _pos++; return new PyNode.Pass(t.Line, t.Column);
                case "del":
                {
                    _pos++;
                    var deleted = new List<PyNode> { Expr() };
                    while (Accept(",") && !AtStatementEnd()) deleted.Add(Expr());
                    return new PyNode.Del(t.Line, t.Column, deleted);
                }
                case "assert":
                {
                    _pos++;
                    var test = Test();
                    if (Accept(",")) Test();
                    return new PyNode.Assert(t.Line, t.Column, test);
                }
                case "import":
                {
                    _pos++;
                    var names = new List<(string, string?)>();
                    do
                    {
                        var module = DottedName();
                        names.Add((module, Accept("as") ? Identifier() : null));
                    } while (Accept(","));
                    return new PyNode.Import(t.Line, t.Column, names);
                }
                case "from": return FromImport();
                case "while" or "try" or "return" or "raise" or "yield" or "global" or "nonlocal" or "break" or "continue":
                    throw _source.Unsupported(t.Line, t.Column, $"a '{t.Text}' statement");
            }
        }
        var first = TestListStar();
        if (Peek.Kind == PyTokenKind.Op && Peek.Text.Length >= 2 && Peek.Text[^1] == '=' && Peek.Text is not "==" and not "<=" and not ">=" and not "!=")
        {
            var op = Next().Text[..^1];
            return new PyNode.AugAssign(t.Line, t.Column, first, op, TestList());
        }
        if (IsOp(":"))
            throw _source.Unsupported(Peek.Line, Peek.Column, "an annotated assignment");
        if (!IsOp("=")) return new PyNode.ExprStmt(t.Line, t.Column, first);
        var targets = new List<PyNode> { first };
        PyNode value = first;
        while (Accept("="))
        {
            value = TestListStar();
            targets.Add(value);
        }
        targets.RemoveAt(targets.Count - 1);
        return new PyNode.Assign(t.Line, t.Column, targets, value);
    }

    private bool AtStatementEnd() => Peek.Kind is PyTokenKind.Newline or PyTokenKind.End || IsOp(";");

    private PyNode FromImport()
    {
        var t = Expect("from");
        int level = 0;
        while (IsOp(".") || IsOp("...")) level += Next().Text.Length;
        var module = Peek.Kind == PyTokenKind.Name && Peek.Text != "import" ? DottedName() : "";
        Expect("import");
        var names = new List<(string, string?)>();
        if (Accept("*")) names.Add(("*", null));
        else
        {
            bool paren = Accept("(");
            do
            {
                if (paren && IsOp(")")) break;
                var name = Identifier();
                names.Add((name, Accept("as") ? Identifier() : null));
            } while (Accept(","));
            if (paren) Expect(")");
        }
        return new PyNode.ImportFrom(t.Line, t.Column, module, level, names);
    }

    private string DottedName()
    {
        var name = Identifier();
        while (IsOp(".") && PeekAt(1).Kind == PyTokenKind.Name) { _pos++; name += "." + Identifier(); }
        return name;
    }

    private string Identifier()
    {
        if (Peek.Kind != PyTokenKind.Name || Keywords.Contains(Peek.Text)) throw Error(Peek, "expected a name");
        return Next().Text;
    }

    private List<PyNode> Block()
    {
        Expect(":");
        var body = new List<PyNode>();
        if (Peek.Kind != PyTokenKind.Newline) { SimpleStatements(body); return body; }
        _pos++;
        if (Peek.Kind != PyTokenKind.Indent) throw Error(Peek, "expected an indented block");
        _pos++;
        Nest(Peek);
        while (Peek.Kind != PyTokenKind.Dedent && Peek.Kind != PyTokenKind.End) Statement(body);
        if (Peek.Kind == PyTokenKind.Dedent) _pos++;
        _nesting--;
        return body;
    }

    private PyNode IfStatement()
    {
        var t = Next();
        var test = NamedTest();
        var body = Block();
        IReadOnlyList<PyNode> orElse = Array.Empty<PyNode>();
        if (IsKeyword("elif")) orElse = new[] { IfStatement() };
        else if (Accept("else")) orElse = Block();
        return new PyNode.If(t.Line, t.Column, test, body, orElse);
    }

    private PyNode ForStatement()
    {
        var t = Next();
        var target = TargetList();
        Expect("in");
        var iter = TestList();
        var body = Block();
        if (IsKeyword("else")) throw _source.Unsupported(Peek.Line, Peek.Column, "a 'for ... else' clause");
        return new PyNode.For(t.Line, t.Column, target, iter, body);
    }

    private PyNode WithStatement()
    {
        var t = Next();
        var context = Test();
        if (IsKeyword("as") || IsOp(","))
            throw _source.Unsupported(Peek.Line, Peek.Column, "a 'with' statement other than 'with read_base():'");
        return new PyNode.With(t.Line, t.Column, context, Block());
    }

    // A def or class is kept as an inert name: defining it runs nothing; only calling it would.
    private PyNode Definition()
    {
        var t = Next();
        var name = Identifier();
        int depth = 0;
        while (true)
        {
            var k = Peek;
            if (k.Kind == PyTokenKind.End) throw Error(k, "expected the body of the definition");
            _pos++;
            if (k.Kind == PyTokenKind.Op && k.Text is "(" or "[" or "{") depth++;
            else if (k.Kind == PyTokenKind.Op && k.Text is ")" or "]" or "}") depth--;
            else if (k.Kind == PyTokenKind.Newline && depth <= 0) break;
        }
        if (Peek.Kind == PyTokenKind.Indent)
        {
            int level = 0;
            do
            {
                var k = Next();
                if (k.Kind == PyTokenKind.Indent) level++;
                else if (k.Kind == PyTokenKind.Dedent) level--;
                else if (k.Kind == PyTokenKind.End) break;
            } while (level > 0);
        }
        return new PyNode.Def(t.Line, t.Column, name, t.Text);
    }

    #endregion

    #region Expressions

    // A chain such as 1 + 1 + ... or a.b.c... becomes a tree as deep as it is long, which evaluation walks
    // recursively; CPython refuses very long ones too (RecursionError during compilation).
    private const int MaxChain = 2000;

    private void Chain(PyToken at, ref int chain)
    {
        if (++chain > MaxChain)
            throw new InitCfgException(ErrorIds.ConfigTooLarge, _source.Where(at.Line, at.Column),
                $"{_source.Where(at.Line, at.Column)}: an expression chains more than {MaxChain} operations.");
    }

    private void Nest(PyToken at)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (++_nesting > MaxNesting)
            throw new InitCfgException(ErrorIds.ConfigTooLarge, _source.Where(at.Line, at.Column),
                $"{_source.Where(at.Line, at.Column)}: the expression nests deeper than {MaxNesting} levels.");
    }

    private PyNode TestList() => Sequence(Test, allowStar: false);

    private PyNode TestListStar() => Sequence(Test, allowStar: true);

    private PyNode TargetList() => Sequence(Expr, allowStar: true, stopAtIn: true);

    private PyNode Sequence(Func<PyNode> item, bool allowStar, bool stopAtIn = false)
    {
        var t = Peek;
        var first = allowStar && IsOp("*") ? StarItem(item) : item();
        if (!IsOp(",")) return first;
        var items = new List<PyNode> { first };
        while (Accept(","))
        {
            if (AtSequenceEnd() || stopAtIn && IsKeyword("in")) break;
            items.Add(allowStar && IsOp("*") ? StarItem(item) : item());
        }
        return new PyNode.ListExpr(t.Line, t.Column, items, Tuple: true);
    }

    private bool AtSequenceEnd() =>
        Peek.Kind is PyTokenKind.Newline or PyTokenKind.End || IsOp("=") || IsOp(")") || IsOp("]") || IsOp("}") || IsOp(";") ||
        Peek.Kind == PyTokenKind.Op && Peek.Text.Length >= 2 && Peek.Text[^1] == '=' && Peek.Text is not "==" and not "<=" and not ">=" and not "!=";

    private PyNode StarItem(Func<PyNode> item)
    {
        var t = Expect("*");
        return new PyNode.Starred(t.Line, t.Column, item());
    }

    private PyNode NamedTest()
    {
        var e = Test();
        if (IsOp(":=")) throw _source.Unsupported(Peek.Line, Peek.Column, "an assignment expression (:=)");
        return e;
    }

    private PyNode Test()
    {
        var t = Peek;
        Nest(t);
        try
        {
            if (IsKeyword("lambda")) return LambdaExpr();
            var body = OrTest();
            if (!IsKeyword("if")) return body;
            _pos++;
            var test = OrTest();
            Expect("else");
            return new PyNode.IfExp(t.Line, t.Column, test, body, Test());
        }
        finally { _nesting--; }
    }

    // A lambda is parsed so the file reads; calling it is refused (it would run code).
    private PyNode LambdaExpr()
    {
        var t = Next();
        while (!IsOp(":"))
        {
            if (Peek.Kind is PyTokenKind.End or PyTokenKind.Newline) throw Error(Peek, "expected ':' in the lambda");
            if (IsOp("=")) { _pos++; Test(); } else _pos++;
        }
        _pos++;
        Test();
        return new PyNode.Lambda(t.Line, t.Column);
    }

    private PyNode OrTest()
    {
        var left = AndTest();
        int chain = 0;
        while (IsKeyword("or")) { var t = Next(); Chain(t, ref chain); left = new PyNode.BoolOp(t.Line, t.Column, "or", left, AndTest()); }
        return left;
    }

    private PyNode AndTest()
    {
        var left = NotTest();
        int chain = 0;
        while (IsKeyword("and")) { var t = Next(); Chain(t, ref chain); left = new PyNode.BoolOp(t.Line, t.Column, "and", left, NotTest()); }
        return left;
    }

    private PyNode NotTest()
    {
        if (!IsKeyword("not")) return Comparison();
        var t = Next();
        Nest(t);
        try { return new PyNode.UnaryOp(t.Line, t.Column, "not", NotTest()); }
        finally { _nesting--; }
    }

    private PyNode Comparison()
    {
        var t = Peek;
        var first = Expr();
        List<(string, PyNode)>? rest = null;
        while (true)
        {
            string? op = null;
            if (Peek.Kind == PyTokenKind.Op && Peek.Text is "<" or ">" or "==" or ">=" or "<=" or "!=") op = Next().Text;
            else if (IsKeyword("in")) { _pos++; op = "in"; }
            else if (IsKeyword("not") && PeekAt(1).Is("in")) { _pos += 2; op = "not in"; }
            else if (IsKeyword("is")) { _pos++; op = Accept("not") ? "is not" : "is"; }
            if (op is null) break;
            (rest ??= new()).Add((op, Expr()));
        }
        return rest is null ? first : new PyNode.Compare(t.Line, t.Column, first, rest);
    }

    private PyNode Expr() => Binary(0);

    private static readonly string[][] Levels =
    {
        new[] { "|" }, new[] { "^" }, new[] { "&" }, new[] { "<<", ">>" }, new[] { "+", "-" }, new[] { "*", "/", "//", "%", "@" },
    };

    private PyNode Binary(int level)
    {
        if (level == Levels.Length) return Factor();
        var left = Binary(level + 1);
        int chain = 0;
        while (Peek.Kind == PyTokenKind.Op && Array.IndexOf(Levels[level], Peek.Text) >= 0)
        {
            var t = Next();
            Chain(t, ref chain);
            left = new PyNode.BinOp(t.Line, t.Column, t.Text, left, Binary(level + 1));
        }
        return left;
    }

    private PyNode Factor()
    {
        if (Peek.Kind == PyTokenKind.Op && Peek.Text is "-" or "+" or "~")
        {
            var t = Next();
            Nest(t);
            try { return new PyNode.UnaryOp(t.Line, t.Column, t.Text, Factor()); }
            finally { _nesting--; }
        }
        var baseExpr = AtomExpr();
        if (!IsOp("**")) return baseExpr;
        var op = Next();
        return new PyNode.BinOp(op.Line, op.Column, "**", baseExpr, Factor());
    }

    private PyNode AtomExpr()
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var e = Atom();
        int chain = 0;
        while (true)
        {
            var t = Peek;
            if (IsOp("(") || IsOp("[") || IsOp(".")) Chain(t, ref chain);
            if (IsOp("("))
            {
                _pos++;
                e = new PyNode.Call(t.Line, t.Column, e, Arguments());
            }
            else if (IsOp("["))
            {
                _pos++;
                var index = SubscriptList();
                Expect("]");
                e = new PyNode.Subscript(t.Line, t.Column, e, index);
            }
            else if (IsOp("."))
            {
                _pos++;
                e = new PyNode.Attribute(t.Line, t.Column, e, Identifier());
            }
            else return e;
        }
    }

    private List<PyNode.Arg> Arguments()
    {
        var args = new List<PyNode.Arg>();
        while (!IsOp(")"))
        {
            if (Accept("**")) args.Add(new PyNode.Arg(null, Test(), 2));
            else if (Accept("*")) args.Add(new PyNode.Arg(null, Test(), 1));
            else if (Peek.Kind == PyTokenKind.Name && PeekAt(1).Is("=") && !Keywords.Contains(Peek.Text))
            {
                var name = Next().Text;
                _pos++;
                args.Add(new PyNode.Arg(name, Test(), 0));
            }
            else
            {
                var t = Peek;
                var value = NamedTest();
                if (IsKeyword("for")) value = new PyNode.Comprehension(t.Line, t.Column, 'g', value, null, Generators());
                args.Add(new PyNode.Arg(null, value, 0));
            }
            if (!Accept(",")) break;
        }
        Expect(")");
        return args;
    }

    private PyNode SubscriptList()
    {
        var t = Peek;
        var first = SubscriptItem();
        if (!IsOp(",")) return first;
        var items = new List<PyNode> { first };
        while (Accept(",") && !IsOp("]")) items.Add(SubscriptItem());
        return new PyNode.ListExpr(t.Line, t.Column, items, Tuple: true);
    }

    private PyNode SubscriptItem()
    {
        var t = Peek;
        PyNode? lower = IsOp(":") ? null : Test();
        if (!Accept(":")) return lower!;
        PyNode? upper = IsOp(":") || IsOp("]") || IsOp(",") ? null : Test();
        PyNode? step = null;
        if (Accept(":")) step = IsOp("]") || IsOp(",") ? null : Test();
        return new PyNode.Slice(t.Line, t.Column, lower, upper, step);
    }

    private List<PyNode.Generator> Generators()
    {
        var list = new List<PyNode.Generator>();
        while (IsKeyword("for") || IsKeyword("async"))
        {
            if (IsKeyword("async")) throw _source.Unsupported(Peek.Line, Peek.Column, "an async comprehension");
            _pos++;
            var target = TargetList();
            Expect("in");
            var iter = OrTest();
            var conditions = new List<PyNode>();
            while (IsKeyword("if")) { _pos++; conditions.Add(OrTestNoCond()); }
            list.Add(new PyNode.Generator(target, iter, conditions));
        }
        return list;
    }

    private PyNode OrTestNoCond() => OrTest();

    private PyNode Atom()
    {
        var t = Peek;
        switch (t.Kind)
        {
            case PyTokenKind.Number: _pos++; return new PyNode.Const(t.Line, t.Column, Number(t));
            case PyTokenKind.String: return Strings();
            case PyTokenKind.Name:
                _pos++;
                switch (t.Text)
                {
                    case "None": return new PyNode.Const(t.Line, t.Column, null);
                    case "True": return new PyNode.Const(t.Line, t.Column, true);
                    case "False": return new PyNode.Const(t.Line, t.Column, false);
                    case "await" or "yield": throw _source.Unsupported(t.Line, t.Column, $"'{t.Text}'");
                }
                if (Keywords.Contains(t.Text)) { _pos--; throw Error(t, "expected an expression"); }
                return new PyNode.Name(t.Line, t.Column, t.Text);
            case PyTokenKind.Op:
                switch (t.Text)
                {
                    case "(":
                    {
                        _pos++;
                        if (Accept(")")) return new PyNode.ListExpr(t.Line, t.Column, Array.Empty<PyNode>(), Tuple: true);
                        var first = IsOp("*") ? StarItem(Test) : NamedTest();
                        if (IsKeyword("for"))
                        {
                            var gen = new PyNode.Comprehension(t.Line, t.Column, 'g', first, null, Generators());
                            Expect(")");
                            return gen;
                        }
                        if (Accept(")")) return first is PyNode.Starred ? throw Error(t, "a starred expression needs a tuple") : first;
                        var items = new List<PyNode> { first };
                        while (Accept(","))
                        {
                            if (IsOp(")")) break;
                            items.Add(IsOp("*") ? StarItem(Test) : NamedTest());
                        }
                        Expect(")");
                        return new PyNode.ListExpr(t.Line, t.Column, items, Tuple: true);
                    }
                    case "[":
                    {
                        _pos++;
                        var items = new List<PyNode>();
                        if (Accept("]")) return new PyNode.ListExpr(t.Line, t.Column, items, Tuple: false);
                        var first = IsOp("*") ? StarItem(Expr) : NamedTest();
                        if (IsKeyword("for"))
                        {
                            var comp = new PyNode.Comprehension(t.Line, t.Column, 'l', first, null, Generators());
                            Expect("]");
                            return comp;
                        }
                        items.Add(first);
                        while (Accept(","))
                        {
                            if (IsOp("]")) break;
                            items.Add(IsOp("*") ? StarItem(Expr) : NamedTest());
                        }
                        Expect("]");
                        return new PyNode.ListExpr(t.Line, t.Column, items, Tuple: false);
                    }
                    case "{": return Display();
                    case "...": _pos++; return new PyNode.Const(t.Line, t.Column, PyEllipsis.Value);
                }
                break;
        }
        throw Error(t, "expected an expression");
    }

    private PyNode Display()
    {
        var t = Expect("{");
        if (Accept("}")) return new PyNode.DictExpr(t.Line, t.Column, Array.Empty<(PyNode?, PyNode)>());
        if (Accept("**"))
        {
            var entries = new List<(PyNode?, PyNode)> { (null, Expr()) };
            return DictRest(t, entries);
        }
        var first = IsOp("*") ? StarItem(Expr) : Test();
        if (Accept(":"))
        {
            var value = Test();
            if (IsKeyword("for"))
            {
                var comp = new PyNode.Comprehension(t.Line, t.Column, 'd', first, value, Generators());
                Expect("}");
                return comp;
            }
            return DictRest(t, new List<(PyNode?, PyNode)> { (first, value) });
        }
        if (IsKeyword("for"))
        {
            var comp = new PyNode.Comprehension(t.Line, t.Column, 's', first, null, Generators());
            Expect("}");
            return comp;
        }
        var items = new List<PyNode> { first };
        while (Accept(","))
        {
            if (IsOp("}")) break;
            items.Add(IsOp("*") ? StarItem(Expr) : Test());
        }
        Expect("}");
        return new PyNode.SetExpr(t.Line, t.Column, items);
    }

    private PyNode DictRest(PyToken t, List<(PyNode?, PyNode)> entries)
    {
        while (Accept(","))
        {
            if (IsOp("}")) break;
            if (Accept("**")) { entries.Add((null, Expr())); continue; }
            var key = Test();
            Expect(":");
            entries.Add((key, Test()));
        }
        Expect("}");
        return new PyNode.DictExpr(t.Line, t.Column, entries);
    }

    private object Number(PyToken t)
    {
        var s = t.Text.Replace("_", "");
        if (s.Length > 2 && s[0] == '0' && char.IsLetter(s[1]))
        {
            int radix = char.ToLowerInvariant(s[1]) switch { 'x' => 16, 'o' => 8, 'b' => 2, _ => 0 };
            if (radix == 0) throw _source.Syntax(t.Line, t.Column, $"invalid number '{t.Text}'.");
            BigInteger v = 0;
            foreach (var ch in s[2..])
            {
                int d = Uri.IsHexDigit(ch) ? Convert.ToInt32(ch.ToString(), 16) : 99;
                if (d >= radix) throw _source.Syntax(t.Line, t.Column, $"invalid number '{t.Text}'.");
                v = v * radix + d;
            }
            return PyInt(v, t);
        }
        if (s.IndexOfAny(new[] { '.', 'e', 'E' }) >= 0)
            return double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (s.Length > 1 && s[0] == '0' && s.Any(c => c != '0')) throw _source.Syntax(t.Line, t.Column, $"leading zeros in '{t.Text}' are not permitted.");
        return PyInt(BigInteger.Parse(s, CultureInfo.InvariantCulture), t);
    }

    private object PyInt(BigInteger v, PyToken t) => v <= long.MaxValue ? (long)v
        : throw new InitCfgException(ErrorIds.ConfigTooLarge, _source.Where(t.Line, t.Column), $"{_source.Where(t.Line, t.Column)}: the integer {t.Text} does not fit in 64 bits.");

    // Adjacent string literals are one string; when any is an f-string, the whole is an f-string.
    private PyNode Strings()
    {
        var first = Peek;
        var parts = new List<object>();
        bool formatted = false;
        while (Peek.Kind == PyTokenKind.String)
        {
            var t = Next();
            if (t.Prefix.Contains('f')) { formatted = true; FStringParts(t, parts); }
            else parts.Add(t.Text);
        }
        if (!formatted) return new PyNode.Const(first.Line, first.Column, string.Concat(parts.Cast<string>()));
        return new PyNode.FString(first.Line, first.Column, parts);
    }

    private void FStringParts(PyToken t, List<object> parts)
    {
        var body = t.Text;
        bool raw = t.Prefix.Contains('r');
        var literal = new System.Text.StringBuilder();
        void Flush()
        {
            if (literal.Length == 0) return;
            parts.Add(raw ? literal.ToString() : PyTokenizer.Decode(literal.ToString()));
            literal.Clear();
        }
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c == '{' && i + 1 < body.Length && body[i + 1] == '{') { literal.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < body.Length && body[i + 1] == '}') { literal.Append('}'); i++; continue; }
            if (c == '}') throw _source.Syntax(t.Line, t.Column, "f-string: single '}' is not allowed.");
            if (c != '{') { literal.Append(c); continue; }
            Flush();
            // Find the end of the replacement field, skipping nested brackets and strings.
            int depth = 0, j = i + 1, exprEnd = -1, convAt = -1, specAt = -1;
            char inString = '\0';
            for (; j < body.Length; j++)
            {
                char d = body[j];
                if (inString != '\0') { if (d == inString) inString = '\0'; continue; }
                if (d is '\'' or '"') { inString = d; continue; }
                if (d is '(' or '[' or '{') depth++;
                else if (d is ')' or ']') depth--;
                else if (d == '}' && depth > 0) depth--;
                else if (d == '}' && depth == 0) break;
                else if (depth == 0 && d == '!' && j + 1 < body.Length && body[j + 1] != '=' && exprEnd < 0) { exprEnd = j; convAt = j + 1; }
                else if (depth == 0 && d == ':' && specAt < 0) { if (exprEnd < 0) exprEnd = j; specAt = j + 1; depth = 0; break; }
            }
            if (specAt >= 0)
            {
                // The spec runs to the matching '}' and may hold nested fields.
                int level = 0;
                for (j = specAt; j < body.Length; j++)
                {
                    if (body[j] == '{') level++;
                    else if (body[j] == '}') { if (level == 0) break; level--; }
                }
            }
            if (j >= body.Length) throw _source.Syntax(t.Line, t.Column, "f-string: expecting '}'.");
            if (exprEnd < 0) exprEnd = j;
            var exprText = body[(i + 1)..exprEnd];
            if (exprText.TrimEnd().EndsWith('=')) throw _source.Unsupported(t.Line, t.Column, "an f-string '=' specifier");
            var expr = ParseExpression(new PySource(exprText.Trim().Length == 0 ? throw _source.Syntax(t.Line, t.Column, "f-string: empty expression not allowed.") : "(" + exprText + ")", _source.File));
            char conversion = convAt >= 0 ? body[convAt] : '\0';
            PyNode? spec = null;
            if (specAt >= 0)
            {
                var specParts = new List<object>();
                FStringParts(new PyToken(PyTokenKind.String, body[specAt..j], t.Line, t.Column, t.Prefix), specParts);
                spec = new PyNode.FString(t.Line, t.Column, specParts);
            }
            parts.Add(new PyNode.FPart(expr, conversion, spec));
            i = j;
        }
        Flush();
    }

    #endregion
}
