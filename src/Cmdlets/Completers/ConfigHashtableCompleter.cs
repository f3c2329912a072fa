#nullable enable
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Language;
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Initializers;

namespace InitCfg.Cmdlets.Completers;

/// <summary>
/// Completion inside config hashtables (<c>New-InitModel -Config @{ type = &lt;Tab&gt;</c>, <c>Invoke-InitWeights
/// -InitCfg @{ type = 'Normal'; s&lt;Tab&gt;</c>), which PowerShell never hands to an argument completer (it completes
/// hashtable keys only for its own cmdlets, PowerShell/PowerShell#3845). The module's TabExpansion2 wrapper asks
/// here first; null means "not ours", and PowerShell's own completion runs.
/// </summary>
public static class ConfigHashtableCompleter
{
    private enum Node { None, Initializer, Override, Module, ChildMap }

    // Which parameters take which kind of config dict, by cmdlet.
    private static readonly Dictionary<(string Command, string Parameter), Node> Roots = new()
    {
        [("New-InitModel", "Config")] = Node.Module,
        [("Invoke-InitWeights", "InitCfg")] = Node.Initializer,
        [("Get-InitPlan", "InitCfg")] = Node.Initializer,
        [("New-InitCfg", "InputObject")] = Node.Initializer,
        [("New-InitCfg", "Override")] = Node.Override,
    };

    /// <summary>Completes the key or value at the cursor when it is inside a config hashtable of an InitCfg cmdlet.</summary>
    public static CommandCompletion? Complete(Ast ast, Token[] tokens, IScriptPosition cursor)
    {
        int offset = cursor.Offset;
        var table = ast.FindAll(a => a is HashtableAst h && Inside(h, tokens, offset), true)
            .Cast<HashtableAst>().OrderByDescending(h => h.Extent.StartOffset).FirstOrDefault();
        if (table is null) return null;
        var node = KindOf(table);
        if (node is Node.None or Node.ChildMap) return null;

        var (word, start, key) = Position(table, tokens, offset);
        IEnumerable<(string Text, string Tooltip)> items;
        CompletionResultType resultType;
        if (key is null)
        {
            var present = table.KeyValuePairs.Select(p => KeyText(p.Item1)).Where(k => k is not null && k != word).ToHashSet(StringComparer.OrdinalIgnoreCase);
            items = Keys(node, TypeOf(table)).Where(k => !present.Any(p => ConfigKeys.Same(p!, k.Text)));
            resultType = CompletionResultType.Property;
        }
        else
        {
            items = Values(node, key, TypeOf(table));
            resultType = CompletionResultType.ParameterValue;
        }

        var prefix = word.Trim('\'', '"');
        var results = items
            .Where(i => i.Text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(i => new CompletionResult(key is null ? i.Text : "'" + i.Text.Replace("'", "''") + "'", i.Text, resultType,
                string.IsNullOrEmpty(i.Tooltip) ? i.Text : i.Tooltip))
            .ToList();
        if (results.Count == 0) return null;
        return new CommandCompletion(new Collection<CompletionResult>(results), -1, start, offset - start);
    }

    // The cursor is inside the braces: after "@{", and before "}" when the table is closed.
    private static bool Inside(HashtableAst table, Token[] tokens, int offset)
    {
        var e = table.Extent;
        if (offset < e.StartOffset + 2 || offset > e.EndOffset) return false;
        bool closed = tokens.Any(t => t.Kind == TokenKind.RCurly && t.Extent.EndOffset == e.EndOffset);
        return !closed || offset < e.EndOffset;
    }

    // The word being typed (and where it starts), and the key whose value it is (null: a key is being typed).
    private static (string Word, int Start, string? Key) Position(HashtableAst table, Token[] tokens, int offset)
    {
        // Tokens of this table (not of tables nested in it) before the cursor.
        var mine = new List<Token>();
        int depth = 0;
        foreach (var t in tokens)
        {
            if (t.Extent.StartOffset < table.Extent.StartOffset + 2) continue;
            if (t.Extent.StartOffset >= offset || t.Kind == TokenKind.EndOfInput) break;
            if (depth == 0 && t.Kind != TokenKind.LineContinuation) mine.Add(t);
            if (t.Kind is TokenKind.LCurly or TokenKind.AtCurly or TokenKind.LParen or TokenKind.AtParen or TokenKind.DollarParen or TokenKind.LBracket) depth++;
            else if (t.Kind is TokenKind.RCurly or TokenKind.RParen or TokenKind.RBracket && depth > 0) depth--;
        }
        string word = "";
        int start = offset;
        if (mine.Count > 0 && mine[^1].Extent.EndOffset >= offset && mine[^1].Kind is not (TokenKind.Equals or TokenKind.Semi or TokenKind.NewLine))
        {
            var t = mine[^1];
            word = t.Text[..Math.Min(t.Text.Length, offset - t.Extent.StartOffset)];
            start = t.Extent.StartOffset;
            mine.RemoveAt(mine.Count - 1);
        }
        if (mine.Count >= 2 && mine[^1].Kind == TokenKind.Equals)
            return (word, start, Unquote(mine[^2].Text));
        return (word, start, null);
    }

    // What kind of config dict a table is: from the cmdlet parameter it is given to, or from the key holding it.
    private static Node KindOf(HashtableAst table)
    {
        Ast child = table;
        for (var parent = table.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is HashtableAst outer)
            {
                var pair = outer.KeyValuePairs.FirstOrDefault(p => Contains(p.Item2, child));
                if (pair is null) return Node.None;
                var key = KeyText(pair.Item1) ?? "";
                var outerKind = KindOf(outer);
                bool direct = Unwrapped(pair.Item2) == table;
                return outerKind switch
                {
                    Node.Initializer when ConfigKeys.Same(key, ConfigKeys.Override) => Node.Override,
                    Node.Module when ConfigKeys.Same(key, ConfigKeys.InitCfg) => Node.Initializer,
                    // modules = [ordered]@{ name = @{...} } is a map of children; modules = @(@{...}) lists them.
                    Node.Module when ConfigKeys.Same(key, ConfigKeys.Modules) => direct ? Node.ChildMap : Node.Module,
                    // MMDetection nests module configs under any key (backbone, neck, bbox_head, ...).
                    Node.Module or Node.ChildMap => Node.Module,
                    _ => Node.None,
                };
            }
            if (parent is CommandAst command)
            {
                var name = command.GetCommandName();
                if (name is null) return Node.None;
                var binding = StaticParameterBinder.BindCommand(command, resolve: true);
                foreach (var (parameter, value) in binding.BoundParameters)
                    if (value.Value is { } v && Contains(v, table)
                        && Roots.TryGetValue((Canonical(name), parameter), out var kind)) return kind;
                return Node.None;
            }
        }
        return Node.None;
    }

