// reports/index.html: one row per notebook with its status, duration, headline metrics and a link.
import * as path from "path";
import { describeFailure } from "../notebook/runner";
import { escapeHtml } from "../runtime/display";
import type { PublishedRun } from "./publish";

export function renderIndex(results: PublishedRun[], opts: { profile: string; seconds: number; outDir: string }): string {
  const rows = results
    .map((r) => {
      const name = path.basename(r.notebook, ".ipynb");
      const href = encodeURI(path.relative(opts.outDir, r.htmlPath));
      const metrics = Object.entries(r.runInfo.metrics ?? {})
        .map(([k, v]) => `${escapeHtml(k)}: <b>${escapeHtml(typeof v === "number" ? (Number.isInteger(v) ? v : v.toFixed(3)) : v)}</b>`)
        .join("<br>");
      const status = r.ok ? "ok" : `failed — ${escapeHtml(describeFailure(r.failure!))}`;
      return `<tr class="${r.ok ? "ok" : "failed"}"><td><a href="${escapeHtml(href)}">${escapeHtml(name)}</a></td><td>${status}</td><td class="num">${r.seconds.toFixed(1)} s</td><td>${metrics}</td></tr>`;
    })
    .join("\n");
  const failed = results.filter((r) => !r.ok).length;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Job Title Lab — reports</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d2330}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d5d9e0;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#f1f3f7}td.num{text-align:right}tr.failed td{background:#fff1f0}</style></head>
<body><h1>Job Title Lab — reports</h1>
<p>Profile <b>${escapeHtml(opts.profile)}</b>, ${results.length} notebook(s), ${failed} failed, ${opts.seconds.toFixed(1)} s in all. Generated ${escapeHtml(new Date().toISOString())}.</p>
<table><thead><tr><th>notebook</th><th>status</th><th>duration</th><th>headline metrics</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
