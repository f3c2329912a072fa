using CsCheck;
using InitCfg.Core.Configs.Python;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Tests.Configs.Python;

/// <summary>Random Python-like text: reading it gives a value or an InitCfgException, never another exception.</summary>
public class PythonConfigFuzzTests
{
    private static readonly string[] Pieces =
    {
        "dict(", ")", "(", "[", "]", "{", "}", ",", ":", "=", "x", "y", "_base_", ".", "1", "2.5", "1e-4", "'s'", "\"t\"",
        "f'{x}'", "+", "-", "*", "/", "//", "%", "**", " ", "\n", "    ", "for", "in", "if", "else", "not", "and", "or",
        "lambda", "def", "import", "from", "with", "read_base()", "del", "True", "None", "range(", "len(", "zip(", "min(",
        "update(", "pop(", "copy()", "[0]", "[1:]", "[::-1]", "**x", "*x", "#c", "\\", "'''", "r'a'", "10**9", "is",
    };

    private static readonly Gen<string> Text =
        Gen.Int[0, Pieces.Length - 1].Array[0, 40].Select(ix => string.Concat(ix.Select(i => Pieces[i])));

    [Fact]
    public void ReadText_RandomText_GivesAValueOrAnInitCfgException()
    {
        Text.Sample(text =>
        {
            try { PythonConfig.ReadText(text); }
            catch (InitCfgException) { }
        }, iter: 3000);
    }

    [Fact]
    public void ReadText_RandomStatements_GivesAValueOrAnInitCfgException()
    {
        var statements = Gen.Select(Gen.Int[0, 4].Select(i => new[] { "x", "y", "x[0]", "x.a", "x, y" }[i]), Text)
            .Select((target, value) => $"x = [1, dict(a=2)]\ny = 'ab'\n{target} = {value}\n");
        statements.Sample(text =>
        {
            try { PythonConfig.ReadText(text); }
            catch (InitCfgException) { }
        }, iter: 3000);
    }
}
