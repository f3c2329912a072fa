#nullable enable
using System.Globalization;

namespace InitCfg.Core.Reports;

/// <summary>Number and text formatting shared by the report writers (culture-invariant).</summary>
internal static class ReportText
{
    /// <summary>Four significant digits; empty for null, "nan" for NaN.</summary>
    public static string G4(double? d) => d switch
    {
        null => "",
        double v when double.IsNaN(v) => "nan",
        double v => v.ToString("G4", CultureInfo.InvariantCulture).Replace("E", "e"),
    };

    /// <summary>Round-trip digits; empty for null.</summary>
    public static string R(double? d) => d?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    /// <summary>An integer with thousands separators.</summary>
    public static string N0(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>HTML-escaped text (only the five markup characters: the page is UTF-8, so ² and · stay readable).</summary>
    public static string H(string? s) => (s ?? "").Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")
        .Replace("\"", "&quot;").Replace("'", "&#39;");

    /// <summary>The module path as the report shows it (the root as "(root)").</summary>
    public static string Module(string? path) => path is null ? "" : path.Length == 0 ? "(root)" : path;

    /// <summary>The initializer column: its type, or what wrote the tensor when no registered initializer did.</summary>
    public static string Initializer(ParameterInitRecord r) =>
        r.Initializer ?? (r.Written ? "(user-defined)" : r.InitInfo is null ? "(not initialized)" : "(none)");
}
