#nullable enable
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>
/// Exact init records, kept beside each parameter tensor (TorchSharp returns the same Parameter object for a
/// module's parameter every time). MMEngine guesses the writer by comparing means; we record every write.
/// </summary>
public static class ParameterWrites
{
    private sealed class Box { public ParameterWrite? Value; }

    private static readonly ConditionalWeakTable<Tensor, Box> Table = new();

    /// <summary>The record of a parameter, or null when no init_weights ever covered it.</summary>
    public static ParameterWrite? Get(Tensor parameter) => Table.TryGetValue(parameter, out var b) ? b.Value : null;

    /// <summary>Sets the record of a parameter.</summary>
    public static void Set(Tensor parameter, ParameterWrite write) => Table.GetValue(parameter, _ => new Box()).Value = write;

    /// <summary>
    /// Records which initializer wrote <paramref name="parameter"/>, where the walk stands (the engine's part of
    /// <see cref="InitContext.Record"/>).
    /// </summary>
    public static void Record(Tensor parameter, Initializer initializer, InitContext context) =>
        Set(parameter, new ParameterWrite(initializer.Describe(), initializer.Type, initializer.Arguments.Given,
            context.CurrentModulePath, context.CurrentConfigPath, true));

    /// <summary>Forgets the record of a parameter (a rolled-back run that wrote it first).</summary>
    public static void Clear(Tensor parameter) => Table.Remove(parameter);

    private sealed class Loads { public IReadOnlyList<Checkpoints.LoadReport> Value = Array.Empty<Checkpoints.LoadReport>(); }

    private static readonly ConditionalWeakTable<nn.Module, Loads> LoadTable = new();

    /// <summary>The checkpoint loads of the last init_weights run on <paramref name="model"/>.</summary>
    public static IReadOnlyList<Checkpoints.LoadReport> GetLoads(nn.Module model) =>
        LoadTable.TryGetValue(model, out var l) ? l.Value : Array.Empty<Checkpoints.LoadReport>();

    /// <summary>Keeps the checkpoint loads of a run for the report.</summary>
    public static void SetLoads(nn.Module model, IReadOnlyList<Checkpoints.LoadReport> loads) =>
        LoadTable.GetValue(model, _ => new Loads()).Value = loads;

    private sealed class Warnings { public IReadOnlyList<Errors.InitWarning> Value = Array.Empty<Errors.InitWarning>(); }

    private static readonly ConditionalWeakTable<nn.Module, Warnings> WarningTable = new();

    /// <summary>The warnings of the last init_weights run on <paramref name="model"/> (for the exported reports).</summary>
    public static IReadOnlyList<Errors.InitWarning> GetWarnings(nn.Module model) =>
        WarningTable.TryGetValue(model, out var w) ? w.Value : Array.Empty<Errors.InitWarning>();

    /// <summary>Keeps the warnings of a run for the report.</summary>
    public static void SetWarnings(nn.Module model, IReadOnlyList<Errors.InitWarning> warnings) =>
        WarningTable.GetValue(model, _ => new Warnings()).Value = warnings;

    /// <summary>MMEngine's text for a parameter nothing wrote.</summary>
    public static string UnchangedText(string rootClass) =>
        $"The value is the same before and after calling `init_weights` of {rootClass} ";

    /// <summary>MMEngine's text for a parameter written by a user-defined init method.</summary>
    public static string UserDefinedText(string moduleClass) =>
        $"Initialized by user-defined `init_weights` in {moduleClass} ";
}
