#nullable enable
namespace InitCfg.Core.Reports;

/// <summary>The style sheet of the HTML report (inline: the page must work offline).</summary>
internal static class HtmlStyle
{
    /// <summary>CSS for <see cref="HtmlReport"/>.</summary>
    public const string Css = """

        :root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --bar: #4C78A8; --curve: #E45756; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
        header { padding: 18px 28px 10px; border-bottom: 1px solid var(--line); background: var(--soft); }
        h1 { margin: 0 0 4px; font-size: 22px; }
        h2 { font-size: 17px; margin: 22px 0 8px; }
        main { padding: 0 28px 28px; max-width: 1800px; }
        .sub, .note { color: var(--muted); margin: 4px 0 10px; }
        .note.warn { color: #9a6700; }
        .tables { display: grid; grid-template-columns: minmax(320px, auto) minmax(420px, 1fr); gap: 0 36px; align-items: start; }
        @media (max-width: 1000px) { .tables { grid-template-columns: 1fr; } }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: var(--soft); font-weight: 600; }
        tbody tr:nth-child(even) { background: #fbfcfd; }
        table.num td:not(:first-child), td.n { text-align: right; font-variant-numeric: tabular-nums; }
        .share { display: inline-block; width: 70px; height: 9px; background: #eaeef2; border-radius: 2px; vertical-align: middle; }
        .share span { display: block; height: 100%; background: var(--bar); border-radius: 2px; }
        code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
        td code { white-space: pre-wrap; word-break: break-word; }
        tr.partial td:first-child { border-left: 3px solid #d4a72c; }
        ul.warnings { padding-left: 20px; } ul.warnings li { margin: 3px 0; }
        .tag { font-size: 11px; background: #fff8c5; border: 1px solid #d4a72c; border-radius: 3px; padding: 0 4px; }
        ul.keys { margin: 4px 0; padding-left: 16px; max-height: 200px; overflow: auto; }
        .sw { display: inline-block; width: 14px; height: 10px; vertical-align: middle; border-radius: 2px; }
        .sw.bar { background: var(--bar); } .sw.curve { background: var(--curve); height: 3px; }
        .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 14px; }
        figure.plot { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px 6px; background: #fff; min-width: 0; }
        figure.plot svg { display: block; width: 100%; height: auto; }
        figcaption .pname { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-weight: 600; font-size: 13px; word-break: break-all; }
        figcaption .meta { color: var(--muted); font-size: 12px; }
        figcaption .info { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 11.5px; color: #3d4650;
          background: var(--soft); border-radius: 3px; padding: 2px 5px; margin-top: 3px; word-break: break-word; }
        .stats, .expect { font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
        .expect { color: #a8322f; } .bad { color: #cf222e; }
        details summary { cursor: pointer; } details summary h2 { display: inline; }
        details.left { margin-top: 12px; }
        table.params td.info { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 11.5px; }

        """;
}
