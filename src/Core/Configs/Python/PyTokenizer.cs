#nullable enable
using System.Globalization;
using System.Text;

namespace InitCfg.Core.Configs.Python;

/// <summary>
/// Splits Python source into tokens the way Python's tokenizer does for the subset configs use: indentation
/// becomes INDENT/DEDENT, newlines inside brackets and after a backslash are joined, comments are dropped.
/// </summary>
internal static class PyTokenizer
{
    private static readonly string[] Ops3 = { "**=", "//=", ">>=", "<<=", "..." };
    private static readonly string[] Ops2 = { "**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "->", "<<", ">>", ":=", "@=" };
    private const string Ops1 = "+-*/%@&|^~<>()[]{},:.;=!";

    public static List<PyToken> Tokenize(PySource source)
    {
        var text = source.Text;
        var tokens = new List<PyToken>();
        var indents = new Stack<int>();
        indents.Push(0);
        int i = 0, line = 1, lineStart = 0, depth = 0;
        bool atLineStart = true;

        while (true)
        {
            if (atLineStart && depth == 0)
            {
                // Measure indentation; blank and comment-only lines do not count.
                int col = 0, j = i;
                while (j < text.Length && (text[j] == ' ' || text[j] == '\t' || text[j] == '\f'))
                {
                    col = text[j] == '\t' ? (col / 8 + 1) * 8 : col + 1;
                    j++;
                }
                if (j >= text.Length) { i = j; break; }
                if (text[j] == '#' || text[j] == '\n' || text[j] == '\r')
                {
                    while (j < text.Length && text[j] != '\n') j++;
                    if (j < text.Length) { j++; line++; lineStart = j; }
                    i = j;
                    continue;
                }
                if (text[j] == '\\' && j + 1 < text.Length && (text[j + 1] == '\n' || text[j + 1] == '\r'))
                {
                    // A continuation line that starts with a backslash: treat as blank.
                }
                i = j;
                atLineStart = false;
                if (col > indents.Peek())
                {
                    indents.Push(col);
                    tokens.Add(new PyToken(PyTokenKind.Indent, "", line, i - lineStart + 1));
                }
                else
                {
                    while (col < indents.Peek())
                    {
                        indents.Pop();
                        tokens.Add(new PyToken(PyTokenKind.Dedent, "", line, i - lineStart + 1));
                    }
                    if (col != indents.Peek()) throw source.Syntax(line, i - lineStart + 1, "unindent does not match any outer indentation level.");
                }
            }
            if (i >= text.Length) break;
            char c = text[i];
            int column = i - lineStart + 1;
            if (c == ' ' || c == '\t' || c == '\f') { i++; continue; }
            if (c == '#') { while (i < text.Length && text[i] != '\n') i++; continue; }
            if (c == '\r') { i++; continue; }
            if (c == '\n')
            {
                i++;
                if (depth == 0)
                {
                    if (tokens.Count > 0 && tokens[^1].Kind != PyTokenKind.Newline) tokens.Add(new PyToken(PyTokenKind.Newline, "", line, column));
                    atLineStart = true;
                }
                line++;
                lineStart = i;
                continue;
            }
            if (c == '\\')
            {
                int j = i + 1;
                if (j < text.Length && text[j] == '\r') j++;
                if (j < text.Length && text[j] == '\n') { i = j + 1; line++; lineStart = i; continue; }
                throw source.Syntax(line, column, "unexpected character after line continuation character.");
            }
            if (char.IsLetter(c) || c == '_' || c > 127 && char.IsLetterOrDigit(c))
            {
                int start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                var word = text[start..i];
                if (word.Length <= 2 && i < text.Length && (text[i] == '\'' || text[i] == '"') && IsStringPrefix(word))
                {
                    tokens.Add(ReadString(source, ref i, ref line, ref lineStart, word.ToLowerInvariant(), column));
                    continue;
                }
                tokens.Add(new PyToken(PyTokenKind.Name, word, line, column));
                continue;
            }
            if (c == '\'' || c == '"')
            {
                tokens.Add(ReadString(source, ref i, ref line, ref lineStart, "", column));
                continue;
            }
            if (char.IsDigit(c) || c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1]))
            {
                int start = i;
                if (c == '0' && i + 1 < text.Length && "xXoObB".IndexOf(text[i + 1]) >= 0)
                {
                    i += 2;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                }
                else
                {
                    while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '_')) i++;
                    if (i < text.Length && text[i] == '.') { i++; while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '_')) i++; }
                    if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
                    {
                        int save = i;
                        i++;
                        if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
                        if (i < text.Length && char.IsDigit(text[i])) while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '_')) i++;
                        else i = save;
                    }
                    if (i < text.Length && (text[i] == 'j' || text[i] == 'J'))
                        throw source.Unsupported(line, column, "a complex number literal");
                }
                tokens.Add(new PyToken(PyTokenKind.Number, text[start..i], line, column));
                continue;
            }
            string? op = null;
            foreach (var o in Ops3) if (string.CompareOrdinal(text, i, o, 0, 3) == 0) { op = o; break; }
            if (op is null) foreach (var o in Ops2) if (string.CompareOrdinal(text, i, o, 0, 2) == 0) { op = o; break; }
            if (op is null && Ops1.IndexOf(c) >= 0) op = c.ToString();
            if (op is null) throw source.Syntax(line, column, $"invalid character '{c}' (U+{(int)c:X4}).");
            if (op is "(" or "[" or "{")
            {
                depth++;
                if (depth > ConfigLimits.MaxDepth)
                    throw new Errors.InitCfgException(Errors.ErrorIds.ConfigTooLarge, source.Where(line, column),
                        $"{source.Where(line, column)}: brackets nest deeper than {ConfigLimits.MaxDepth} levels.");
            }
            else if (op is ")" or "]" or "}") depth = Math.Max(0, depth - 1);
            tokens.Add(new PyToken(PyTokenKind.Op, op, line, column));
            i += op.Length;
        }
        if (tokens.Count > 0 && tokens[^1].Kind != PyTokenKind.Newline) tokens.Add(new PyToken(PyTokenKind.Newline, "", line, i - lineStart + 1));
        while (indents.Count > 1) { indents.Pop(); tokens.Add(new PyToken(PyTokenKind.Dedent, "", line, 1)); }
        tokens.Add(new PyToken(PyTokenKind.End, "", line, i - lineStart + 1));
        return tokens;
    }

    private static bool IsStringPrefix(string word)
    {
        var w = word.ToLowerInvariant();
        return w is "r" or "u" or "b" or "f" or "br" or "rb" or "fr" or "rf";
    }

    private static PyToken ReadString(PySource source, ref int i, ref int line, ref int lineStart, string prefix, int column)
    {
        var text = source.Text;
        int startLine = line;
        char quote = text[i];
        bool triple = i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote;
        i += triple ? 3 : 1;
        int bodyStart = i;
        while (true)
        {
            if (i >= text.Length) throw source.Syntax(startLine, column, "unterminated string literal.");
            char c = text[i];
            if (c == '\\') { if (i + 1 < text.Length && text[i + 1] == '\n') { line++; lineStart = i + 2; } i += 2; continue; }
            if (c == '\n')
            {
                if (!triple) throw source.Syntax(startLine, column, "unterminated string literal.");
                line++;
                lineStart = i + 1;
            }
            if (c == quote && (!triple || i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote)) break;
            i++;
        }
        var body = text[bodyStart..i];
        i += triple ? 3 : 1;
        if (body.Length > ConfigLimits.MaxScalarLength)
            throw new Errors.InitCfgException(Errors.ErrorIds.ConfigTooLarge, source.Where(startLine, column),
                $"{source.Where(startLine, column)}: a string of {body.Length:N0} characters is longer than the {ConfigLimits.MaxScalarLength:N0} allowed.");
        if (prefix.Contains('b')) throw source.Unsupported(startLine, column, "a bytes literal");
        // f-strings keep their raw body: the parser splits literal parts from {expressions} and decodes each part.
        var value = prefix.Contains('f') ? body : prefix.Contains('r') ? body.Replace("\r\n", "\n") : Decode(body);
        return new PyToken(PyTokenKind.String, value, startLine, column, prefix);
    }

    /// <summary>Processes backslash escapes as Python does for a non-raw string.</summary>
    public static string Decode(string body)
    {
        if (body.IndexOf('\\') < 0) return body.Replace("\r\n", "\n");
        var sb = new StringBuilder(body.Length);
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c == '\r' && i + 1 < body.Length && body[i + 1] == '\n') continue;
            if (c != '\\' || i + 1 >= body.Length) { sb.Append(c); continue; }
            char n = body[++i];
            switch (n)
            {
                case '\n': break;
                case '\r': if (i + 1 < body.Length && body[i + 1] == '\n') i++; break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case 'x' when i + 2 < body.Length && IsHex(body, i + 1, 2):
                    sb.Append((char)int.Parse(body.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 2; break;
                case 'u' when i + 4 < body.Length && IsHex(body, i + 1, 4):
                    sb.Append((char)int.Parse(body.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 4; break;
                case 'U' when i + 8 < body.Length && IsHex(body, i + 1, 8):
                    sb.Append(char.ConvertFromUtf32(int.Parse(body.AsSpan(i + 1, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture))); i += 8; break;
                case >= '0' and <= '7':
                {
                    int v = 0, k = 0;
                    while (k < 3 && i < body.Length && body[i] >= '0' && body[i] <= '7') { v = v * 8 + (body[i] - '0'); i++; k++; }
                    i--;
                    sb.Append((char)v);
                    break;
                }
                default: sb.Append('\\').Append(n); break;
            }
        }
        return sb.ToString();
    }

    private static bool IsHex(string s, int start, int count)
    {
        for (int k = start; k < start + count; k++) if (!Uri.IsHexDigit(s[k])) return false;
        return true;
    }
}