    private static string Canonical(string command) =>
        Roots.Keys.Select(k => k.Command).FirstOrDefault(c => c.Equals(command, StringComparison.OrdinalIgnoreCase)) ?? command;

    private static bool Contains(Ast outer, Ast inner) =>
        inner.Extent.StartOffset >= outer.Extent.StartOffset && inner.Extent.EndOffset <= outer.Extent.EndOffset;

    // A value written as @{...} or [ordered]@{...} (a pipeline of one expression).
    private static Ast? Unwrapped(Ast value)
    {
        var ast = value;
        while (true)
        {
            switch (ast)
            {
                case PipelineAst { PipelineElements.Count: 1 } p: ast = p.PipelineElements[0]; break;
                case CommandExpressionAst c: ast = c.Expression; break;
                case ConvertExpressionAst c: ast = c.Child; break;
                default: return ast;
            }
        }
    }

    private static string? KeyText(ExpressionAst key) => key switch
    {
        StringConstantExpressionAst s => s.Value,
        _ => null,
    };

    private static string Unquote(string text) => text.Trim('\'', '"');

    // The value of `type` already written in the table, if it is a constant.
    private static string? TypeOf(HashtableAst table)
    {
        var pair = table.KeyValuePairs.FirstOrDefault(p => KeyText(p.Item1) is { } k && ConfigKeys.Same(k, ConfigKeys.Type));
        return pair is not null && Unwrapped(pair.Item2) is StringConstantExpressionAst s ? s.Value : null;
    }

    private static IEnumerable<(string Text, string Tooltip)> Keys(Node node, string? type)
    {
        var keys = new List<(string, string)> { (ConfigKeys.Type, "The registered type name") };
        if (node is Node.Module)
        {
            if (type is not null && ModuleRegistry.Default.TryGet(type, out var d))
            {
                keys.AddRange(d.Arguments.Select(a => (a.Name, $"{a.Name} = {a.DefaultText}  {a.Description}".TrimEnd())));
                if (d.Container is not null) keys.Add((ConfigKeys.Modules, d.Container == ContainerKind.List ? "The children, a list of module configs" : "The children, an ordered map of name to module config"));
                if (d.Type == "Module") keys.Add((ConfigKeys.ClassName, "The class name reports and layer filters use"));
            }
            keys.Add((ConfigKeys.InitCfg, "This module's init config"));
            return keys;
        }
        if (node is Node.Override) keys.Add((ConfigKeys.Name, "The submodule the override initializes as a whole"));
        if (type is not null && InitializerRegistry.Default.TryGet(type, out var init))
            keys.AddRange(init.Arguments.Select(a => (a.Name, $"{a.Name} = {a.DefaultText}  {a.Description}")));
        else keys.Add((ConfigKeys.Layer, "Layer-type names to initialize"));
        if (node is Node.Initializer) keys.Add((ConfigKeys.Override, "Configs for named submodules"));
        return keys;
    }

    private static IEnumerable<(string Text, string Tooltip)> Values(Node node, string key, string? type)
    {
        if (ConfigKeys.Same(key, ConfigKeys.Type))
            return node is Node.Module
                ? ModuleRegistry.Default.Descriptors.Select(d => (d.Type, d.Description))
                : InitializerRegistry.Default.Descriptors.Select(d => (d.Type, d.Description));
        if (node is Node.Module) return Array.Empty<(string, string)>();
        if (ConfigKeys.Same(key, ConfigKeys.Layer))
            return LayerTypeCompleter.Known();
        var specs = type is not null && InitializerRegistry.Default.TryGet(type, out var d)
            ? d.Arguments
            : InitializerRegistry.Default.Descriptors.SelectMany(x => x.Arguments);
        return specs.Where(s => s.Kind == ArgumentKind.Choice && ConfigKeys.Same(s.Name, key))
            .SelectMany(s => s.Choices!).Distinct().Select(c => (c, ""));
    }
}
