// The HTML report's look: neutral greys, system fonts, tabular numbers, light or dark after
// the reader's setting. Chart colours are CSS variables too, so the charts follow the theme.
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f6f8fa; --card: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --grid: #e7ebef;
  --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
  --series-users: #8250df; --series-planned: #6e7781; --series-rps: #0969da; --series-failures: #cf222e;
  --series-p50: #1a7f37; --series-p95: #bf8700; --series-p99: #cf222e;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --card: #151b23; --fg: #e6edf3; --muted: #9198a1; --border: #30363d; --grid: #262c36;
    --pass: #3fb950; --pass-bg: #12261e; --fail: #f85149; --fail-bg: #2d1517; --warn: #d29922; --warn-bg: #272115;
    --series-users: #a371f7; --series-planned: #8b949e; --series-rps: #4493f8; --series-failures: #f85149;
    --series-p50: #3fb950; --series-p95: #d29922; --series-p99: #f85149;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
}
main { max-width: 1180px; margin: 0 auto; padding: 32px 24px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 18px; margin: 36px 0 12px; }
.meta { color: var(--muted); margin: 0; }
.meta span + span::before { content: "·"; margin: 0 8px; }
.verdict { margin: 20px 0 0; padding: 12px 16px; border-radius: 8px; border: 1px solid; font-weight: 600; }
.verdict.pass { color: var(--pass); background: var(--pass-bg); border-color: var(--pass); }
.verdict.fail { color: var(--fail); background: var(--fail-bg); border-color: var(--fail); }
.verdict.warn { color: var(--warn); background: var(--warn-bg); border-color: var(--warn); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin-top: 24px; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 8px; padding: 12px 14px; }
.card .label { color: var(--muted); font-size: 13px; }
.card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; }
.chart { margin: 0; background: var(--card); border: 1px solid var(--border); border-radius: 8px; padding: 12px 12px 4px; min-width: 0; }
.chart h3 { font-size: 14px; margin: 0 0 8px; font-weight: 600; }
.chart .plot { min-height: 250px; }
.uplot .u-legend { font-size: 12px; color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--border); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { padding: 8px 12px; border-bottom: 1px solid var(--border); text-align: left; vertical-align: top; }
tr:last-child td { border-bottom: none; }
th { color: var(--muted); font-weight: 600; font-size: 13px; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 2px solid var(--border); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 13px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid; }
.badge.pass { color: var(--pass); background: var(--pass-bg); }
.badge.fail { color: var(--fail); background: var(--fail-bg); }
.tag { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 11px; color: var(--muted, #666); border: 1px solid currentColor; }
.bad { color: var(--fail); }
details summary { cursor: pointer; }
pre { white-space: pre-wrap; margin: 6px 0 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
`;
