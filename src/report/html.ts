// Renders an executed notebook as one HTML file: markdown (tables, and math as MathML, which browsers draw without
// fonts), highlighted code, stdout/stderr, HTML, images and plotly figures. plotly.js is either embedded once per
// file (a self-contained report that opens offline) or linked from the report folder's shared assets/ (a report set
// of a few hundred KB per report instead of 4.8 MB each). Text outputs and metadata are HTML-escaped.
import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";
import katex from "katex";
import { marked } from "marked";
import { Output } from "../notebook/messages";
import { Cell, Notebook, sourceText, tags } from "../notebook/nbformat";
import { escapeHtml } from "../runtime/display";
import { RUN_INFO_MIME } from "../runtime/run-info";
import { PLOTLY_MIME } from "../viz/plotly";
import { inlineScriptText, PLOTLY_ASSET, plotlySource } from "./assets";
import { LIVE_CLASSIFIER_MIME, newPanelPageState, PanelPageState, panelHtml, panelSourceOf } from "./panel-html";

hljs.registerLanguage("typescript", typescript);

/** Richest first: the first MIME type an output carries from this list is the one shown. */
const MIME_ORDER = [LIVE_CLASSIFIER_MIME, PLOTLY_MIME, "text/html", "image/svg+xml", "image/png", "image/jpeg", "image/gif", "text/markdown", "text/latex", "text/plain"];

export interface RenderOptions {
  title: string;
  /**
   * How the report gets plotly.js: "inline" embeds it (one offline file; the default), "link" loads
   * assets/plotly.min.js beside the report (see ensurePlotlyAsset). Live classifier panels follow it: their tfjs,
   * bundle and model inline, or linked from assets/ (see ensurePanelAssets).
   */
  plotly?: "inline" | "link";
}

/** Marks a file as a jtlab report (`jtlab report bundle` checks for it). */
export const REPORT_GENERATOR = "jtlab report";

