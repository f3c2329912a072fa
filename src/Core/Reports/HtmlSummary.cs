#nullable enable
using System.Text;
using static InitCfg.Core.Reports.ReportText;

namespace InitCfg.Core.Reports;

/// <summary>The table sections of the HTML report: initializers, configs, warnings, checkpoint loads, all parameters.</summary>
internal static class HtmlSummary
{
    /// <summary>Parameters and elements per initializer.</summary>
    public static void Initializers(StringBuilder html, ReportContent c)
    {
        var rows = InitReport.Summarize(c.Records);
        long total = Math.Max(1, rows.Sum(r => r.Elements));
        html.Append("<section id=\"initializers\"><h2>Parameters per initializer</h2>\n<table class=\"num\"><thead><tr>")
            .Append("<th>Initializer</th><th>Tensors</th><th>Elements</th><th>Share of elements</th></tr></thead><tbody>\n");
        foreach (var r in rows)
        {
            double share = 100.0 * r.Elements / total;
            html.Append("<tr><td>").Append(H(r.Initializer)).Append("</td><td>").Append(N0(r.Tensors))
                .Append("</td><td>").Append(N0(r.Elements)).Append("</td><td><span class=\"share\"><span style=\"width:")
                .Append(share.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)).Append("%\"></span></span> ")
                .Append(share.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)).Append("%</td></tr>\n");
        }
        html.Append("</tbody></table></section>\n");
    }

    /// <summary>Modules that carry their own init_cfg, printed as MMEngine prints a config.</summary>
    public static void Configs(StringBuilder html, ReportContent c)
    {
        html.Append("<section id=\"configs\"><h2>Modules with an init_cfg</h2>\n");
        if (c.Configs.Count == 0)
        {
            html.Append("<p class=\"note\">No module carries an init_cfg.</p></section>\n");
            return;
        }
        html.Append("<table><thead><tr><th>Module</th><th>Class</th><th>init_cfg</th></tr></thead><tbody>\n");
        foreach (var m in c.Configs)
            html.Append("<tr><td class=\"mono\">").Append(H(Module(m.ModulePath))).Append("</td><td>").Append(H(m.ClassName))
                .Append("</td><td><code>").Append(H(m.Config)).Append("</code></td></tr>\n");
        html.Append("</tbody></table></section>\n");
    }

    /// <summary>Warnings of the last run, if any.</summary>
    public static void Warnings(StringBuilder html, ReportContent c)
    {
        if (c.Warnings.Count == 0) return;
        html.Append("<section id=\"warnings\"><h2>Warnings (").Append(c.Warnings.Count).Append(")</h2>\n<ul class=\"warnings\">\n");
        foreach (var w in c.Warnings)
            html.Append("<li><span class=\"tag\">").Append(H(w.WarningId)).Append("</span> ")
                .Append(w.Path is null ? "" : "<code>" + H(w.Path) + "</code>: ").Append(H(w.Message)).Append("</li>\n");
        html.Append("</ul></section>\n");
    }

    /// <summary>Checkpoint loads of the last run, if any.</summary>
    public static void Loads(StringBuilder html, ReportContent c)
    {
        if (c.Loads.Count == 0) return;
        html.Append("<section id=\"loads\"><h2>Checkpoint loads</h2>\n<table><thead><tr><th>Module</th><th>Checkpoint</th><th>Prefix</th>")
            .Append("<th>Loaded</th><th>Missing</th><th>Unexpected</th><th>Shape mismatch</th><th>NaN/Inf</th></tr></thead><tbody>\n");
        foreach (var l in c.Loads)
        {
            html.Append("<tr class=\"").Append(l.IsComplete && l.NonFinite.Count == 0 ? "ok" : "partial").Append("\"><td class=\"mono\">")
                .Append(H(Module(l.ModulePath))).Append("</td><td><code title=\"").Append(H(l.File)).Append("\">").Append(H(l.Checkpoint))
                .Append("</code></td><td>").Append(H(l.Prefix)).Append("</td><td>").Append(N0(l.Loaded.Count)).Append("</td>");
            Keys(html, l.Missing);
            Keys(html, l.Unexpected);
            Keys(html, l.ShapeMismatched.Select(s => s.ToString()).ToList());
            Keys(html, l.NonFinite);
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table></section>\n");
    }

    private static void Keys(StringBuilder html, IReadOnlyList<string> keys)
    {
        html.Append("<td>");
        if (keys.Count == 0) html.Append('0');
        else
        {
            html.Append("<details><summary>").Append(N0(keys.Count)).Append("</summary><ul class=\"keys\">");
            foreach (var k in keys) html.Append("<li><code>").Append(H(k)).Append("</code></li>");
            html.Append("</ul></details>");
        }
        html.Append("</td>");
    }

    /// <summary>Every parameter, folded away.</summary>
    public static void Parameters(StringBuilder html, ReportContent c)
    {
        html.Append("<section id=\"parameters\"><details><summary><h2>All parameters (").Append(N0(c.Records.Count))
            .Append(")</h2></summary>\n<table class=\"params\"><thead><tr><th>Name</th><th>Shape</th><th>Initializer</th><th>Mean</th>")
            .Append("<th>Std</th><th>Min</th><th>Max</th><th>InitInfo</th></tr></thead><tbody>\n");
        foreach (var r in c.Records)
            html.Append("<tr><td class=\"mono\">").Append(H(r.Name)).Append("</td><td class=\"mono\">").Append(H(r.ShapeText))
                .Append("</td><td>").Append(H(Initializer(r))).Append("</td><td class=\"n\">").Append(G4(r.Mean))
                .Append("</td><td class=\"n\">").Append(G4(r.Std)).Append("</td><td class=\"n\">").Append(G4(r.Min))
                .Append("</td><td class=\"n\">").Append(G4(r.Max)).Append("</td><td class=\"info\">").Append(H(r.InitInfo)).Append("</td></tr>\n");
        html.Append("</tbody></table></details></section>\n");
    }
}
