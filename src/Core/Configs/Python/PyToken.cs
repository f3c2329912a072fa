#nullable enable
namespace InitCfg.Core.Configs.Python;

/// <summary>
/// One token. For strings, <see cref="Text"/> holds the decoded value and <see cref="Prefix"/> the lower-cased
/// prefix letters (f, r, b, u), so the parser can tell f-strings apart.
/// </summary>
internal readonly record struct PyToken(PyTokenKind Kind, string Text, int Line, int Column, string Prefix = "")
{
    public bool Is(string op) => (Kind == PyTokenKind.Op || Kind == PyTokenKind.Name) && Text == op;
}
