// reports/index.html: one row per notebook with its status, duration, headline metrics and a link; a run stopped
// by a signal says so, with the notebook it interrupted and the ones it did not start.
import * as path from "path";
import { StopSignal } from "../io/signals";
import { describeFailure, describeInterruption } from "../notebook/runner";
import { escapeHtml } from "../runtime/display";
import type { PublishedRun } from "./publish";

export interface IndexOptions {
  profile: string;
  seconds: number;
  outDir: string;
  /** Notebooks not started because the run was stopped. */
  notRun?: string[];
  /** The signal that stopped the run. */
  stopped?: StopSignal | null;
}

export function renderIndex(results: PublishedRun[], opts: IndexOptions): string {
  const rows = results
    .map((r) => {
      const name = path.basename(r.notebook, ".ipynb");
      const href = encodeURI(path.relative(opts.outDir, r.htmlPath));
      const metrics = Object.entries(r.runInfo.metrics ?? {})
        .map(([k, v]) => `${escapeHtml(k)}: <b>${escapeHtml(typeof v === "number" ? (Number.isInteger(v) ? v.toLocaleString("en-US") : v.toFixed(3)) : v)}</b>`)
        .join("<br>");
      const cls = r.ok ? "ok" : r.interrupted ? "interrupted" : "failed";
      const status = r.ok
        ? "ok"
        : r.interrupted
          ? escapeHtml(describeInterruption(r.interrupted))
          : `failed — ${escapeHtml(r.failure ? describeFailure(r.failure) : "(no failure recorded)")}`;
      return `<tr class="${cls}"><td><a href="${escapeHtml(href)}">${escapeHtml(name)}</a></td><td>${status}</td><td class="num">${r.seconds.toFixed(1)} s</td><td>${metrics}</td></tr>`;
    })
    .concat(
      (opts.notRun ?? []).map(
        (nb) => `<tr class="not-run"><td>${escapeHtml(path.basename(nb, ".ipynb"))}</td><td>not run (the run was stopped${opts.stopped ? ` by ${opts.stopped}` : ""})</td><td class="num"></td><td></td></tr>`,
      ),
    )
    .join("\n");
  const failed = results.filter((r) => !r.ok && !r.interrupted).length;
  const interrupted = results.filter((r) => r.interrupted).length;
  const stopped = opts.stopped
    ? `<p class="banner">This run was stopped by ${escapeHtml(opts.stopped)}: ${interrupted} notebook(s) interrupted, ${(opts.notRun ?? []).length} not run.</p>`
    : "";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Job Title Lab — reports</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d2330}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d5d9e0;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#f1f3f7}td.num{text-align:right}tr.failed td{background:#fff1f0}tr.interrupted td{background:#fff8e1}tr.not-run td{color:#889}
.banner{padding:.6em 1em;border-radius:4px;background:#fff8e1;border:1px solid #e2b93b;color:#6b4e00}</style></head>
<body><h1>Job Title Lab — reports</h1>${stopped}
<p>Profile <b>${escapeHtml(opts.profile)}</b>, ${results.length} notebook(s), ${failed} failed${interrupted ? `, ${interrupted} interrupted` : ""}, ${opts.seconds.toFixed(1)} s in all. Generated ${escapeHtml(new Date().toISOString())}.</p>
<table><thead><tr><th>notebook</th><th>status</th><th>duration</th><th>headline metrics</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
