// One call shows a plotly figure in Jupyter and in the rendered report. Under `jtlab run` the figure goes out as
// plotly's JSON MIME type, which the report renderer draws with the one copy of plotly.js it embeds. In an
// interactive notebook it goes out as HTML that loads plotly.js once per kernel session (inlined, since the
// notebook may have no network). Outside a kernel it prints a one-line summary.
import * as fs from "fs";
import { escapeHtml } from "../runtime/display";
import { tslabDisplay, underRunner } from "../io/kernel-env";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A plotly figure: data traces, layout and config, as plotly.js takes them. */
export interface Figure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

export function plotlyBundlePath(): string {
  return require.resolve("plotly.js-dist-min/plotly.min.js");
}

let plotlyLoadedInKernel = false;

export function showPlot(fig: Figure): void {
  const t = tslabDisplay();
  const layout = { margin: { t: 40, r: 20, b: 50, l: 60 }, ...fig.layout };
  const full: Figure = { data: fig.data, layout, config: { responsive: true, displaylogo: false, ...fig.config } };
  if (!t) {
    const title = (layout as { title?: { text?: string } | string }).title;
    const name = typeof title === "string" ? title : title?.text ?? "figure";
    console.log(`[plot: ${name}; ${fig.data.length} trace(s)]`);
    return;
  }
  if (underRunner()) {
    t.display.raw(PLOTLY_MIME, JSON.stringify(full));
    return;
  }
  const id = `jtlab-plot-${Math.random().toString(36).slice(2)}`;
  const lib = plotlyLoadedInKernel ? "" : `<script>${fs.readFileSync(plotlyBundlePath(), "utf8")}</script>`;
  plotlyLoadedInKernel = true;
  const json = JSON.stringify(full).replace(/</g, "\\u003c");
  t.display.html(
    `${lib}<div id="${escapeHtml(id)}"></div><script>(function(){var f=${json};` +
      `Plotly.newPlot(${JSON.stringify(id)}, f.data, f.layout, f.config);})();</script>`,
  );
}
