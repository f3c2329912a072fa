#nullable enable
namespace InitCfg.Core.Configs.PrettyText;

/// <summary>The token types of MMEngine's pretty text (lib2to3's names, as yapf tests them).</summary>
internal enum FormatTokenKind
{
    /// <summary>Not a token: an inner node.</summary>
    None,
    Name,
    Number,
    String,
    Equal,
    Lpar,
    Rpar,
    Lsqb,
    Rsqb,
    Lbrace,
    Rbrace,
    Comma,
    Colon,
    Minus,
}