/** Markdown with $inline$ and $$display$$ math; math is cut out before marked sees it and put back as MathML. */
export function renderMarkdown(md: string): string {
  const math: string[] = [];
  const stash = (tex: string, display: boolean): string => {
    math.push(katex.renderToString(tex, { output: "mathml", displayMode: display, throwOnError: false }));
    return `@@MATH${math.length - 1}@@`;
  };
  // Code spans and fenced blocks keep their dollars.
  const parts = md.split(/(```[\s\S]*?```|`[^`\n]*`)/g);
  const withMath = parts
    .map((p, i) => {
      if (i % 2 === 1) return p;
      return p
        .replace(/\$\$([\s\S]+?)\$\$/g, (_m, tex: string) => stash(tex, true))
        .replace(/(^|[^\\$])\$([^\s$](?:[^$\n]*?[^\s$])?)\$(?!\d)/g, (_m, pre: string, tex: string) => pre + stash(tex, false));
    })
    .join("");
  const html = marked.parse(withMath, { async: false, gfm: true }) as string;
  return html.replace(/@@MATH(\d+)@@/g, (_m, i: string) => math[Number(i)]);
}

function highlight(code: string): string {
  return hljs.highlight(code, { language: "typescript", ignoreIllegals: true }).value;
}

function asText(v: unknown): string {
  return Array.isArray(v) ? v.join("") : typeof v === "string" ? v : JSON.stringify(v, null, 2);
}

interface RenderState {
  figures: number;
  /** The run's status (metadata.jtlab.status): says why a skipped cell did not run. */
  runStatus: string;
  /** How scripts reach the page (plotly.js, and tfjs, the panel and its model for live classifier panels). */
  scripts: "inline" | "link";
  panels: PanelPageState;
}

function renderOutput(o: Output, state: RenderState): string {
  if (o.output_type === "stream") {
    return `<pre class="stream ${o.name}">${escapeHtml(o.text)}</pre>`;
  }
  if (o.output_type === "error") {
    return `<pre class="stream stderr">${escapeHtml(`${o.ename}: ${o.evalue}\n${o.traceback.join("\n")}`)}</pre>`;
  }
  const data = o.data;
  if (RUN_INFO_MIME in data) return "";
  const mime = MIME_ORDER.find((m) => m in data) ?? Object.keys(data)[0];
  if (mime === undefined) return "";
  const v = data[mime];
  switch (mime) {
    case LIVE_CLASSIFIER_MIME: {
      try {
        return `<div class="live-output">${panelHtml(panelSourceOf(v), state.scripts, state.panels)}</div>`;
      } catch (e) {
        return `<pre class="stream stderr">${escapeHtml(`live classifier: ${(e as Error).message}`)}</pre>`;
      }
    }
    case PLOTLY_MIME: {
      const fig = typeof v === "string" ? v : JSON.stringify(v);
      const id = `fig-${state.figures++}`;
      // "</" inside JSON would end the script element early.
      return `<div class="plotly-figure" id="${id}"></div><script type="application/json" data-figure="${id}">${fig.replace(/<\//g, "<\\/")}</script>`;
    }
    case "text/html":
      return `<div class="html-output">${asText(v)}</div>`;
    case "image/svg+xml":
      return `<div class="image-output">${asText(v)}</div>`;
    case "image/png":
    case "image/jpeg":
    case "image/gif":
      return `<div class="image-output"><img alt="" src="data:${mime};base64,${escapeHtml(asText(v).replace(/\s/g, ""))}"></div>`;
    case "text/markdown":
      return `<div class="markdown-output">${renderMarkdown(asText(v))}</div>`;
    case "text/latex":
      return `<div class="latex-output">${katex.renderToString(asText(v).replace(/^\$+|\$+$/g, ""), { output: "mathml", displayMode: true, throwOnError: false })}</div>`;
    default:
      return `<pre class="text-output">${escapeHtml(asText(v))}</pre>`;
  }
}

function renderCell(cell: Cell, number: number, state: RenderState): string {
  const src = sourceText(cell);
  if (cell.cell_type === "markdown") return `<section class="cell markdown">${renderMarkdown(src)}</section>`;
  if (cell.cell_type === "raw") return `<section class="cell raw"><pre>${escapeHtml(src)}</pre></section>`;
  const meta = cell.metadata?.jtlab ?? {};
  const injected = tags(cell).includes("injected-parameters");
  const status: string = meta.status ?? "not run";
  const classes = ["cell", "code", status === "ok" ? "" : `status-${status.replace(/\s/g, "-")}`, injected ? "injected" : ""].filter(Boolean).join(" ");
  const count = cell.execution_count ?? " ";
  const label = injected ? "parameters (injected)" : `cell ${number}`;
  const timing =
    status === "interrupted"
      ? `interrupted${typeof meta.duration === "number" ? ` after ${meta.duration.toFixed(2)} s` : ""}`
      : typeof meta.duration === "number"
        ? `${meta.duration.toFixed(2)} s`
        : status === "skipped"
          ? state.runStatus === "interrupted"
            ? "not run (the run was interrupted)"
            : "not run (an earlier cell failed)"
          : status === "running"
            ? "running when last saved"
            : "";
  const err = meta.error
    ? `<div class="cell-error">failed${meta.error.line ? ` at line ${meta.error.line}${meta.error.column ? `, column ${meta.error.column}` : ""}` : ""}: ${escapeHtml(meta.error.error)}</div>`
    : "";
  const outputs = (cell.outputs ?? []).map((o) => renderOutput(o, state)).join("");
  return (
    `<section class="${classes}"><div class="cell-head"><span class="prompt">[${escapeHtml(count)}]</span> ` +
    `<span class="label">${escapeHtml(label)}</span><span class="timing">${escapeHtml(timing)}</span></div>` +
    `<pre class="source"><code class="hljs language-typescript">${highlight(src)}</code></pre>${err}` +
    (outputs ? `<div class="outputs">${outputs}</div>` : "") +
    `</section>`
  );
}

const cellName = (n: number, injected = "the parameters cell"): string => (n === 0 ? injected : `cell ${n}`);

/** The run's status in words: "ok", "failed at cell 3", "interrupted at cell 2 by SIGINT", "running cell 4". */
function statusText(m: Record<string, any>): string {
  if (m.status === "failed" && m.failure) return `failed at ${cellName(m.failure.cell)}`;
  if (m.status === "interrupted" && m.interrupted) return `interrupted at ${cellName(m.interrupted.cell)} by ${m.interrupted.signal}`;
  if (m.status === "running") return typeof m.running_cell === "number" ? `running ${cellName(m.running_cell)} (not finished)` : "starting (not finished)";
  return m.status ?? "";
}

/** The status banner at the top of a report whose run did not end well. */
function banner(m: Record<string, any>): string {
  if (m.status === "failed" && m.failure) {
    return `<div class="banner">This run failed in ${cellName(m.failure.cell, "the injected parameters cell")}${m.failure.line ? `, line ${m.failure.line}${m.failure.column ? `, column ${m.failure.column}` : ""}` : ""}: ${escapeHtml(m.failure.error)}</div>`;
  }
  if (m.status === "interrupted" && m.interrupted) {
    return `<div class="banner interrupted">This run was interrupted at ${cellName(m.interrupted.cell, "the injected parameters cell")} by ${escapeHtml(m.interrupted.signal)}; the cells after it did not run.</div>`;
  }
  if (m.status === "running") {
    const at = typeof m.running_cell === "number" ? `while ${cellName(m.running_cell, "the injected parameters cell")} was running` : "before its first cell";
    return `<div class="banner running">This run had not finished when this report was saved (${at}): it is still running, or its process was killed.</div>`;
  }
  return "";
}

function headerTable(nb: Notebook): string {
  const m = nb.metadata.jtlab ?? {};
  const params = m.parameters && Object.keys(m.parameters).length ? JSON.stringify(m.parameters) : "(defaults)";
  const commit = m.git_commit ? `${String(m.git_commit).slice(0, 12)}${m.git_dirty ? " (working tree had uncommitted changes)" : ""}` : "(not a git checkout)";
  const rows: [string, string][] = [
    ["notebook", m.notebook ?? ""],
    ["status", statusText(m)],
    ["parameters", params],
    ["date", m.started ?? ""],
    ["git commit", commit],
    ["duration", typeof m.duration === "number" ? `${m.duration.toFixed(1)} s (kernel start-up ${Number(m.kernel_startup ?? 0).toFixed(1)} s)` : ""],
    ["tfjs backend", m.backend ?? "(not used)"],
    ["node", m.node ?? ""],
  ];
  return `<table class="run-meta">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>`;
}

/**
 * Tables scroll inside their own frame, never the page: the frame is as wide as the column at most and as tall as
 * about 30 rows, with the header row sticky at its top. Borders are drawn per cell ("separate") because a sticky
 * header of a collapsed-border table loses its borders while it floats.
 */
const TABLE_CSS = `
.jtlab-table-frame{width:fit-content;max-width:100%;max-height:36em;overflow:auto;margin:.6em 0;border:1px solid #d5d9e0;border-radius:4px;box-sizing:border-box}
.jtlab-table-frame>table{margin:0;border-collapse:separate;border-spacing:0;border:0}
.jtlab-table-frame th,.jtlab-table-frame td{border:0;border-right:1px solid #d5d9e0;border-bottom:1px solid #d5d9e0}
.jtlab-table-frame th,.jtlab-table-frame td.num{white-space:nowrap}
.jtlab-table-frame thead th{position:sticky;top:0;z-index:1;background:#f1f3f7}
.jtlab-table-frame caption{text-align:left;padding:.3em .6em;color:#556}
table.jtlab-table th.sortable{cursor:pointer;user-select:none}
table.jtlab-table th.sortable:focus-visible{outline:2px solid #4078f2;outline-offset:-2px}
table.jtlab-table th[aria-sort=ascending]::after{content:" \\25B2";font-size:.75em}
table.jtlab-table th[aria-sort=descending]::after{content:" \\25BC";font-size:.75em}
`;

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d2330}
header,main{min-width:0}
h1,h2,h3{line-height:1.25}header h1{margin-bottom:.2em}
table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #d5d9e0;padding:.25em .6em;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}thead th{background:#f1f3f7}
.run-meta th{background:#f1f3f7;width:9em}.run-meta td{overflow-wrap:anywhere}
.cell{margin:1.2em 0}.cell.code{border-left:3px solid #c9d2e3;padding-left:.8em}
.cell.injected{border-left-color:#e2b93b}.cell.status-error,.cell.status-timeout,.cell.status-interrupted{border-left-color:#d33}
.cell.status-skipped{opacity:.55}
.cell-head{font-size:12px;color:#667}.cell-head .prompt{font-family:monospace;color:#889}.cell-head .timing{float:right}
pre{background:#f6f8fa;padding:.6em .8em;overflow-x:auto;max-width:100%;box-sizing:border-box;border-radius:4px;font-size:13px;margin:.3em 0}
pre.stream.stderr{background:#fff1f0;color:#8a1f11}.cell-error{color:#b00;font-weight:600;margin:.3em 0}
.outputs{margin-top:.3em;min-width:0}.outputs>*{max-width:100%}
.html-output,.latex-output{overflow-x:auto}
.cell.markdown,.markdown-output{overflow-wrap:break-word}
.cell.markdown table,.markdown-output table{display:block;max-width:100%;overflow-x:auto}
math[display=block]{max-width:100%;overflow-x:auto}
.plotly-figure{min-height:420px;max-width:100%;overflow-x:auto}.image-output img{max-width:100%}
.plotly-figure.not-drawn{min-height:0}
.figure-missing{padding:1em;border:2px dashed #e2b93b;border-radius:4px;background:#fff8e1;color:#6b4e00}
.figure-missing b{display:block;color:#1d2330}
.banner{padding:.6em 1em;border-radius:4px;background:#fff1f0;border:1px solid #f3b5ae;color:#8a1f11;margin:1em 0}
.banner.interrupted,.banner.running{background:#fff8e1;border-color:#e2b93b;color:#6b4e00}
.hljs-keyword,.hljs-built_in{color:#a626a4}.hljs-string{color:#50a14f}.hljs-number,.hljs-literal{color:#986801}
.hljs-comment{color:#8a919b;font-style:italic}.hljs-title,.hljs-title.function_{color:#4078f2}.hljs-type,.hljs-attr{color:#c18401}
${TABLE_CSS}`;

/**
 * Makes every table.jtlab-table sortable by its header: a click (or Enter/Space on the focused header) sorts by that
 * column, ascending first, then toggles. Cells with data-value sort as numbers (a .num cell without one by its text
 * read as a number), others as text in natural order; empty cells stay last either way. A table not yet in a frame
 * (an older notebook's output) is put in one. Tables whose body cells span rows or columns are left as they are.
 */
const TABLE_SCRIPT = `
(function () {
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  function frame(t) {
    if (t.parentElement && t.parentElement.classList.contains('jtlab-table-frame')) return;
    var d = document.createElement('div');
    d.className = 'jtlab-table-frame';
    t.parentNode.insertBefore(d, t);
    d.appendChild(t);
  }
  function key(td) {
    if (!td) return { n: NaN, t: '' };
    var v = td.getAttribute('data-value');
    var text = td.textContent.trim();
    var n = v !== null && v !== '' ? Number(v) : td.classList.contains('num') ? parseFloat(text.replace(/[,%\\s]/g, '')) : NaN;
    return { n: n, t: text };
  }
  function blank(k) { return isNaN(k.n) && k.t === ''; }
  function compare(a, b) {
    var an = !isNaN(a.n), bn = !isNaN(b.n);
    if (an && bn) return a.n - b.n;
    if (an !== bn) return an ? -1 : 1;
    return collator.compare(a.t, b.t);
  }
  function sortBy(table, headers, th, col) {
    var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    var sign = dir === 'ascending' ? 1 : -1;
    headers.forEach(function (h) { h.setAttribute('aria-sort', h === th ? dir : 'none'); });
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (r, i) { return { r: r, k: key(r.cells[col]), i: i }; });
    rows.sort(function (a, b) {
      var ab = blank(a.k), bb = blank(b.k);
      if (ab || bb) return ab === bb ? a.i - b.i : ab ? 1 : -1;
      return sign * compare(a.k, b.k) || a.i - b.i;
    });
    rows.forEach(function (x) { body.appendChild(x.r); });
  }
  function sortable(table) {
    var head = table.tHead;
    if (!head || !head.rows.length || table.tBodies.length !== 1) return;
    var body = table.tBodies[0];
    var spans = Array.prototype.some.call(body.querySelectorAll('td,th'), function (c) { return c.rowSpan > 1 || c.colSpan > 1; });
    if (spans || !body.rows.length) return;
    var headers = Array.prototype.slice.call(head.rows[head.rows.length - 1].cells);
    var width = headers.reduce(function (w, h) { return w + h.colSpan; }, 0);
    if (width !== body.rows[0].cells.length) return;
    var col = 0;
    headers.forEach(function (th) {
      var at = col;
      col += th.colSpan;
      if (th.colSpan !== 1) return;
      th.classList.add('sortable');
      th.tabIndex = 0;
      th.setAttribute('aria-sort', 'none');
      th.setAttribute('title', 'Sort by ' + th.textContent.trim());
      th.addEventListener('click', function () { sortBy(table, headers, th, at); });
      th.addEventListener('keydown', function (e) {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        sortBy(table, headers, th, at);
      });
    });
  }
  document.querySelectorAll('table.jtlab-table').forEach(function (t) { frame(t); sortable(t); });
})();`;

/**
 * Draws each figure from its JSON. Without plotly.js (a linked report whose assets/ folder did not come along) each
 * figure's place says so, with its title, instead of staying blank.
 */
function figureScript(missingNote: string): string {
  return `
(function () {
  var note = ${JSON.stringify(missingNote).replace(/</g, "\\u003c")}.replace('{file}', function () { return decodeURIComponent(location.pathname.split('/').pop() || 'report.html'); });
  function titleOf(f) {
    var t = f && f.layout && f.layout.title;
    return typeof t === 'string' ? t : t && typeof t.text === 'string' ? t.text : '';
  }
  function explain(el, f, why) {
    var box = document.createElement('div');
    box.className = 'figure-missing';
    var title = document.createElement('b');
    title.textContent = 'Figure not drawn' + (titleOf(f) ? ': ' + titleOf(f).replace(/<[^>]*>/g, ' ') : '');
    box.appendChild(title);
    box.appendChild(document.createTextNode(why));
    el.classList.add('not-drawn');
    el.appendChild(box);
  }
  document.querySelectorAll('script[data-figure]').forEach(function (s) {
    var el = document.getElementById(s.getAttribute('data-figure'));
    var f = null;
    try { f = JSON.parse(s.textContent); } catch (e) { explain(el, null, 'its data could not be read: ' + e.message); return; }
    if (typeof Plotly === 'undefined') { explain(el, f, note); return; }
    var failed = function (e) { console.error(e); explain(el, f, 'plotly.js could not draw it: ' + (e && e.message || e)); };
    try { Promise.resolve(Plotly.newPlot(el, f.data, f.layout || {}, f.config || {})).catch(failed); } catch (e) { failed(e); }
  });
})();`;
}

/** What a linked report says in place of each figure when plotly.js did not load. */
export const MISSING_PLOTLY_NOTE =
  `plotly.js not found at ${PLOTLY_ASSET}; run \`jtlab report bundle {file}\` where the report was made for a ` +
  `self-contained copy, or keep the report's assets/ folder beside it.`;

/** The <script> that gives a report plotly.js: inline, or linked from the folder's shared copy. */
function plotlyScript(mode: "inline" | "link"): string {
  return mode === "inline" ? `<script>${inlineScriptText(plotlySource())}</script>` : `<script src="${PLOTLY_ASSET}"></script>`;
}

export function renderReport(nb: Notebook, opts: RenderOptions): string {
  const m = nb.metadata.jtlab ?? {};
  const state: RenderState = { figures: 0, runStatus: m.status ?? "", scripts: opts.plotly ?? "inline", panels: newPanelPageState() };
  let number = 0;
  const cells = nb.cells
    .map((c) => {
      if (!tags(c).includes("injected-parameters")) number++;
      return renderCell(c, number, state);
    })
    .join("\n");
  const figures = state.figures > 0;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="${REPORT_GENERATOR}">
<title>${escapeHtml(opts.title)} — Job Title Lab</title><style>${CSS}</style>${figures ? plotlyScript(opts.plotly ?? "inline") : ""}</head>
<body><header><h1>${escapeHtml(opts.title)}</h1>${banner(m)}${headerTable(nb)}</header>
<main>
${cells}
</main>
${figures ? `<script>${figureScript(MISSING_PLOTLY_NOTE)}</script>` : ""}
<script>${TABLE_SCRIPT}</script>
</body></html>
`;
}
