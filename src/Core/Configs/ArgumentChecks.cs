#nullable enable
using InitCfg.Core.Errors;

namespace InitCfg.Core.Configs;

/// <summary>Type and range checks of arguments against their <see cref="ArgumentSpec"/>s, for every registry.</summary>
internal static class ArgumentChecks
{
    /// <summary>
    /// Reads a config's arguments against a type's specs: unknown names, wrong kinds and missing required
    /// arguments go to <paramref name="problems"/>; the rest come back with defaults filled in (values) and as
    /// given (canonical names and choice spellings).
    /// </summary>
    /// <param name="type">The type name, for messages.</param>
    /// <param name="specs">The arguments the type takes.</param>
    /// <param name="arguments">The config's arguments (no <c>type</c>).</param>
    /// <param name="path">Where the config is.</param>
    /// <param name="problems">Collects every problem found.</param>
    /// <param name="otherKeys">Keys of the dict that are not arguments but that a user fixing a typo may mean.</param>
    /// <param name="dimensions">The layer's dimensionality, for <see cref="ArgumentKind.Ints"/> (0: any).</param>
    public static (Dictionary<string, object?> Values, ConfigMap Given) Bind(string type, IReadOnlyList<ArgumentSpec> specs,
        ConfigMap arguments, ConfigPath path, ProblemList problems, IEnumerable<string>? otherKeys = null, int dimensions = 0)
    {
        var values = new Dictionary<string, object?>();
        var given = new ConfigMap();
        foreach (var (key, value) in arguments)
        {
            var spec = specs.FirstOrDefault(s => ConfigKeys.Same(s.Name, key));
            if (spec is null)
            {
                var valid = specs.Select(s => s.Name).Concat(otherKeys ?? Array.Empty<string>()).ToArray();
                problems.Add(ErrorIds.UnknownArgument, path.Key(key),
                    $"{type} got an unexpected argument {PyRepr.Short(key, 80)}.{(key.Length <= 80 ? Nearest.Hint(key, valid) : "")}" +
                    (valid.Length > 0 ? $" Valid arguments: {string.Join(", ", valid)}." : $" {type} takes no arguments."));
                continue;
            }
            if (Check(spec, value, path.Key(spec.Name), problems, dimensions) is var (ok, normalized) && ok)
            {
                values[spec.Name] = normalized;
                given.Set(spec.Name, normalized);
            }
        }
        foreach (var spec in specs)
        {
            if (values.ContainsKey(spec.Name) || arguments.Contains(spec.Name)) continue;
            if (spec.Required) problems.Add(ErrorIds.MissingArgument, path, $"{type} is missing the required argument '{spec.Name}'.");
            else values[spec.Name] = spec.Default;
        }
        return (values, given);
    }

    /// <summary>Checks one value; returns the normalized value (canonical choice spelling) when valid.</summary>
    public static (bool Ok, object? Value) Check(ArgumentSpec spec, object? value, ConfigPath path, ProblemList problems, int dimensions = 0)
    {
        if (value is null && (spec.Nullable || !spec.Required && spec.Default is null || spec.Kind == ArgumentKind.Ignored))
            return (true, null);
        switch (spec.Kind)
        {
            case ArgumentKind.Number when value is long or double:
                if (spec.Name == "bias_prob")
                {
                    var p = Convert.ToDouble(value);
                    if (!(p > 0 && p < 1))
                    {
                        problems.Add(ErrorIds.BiasProbOutOfRange, path, $"bias_prob must be a number in (0, 1), but got {PyRepr.Repr(value)}.");
                        return (false, null);
                    }
                }
                else if (value is double d && (double.IsNaN(d) || double.IsInfinity(d)))
                {
                    problems.Add(ErrorIds.InvalidArgumentValue, path, $"{spec.Name} must be a finite number, but got {PyRepr.Repr(value)}.");
                    return (false, null);
                }
                // Weights are float32: a value beyond its range would fail inside libtorch halfway through a run.
                if (Math.Abs(Convert.ToDouble(value)) > float.MaxValue)
                {
                    problems.Add(ErrorIds.InvalidArgumentValue, path, $"{spec.Name} must fit in a float32 (|x| <= 3.4028235e+38), but got {PyRepr.Repr(value)}.");
                    return (false, null);
                }
                return (true, value);
            case ArgumentKind.Number when value is not null:
                problems.Add(spec.Name is "bias" or "bias_prob" ? ErrorIds.BiasNotNumber : ErrorIds.InvalidArgumentType, path,
                    $"{spec.Name} must be a number, but got {PyRepr.TypeAndValue(value)}.");
                return (false, null);
            case ArgumentKind.Choice when value is string s:
                var choice = spec.Choices!.FirstOrDefault(c => string.Equals(c, s, StringComparison.OrdinalIgnoreCase));
                if (choice is not null) return (true, choice);
                problems.Add(ErrorIds.InvalidArgumentValue, path,
                    $"{spec.Name} must be one of {string.Join(", ", spec.Choices!.Select(c => "'" + c + "'"))}, but got {PyRepr.Short(s, 80)}.{(s.Length <= 80 ? Nearest.Hint(s, spec.Choices!) : "")}");
                return (false, null);
            case ArgumentKind.TextList when value is not null && !(value is string || value is IReadOnlyList<object?> l && l.All(x => x is string)):
                problems.Add(ErrorIds.LayerNotString, path, $"{spec.Name} must be a str or a list of str, but got {PyRepr.TypeAndValue(value)}.");
                return (false, null);
        }
        if (Fits(spec.Kind, value, dimensions)) return (true, value);
        problems.Add(ErrorIds.InvalidArgumentType, path, $"{spec.Name} must be {Expected(spec.Kind, dimensions)}, but got {PyRepr.TypeAndValue(value)}.");
        return (false, null);
    }

    private static bool Fits(ArgumentKind kind, object? value, int dimensions) => kind switch
    {
        ArgumentKind.Int => value is long,
        ArgumentKind.Ints => value is long || value is IReadOnlyList<object?> l && l.All(x => x is long) && (dimensions == 0 || l.Count == dimensions),
        ArgumentKind.IntList => value is long || value is IReadOnlyList<object?> l && l.Count > 0 && l.All(x => x is long),
        ArgumentKind.Text => value is string,
        ArgumentKind.TextList => value is not null,
        ArgumentKind.Bool => value is bool,
        ArgumentKind.Ignored => true,
        _ => false,
    };

    private static string Expected(ArgumentKind kind, int dimensions) => kind switch
    {
        ArgumentKind.Number => "a number",
        ArgumentKind.Int => "an int",
        ArgumentKind.Ints when dimensions > 0 => $"an int or a list of {dimensions} ints",
        ArgumentKind.Ints or ArgumentKind.IntList => "an int or a list of ints",
        ArgumentKind.Choice or ArgumentKind.Text => "a string",
        ArgumentKind.TextList => "a str or a list of str",
        ArgumentKind.Bool => "a bool",
        _ => "valid",
    };
}
