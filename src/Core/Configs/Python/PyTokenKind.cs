#nullable enable
namespace InitCfg.Core.Configs.Python;

/// <summary>Kinds of tokens in a Python config file.</summary>
internal enum PyTokenKind
{
    Name,
    Number,
    String,
    Op,
    Newline,
    Indent,
    Dedent,
    End,
}
