#nullable enable
namespace InitCfg.Core.Configs.Python;

/// <summary>The syntax tree of the Python subset configs use: expressions and statements, each with its position.</summary>
internal abstract record PyNode(int Line, int Column)
{
    // Expressions.
    public sealed record Name(int Line, int Column, string Id) : PyNode(Line, Column);
    public sealed record Const(int Line, int Column, object? Value) : PyNode(Line, Column);
    public sealed record FString(int Line, int Column, IReadOnlyList<object> Parts) : PyNode(Line, Column);
    public sealed record FPart(PyNode Expr, char Conversion, PyNode? Spec);
    public sealed record ListExpr(int Line, int Column, IReadOnlyList<PyNode> Items, bool Tuple) : PyNode(Line, Column);
    public sealed record SetExpr(int Line, int Column, IReadOnlyList<PyNode> Items) : PyNode(Line, Column);
    public sealed record DictExpr(int Line, int Column, IReadOnlyList<(PyNode? Key, PyNode Value)> Entries) : PyNode(Line, Column);
    public sealed record Starred(int Line, int Column, PyNode Value) : PyNode(Line, Column);
    public sealed record Attribute(int Line, int Column, PyNode Target, string Attr) : PyNode(Line, Column);
    public sealed record Subscript(int Line, int Column, PyNode Target, PyNode Index) : PyNode(Line, Column);
    public sealed record Slice(int Line, int Column, PyNode? Lower, PyNode? Upper, PyNode? Step) : PyNode(Line, Column);
    public sealed record Arg(string? Keyword, PyNode Value, int Stars);
    public sealed record Call(int Line, int Column, PyNode Func, IReadOnlyList<Arg> Args) : PyNode(Line, Column);
    public sealed record BinOp(int Line, int Column, string Op, PyNode Left, PyNode Right) : PyNode(Line, Column);
    public sealed record UnaryOp(int Line, int Column, string Op, PyNode Operand) : PyNode(Line, Column);
    public sealed record BoolOp(int Line, int Column, string Op, PyNode Left, PyNode Right) : PyNode(Line, Column);
    public sealed record Compare(int Line, int Column, PyNode First, IReadOnlyList<(string Op, PyNode Right)> Rest) : PyNode(Line, Column);
    public sealed record IfExp(int Line, int Column, PyNode Test, PyNode Body, PyNode OrElse) : PyNode(Line, Column);
    public sealed record Generator(PyNode Target, PyNode Iter, IReadOnlyList<PyNode> Conditions);
    public sealed record Comprehension(int Line, int Column, char Kind, PyNode Element, PyNode? Value, IReadOnlyList<Generator> Generators) : PyNode(Line, Column);
    public sealed record Lambda(int Line, int Column) : PyNode(Line, Column);

    // Statements.
    public sealed record ExprStmt(int Line, int Column, PyNode Value) : PyNode(Line, Column);
    public sealed record Assign(int Line, int Column, IReadOnlyList<PyNode> Targets, PyNode Value) : PyNode(Line, Column);
    public sealed record AugAssign(int Line, int Column, PyNode Target, string Op, PyNode Value) : PyNode(Line, Column);
    public sealed record Del(int Line, int Column, IReadOnlyList<PyNode> Targets) : PyNode(Line, Column);
    public sealed record Import(int Line, int Column, IReadOnlyList<(string Module, string? AsName)> Names) : PyNode(Line, Column);
    public sealed record ImportFrom(int Line, int Column, string Module, int Level, IReadOnlyList<(string Name, string? AsName)> Names) : PyNode(Line, Column);
    public sealed record With(int Line, int Column, PyNode Context, IReadOnlyList<PyNode> Body) : PyNode(Line, Column);
    public sealed record If(int Line, int Column, PyNode Test, IReadOnlyList<PyNode> Body, IReadOnlyList<PyNode> OrElse) : PyNode(Line, Column);
    public sealed record For(int Line, int Column, PyNode Target, PyNode Iter, IReadOnlyList<PyNode> Body) : PyNode(Line, Column);
    public sealed record Pass(int Line, int Column) : PyNode(Line, Column);
    public sealed record Assert(int Line, int Column, PyNode Test) : PyNode(Line, Column);
    public sealed record Def(int Line, int Column, string Id, string Kind) : PyNode(Line, Column);
}
