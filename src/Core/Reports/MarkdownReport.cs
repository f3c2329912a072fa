#nullable enable
using System.Text;
using static InitCfg.Core.Reports.ReportText;
using static TorchSharp.torch;

namespace InitCfg.Core.Reports;

/// <summary>The init report as GitHub-flavoured Markdown tables, short enough to paste into a pull request.</summary>
public static class MarkdownReport
{
    /// <summary>Renders the Markdown text for <paramref name="model"/>.</summary>
    public static string Render(nn.Module model)
    {
        var c = ReportContent.Collect(model);
        var md = new StringBuilder();
        md.Append("### Init report: ").Append(Cell(c.ModelClass)).Append("\n\n")
          .Append(N0(c.Records.Count)).Append(" parameter tensors, ").Append(N0(c.Records.Sum(r => r.Elements))).Append(" values; ")
          .Append(N0(c.WrittenCount)).Append(" tensors written by init_weights.\n\n");

        md.Append("| Initializer | Tensors | Elements |\n|---|---:|---:|\n");
        foreach (var s in InitReport.Summarize(c.Records))
            md.Append("| ").Append(Cell(s.Initializer)).Append(" | ").Append(N0(s.Tensors)).Append(" | ").Append(N0(s.Elements)).Append(" |\n");

        if (c.Configs.Count > 0)
        {
            md.Append("\n| Module | init_cfg |\n|---|---|\n");
            foreach (var m in c.Configs) md.Append("| `").Append(Code(Module(m.ModulePath))).Append("` | `").Append(Code(m.Config)).Append("` |\n");
        }

        if (c.Loads.Count > 0)
        {
            md.Append("\n| Module | Checkpoint | Loaded | Missing | Unexpected | Shape mismatch |\n|---|---|---:|---:|---:|---:|\n");
            foreach (var l in c.Loads)
                md.Append("| `").Append(Code(Module(l.ModulePath))).Append("` | `").Append(Code(l.Checkpoint)).Append("` | ").Append(l.Loaded.Count)
                  .Append(" | ").Append(l.Missing.Count).Append(" | ").Append(l.Unexpected.Count).Append(" | ").Append(l.ShapeMismatched.Count).Append(" |\n");
        }

        if (c.Warnings.Count > 0)
        {
            md.Append("\nWarnings:\n\n");
            foreach (var w in c.Warnings) md.Append("- ").Append(Cell(w.ToString())).Append('\n');
        }

        md.Append("\n| Name | Shape | Initializer | Mean | Std | Min | Max | InitInfo |\n|---|---|---|---:|---:|---:|---:|---|\n");
        foreach (var r in c.Records)
            md.Append("| `").Append(Code(r.Name)).Append("` | ").Append(r.ShapeText).Append(" | ").Append(Cell(Initializer(r)))
              .Append(" | ").Append(G4(r.Mean)).Append(" | ").Append(G4(r.Std)).Append(" | ").Append(G4(r.Min)).Append(" | ").Append(G4(r.Max))
              .Append(" | ").Append(Cell(r.InitInfo)).Append(" |\n");
        return md.ToString();
    }

    // Inside a table cell a pipe ends the cell, even inside a code span: escape it. Backticks would open code spans,
    // '<' an HTML tag. Underscores stay: GFM does not emphasize inside words such as fan_out.
    private static string Cell(string? s) => (s ?? "").Replace("|", "\\|").Replace("`", "\\`")
        .Replace("<", "&lt;").Replace("\r", " ").Replace("\n", " ");

    // Inside a code span only the pipe needs escaping (GFM); backticks are replaced by a look-alike.
    private static string Code(string s) => s.Replace("|", "\\|").Replace("`", "'").Replace("\r", " ").Replace("\n", " ");
}
