#nullable enable
using System.Globalization;
using System.Reflection;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Core.Building;

/// <summary>
/// Describes a user's module class for the builder: its public constructor's parameters become the config's
/// arguments (matched case- and underscore-insensitively, so <c>in_channels</c> fills <c>inChannels</c>).
/// </summary>
public static class ClassModuleFactory
{
    /// <summary>A descriptor that constructs <paramref name="cls"/>.</summary>
    public static ModuleDescriptor CreateDescriptor(Type cls, string? type = null)
    {
        if (!typeof(nn.Module).IsAssignableFrom(cls) || cls.IsAbstract)
            throw new InitCfgException(ErrorIds.InvalidArgumentType, cls.FullName, $"{cls.FullName} is not a TorchSharp module class (or is abstract).");
        var ctor = cls.GetConstructors().Where(c => c.GetParameters().All(p => KindOf(p.ParameterType) is not null))
                      .OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InitCfgException(ErrorIds.InvalidArgumentType, cls.FullName,
                $"{cls.FullName} has no public constructor whose parameters are all ints, numbers, bools, strings or int arrays.");
        var attr = (InitModuleAttribute?)Attribute.GetCustomAttribute(cls, typeof(InitModuleAttribute));
        var parameters = ctor.GetParameters();
        var specs = parameters.Select(p => new ArgumentSpec(Snake(p.Name!), KindOf(p.ParameterType)!.Value,
            p.HasDefaultValue ? Normalize(p.DefaultValue) : null, $"Constructor parameter {p.Name} ({p.ParameterType.Name}).",
            Required: !p.HasDefaultValue, Nullable: p.HasDefaultValue && p.DefaultValue is null)).ToArray();
        return new ModuleDescriptor(type ?? attr?.Type ?? cls.Name,
            attr?.Description is { Length: > 0 } d ? d : $"User module {cls.FullName}.", specs,
            a => Construct(ctor, parameters, specs, a));
    }

    private static nn.Module Construct(ConstructorInfo ctor, ParameterInfo[] parameters, ArgumentSpec[] specs, ModuleArguments a)
    {
        var values = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var t = Nullable.GetUnderlyingType(parameters[i].ParameterType) ?? parameters[i].ParameterType;
            var name = specs[i].Name;
            values[i] = !a.Has(name) ? null
                : t == typeof(long[]) ? a.Ints(name)
                : t == typeof(int[]) ? a.Ints(name).Select(x => checked((int)x)).ToArray()
                : t == typeof(string) ? a.Text(name)
                : t == typeof(bool) ? a.Bool(name)
                : t == typeof(double) || t == typeof(float) ? Convert.ChangeType(a.Number(name), t, CultureInfo.InvariantCulture)
                : Convert.ChangeType(a.Int(name), t, CultureInfo.InvariantCulture);
        }
        try { return (nn.Module)ctor.Invoke(values); }
        catch (TargetInvocationException e)
        {
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.ToString(),
                $"{ctor.DeclaringType!.Name} could not be constructed: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    private static ArgumentKind? KindOf(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(long) || t == typeof(int)) return ArgumentKind.Int;
        if (t == typeof(double) || t == typeof(float)) return ArgumentKind.Number;
        if (t == typeof(bool)) return ArgumentKind.Bool;
        if (t == typeof(string)) return ArgumentKind.Text;
        if (t == typeof(long[]) || t == typeof(int[])) return ArgumentKind.IntList;
        return null;
    }

    private static object? Normalize(object? v) => v switch
    {
        int i => (long)i,
        float f => (double)f,
        int[] a => a.Select(x => (object?)(long)x).ToList(),
        long[] a => a.Select(x => (object?)x).ToList(),
        _ => v,
    };

    private static string Snake(string name)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && sb.Length > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
