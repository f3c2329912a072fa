#nullable enable
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Initializers;

/// <summary>Type and range checks shared by every initializer argument.</summary>
internal static class ArgumentChecks
{
    /// <summary>Checks one value; returns the normalized value (canonical choice spelling) when valid.</summary>
    public static (bool Ok, object? Value) Check(ArgumentSpec spec, object? value, ConfigPath path, ProblemList problems)
    {
        if (value is null)
        {
            if (spec.Nullable || !spec.Required && spec.Default is null) return (true, null);
            problems.Add(ErrorIds.InvalidArgumentType, path, $"{spec.Name} must not be None.");
            return (false, null);
        }
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
            case ArgumentKind.Number:
                problems.Add(spec.Name is "bias" or "bias_prob" ? ErrorIds.BiasNotNumber : ErrorIds.InvalidArgumentType, path,
                    $"{spec.Name} must be a number, but got {PyRepr.TypeAndValue(value)}.");
                return (false, null);
            case ArgumentKind.Choice when value is string s:
                var choice = spec.Choices!.FirstOrDefault(c => string.Equals(c, s, StringComparison.OrdinalIgnoreCase));
                if (choice is not null) return (true, choice);
                problems.Add(ErrorIds.InvalidArgumentValue, path,
                    $"{spec.Name} must be one of {string.Join(", ", spec.Choices!.Select(c => "'" + c + "'"))}, but got {PyRepr.Short(s, 80)}.{(s.Length <= 80 ? Nearest.Hint(s, spec.Choices!) : "")}");
                return (false, null);
            case ArgumentKind.Text when value is string:
                return (true, value);
            case ArgumentKind.TextList when value is string || value is IReadOnlyList<object?> l && l.All(x => x is string):
                return (true, value);
            case ArgumentKind.TextList:
                problems.Add(ErrorIds.LayerNotString, path, $"{spec.Name} must be a str or a list of str, but got {PyRepr.TypeAndValue(value)}.");
                return (false, null);
            case ArgumentKind.Bool when value is bool:
                return (true, value);
            default:
                problems.Add(ErrorIds.InvalidArgumentType, path,
                    $"{spec.Name} must be {KindText(spec.Kind)}, but got {PyRepr.TypeAndValue(value)}.");
                return (false, null);
        }
    }

    private static string KindText(ArgumentKind kind) => kind switch
    {
        ArgumentKind.Number => "a number",
        ArgumentKind.Choice => "a string",
        ArgumentKind.Text => "a string",
        ArgumentKind.TextList => "a str or a list of str",
        ArgumentKind.Bool => "a bool",
        _ => "valid",
    };
}
