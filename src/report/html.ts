// Renders an executed notebook as one self-contained HTML file that opens offline: markdown (tables, and math as
// MathML, which browsers draw without fonts), highlighted code, stdout/stderr, HTML, images and plotly figures
// (plotly.js embedded once per file). Text outputs and metadata are HTML-escaped.
import * as fs from "fs";
import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";
import katex from "katex";
import { marked } from "marked";
import { Output } from "../notebook/messages";
import { Cell, Notebook, sourceText, tags } from "../notebook/nbformat";
import { escapeHtml } from "../runtime/display";
import { RUN_INFO_MIME } from "../runtime/run-info";
import { PLOTLY_MIME, plotlyBundlePath } from "../viz/plotly";

hljs.registerLanguage("typescript", typescript);

/** Richest first: the first MIME type an output carries from this list is the one shown. */
const MIME_ORDER = [PLOTLY_MIME, "text/html", "image/svg+xml", "image/png", "image/jpeg", "image/gif", "text/markdown", "text/latex", "text/plain"];

export interface RenderOptions {
  title: string;
}

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
    ? `<div class="cell-error">failed${meta.error.line ? ` at line ${meta.error.line}` : ""}: ${escapeHtml(meta.error.error)}</div>`
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
    return `<div class="banner">This run failed in ${cellName(m.failure.cell, "the injected parameters cell")}${m.failure.line ? `, line ${m.failure.line}` : ""}: ${escapeHtml(m.failure.error)}</div>`;
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

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d2330}
h1,h2,h3{line-height:1.25}header h1{margin-bottom:.2em}
table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #d5d9e0;padding:.25em .6em;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}thead th{background:#f1f3f7}
.run-meta th{background:#f1f3f7;width:9em}
.cell{margin:1.2em 0}.cell.code{border-left:3px solid #c9d2e3;padding-left:.8em}
.cell.injected{border-left-color:#e2b93b}.cell.status-error,.cell.status-timeout,.cell.status-interrupted{border-left-color:#d33}
.cell.status-skipped{opacity:.55}
.cell-head{font-size:12px;color:#667}.cell-head .prompt{font-family:monospace;color:#889}.cell-head .timing{float:right}
pre{background:#f6f8fa;padding:.6em .8em;overflow-x:auto;border-radius:4px;font-size:13px;margin:.3em 0}
pre.stream.stderr{background:#fff1f0;color:#8a1f11}.cell-error{color:#b00;font-weight:600;margin:.3em 0}
.outputs{margin-top:.3em}.plotly-figure{min-height:420px}.image-output img{max-width:100%}
.banner{padding:.6em 1em;border-radius:4px;background:#fff1f0;border:1px solid #f3b5ae;color:#8a1f11;margin:1em 0}
.banner.interrupted,.banner.running{background:#fff8e1;border-color:#e2b93b;color:#6b4e00}
.hljs-keyword,.hljs-built_in{color:#a626a4}.hljs-string{color:#50a14f}.hljs-number,.hljs-literal{color:#986801}
.hljs-comment{color:#8a919b;font-style:italic}.hljs-title,.hljs-title.function_{color:#4078f2}.hljs-type,.hljs-attr{color:#c18401}
`;

const FIGURE_SCRIPT = `
document.querySelectorAll('script[data-figure]').forEach(function (s) {
  var f = JSON.parse(s.textContent);
  Plotly.newPlot(s.getAttribute('data-figure'), f.data, f.layout || {}, f.config || {});
});`;

export function renderReport(nb: Notebook, opts: RenderOptions): string {
  const m = nb.metadata.jtlab ?? {};
  const state: RenderState = { figures: 0, runStatus: m.status ?? "" };
  let number = 0;
  const cells = nb.cells
    .map((c) => {
      if (!tags(c).includes("injected-parameters")) number++;
      return renderCell(c, number, state);
    })
    .join("\n");
  const plotly = state.figures > 0 ? `<script>${fs.readFileSync(plotlyBundlePath(), "utf8")}</script>` : "";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(opts.title)} — Job Title Lab</title><style>${CSS}</style>${plotly}</head>
<body><header><h1>${escapeHtml(opts.title)}</h1>${banner(m)}${headerTable(nb)}</header>
<main>
${cells}
</main>
${state.figures > 0 ? `<script>${FIGURE_SCRIPT}</script>` : ""}
</body></html>
`;
}
