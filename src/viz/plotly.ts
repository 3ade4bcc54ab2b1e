// One call shows a plotly figure in Jupyter and in the rendered report. Under `jtlab run` the figure goes out as
// plotly's JSON MIME type, which the report renderer draws. In an interactive notebook it goes out as HTML with a
// small loader (below); outside a kernel it prints a one-line summary. Every figure is first checked against the
// figure rules, and what it breaks is written to stderr as warnings.
import * as fs from "fs";
import * as path from "path";
import { escapeHtml } from "../runtime/display";
import { tslabDisplay, underRunner } from "../io/kernel-env";
import { figureProblems } from "./figure-rules";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
/** What the kernel answers a page's request for plotly.js with (see PLOT_LOADER). */
export const PLOTLY_LIBRARY_MIME = "application/vnd.jtlab.plotly-library+javascript";
/** The file name the loader looks for next to the page (a notebook in Jupyter, or nbconvert's HTML). */
export const PLOTLY_BESIDE_NAME = "plotly.min.js";
/** The global through which a page asks this kernel for plotly.js. */
const LIBRARY_HOOK = "__jtlabPlotlyLibrary";

/** A plotly figure: data traces, layout and config, as plotly.js takes them. */
export interface Figure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

export function plotlyBundlePath(): string {
  return require.resolve("plotly.js-dist-min/plotly.min.js");
}

/** Copies plotly.js next to a notebook or its nbconvert HTML, so that its plots draw offline without a kernel. */
export function writePlotlyBeside(dir: string): string {
  const file = path.join(dir, PLOTLY_BESIDE_NAME);
  fs.copyFileSync(plotlyBundlePath(), file);
  return file;
}

export function figureTitle(fig: Figure): string {
  const title = (fig.layout as { title?: { text?: string } | string } | undefined)?.title;
  return (typeof title === "string" ? title : title?.text) || "figure";
}

/** JSON that can sit inside a <script> element: no "</script>", no "<!--", no JS-illegal line separators. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

// The loader every interactive plot output carries (about 1.5 KB). The page, not the kernel, knows whether it has
// plotly.js: a browser reload empties it while the kernel still thinks it was sent. So each output draws at once
// when window.Plotly exists, and otherwise queues itself; the first queued output loads plotly.js once for all:
//  1. after the page has been parsed (nbconvert's HTML may inline plotly.js in a later output);
//  2. from `plotly.min.js` next to the page: beside nbconvert's HTML on file://, and in Debian's classic
//     Jupyter (notebook 6) next to the notebook, since /notebooks/<dir>/<file> redirects to /files/<dir>/<file>;
//  3. from the kernel itself through classic Jupyter's page API (Jupyter.notebook.kernel): the kernel knows
//     where node_modules is, wherever the notebook and the server root are, and nothing is written anywhere.
//     The request is a single optional call, so it cannot fail in the kernel (a failed request would make
//     tslab drop the cells queued after it); tslab counts it as an execution, so the next In [n] skips one.
// (The kernelspec folder, served at /kernelspecs/<name>/, would be a fourth source if `jtlab kernel install`
// put plotly.min.js there; the kernel-side path already covers classic Jupyter without it.)
// Nothing comes from the network. When all fail, the output says why and the next plot tries again.
const PLOT_LOADER = `function(id,fig,mime,hook){
var w=window,d=document,s=w.__jtlabPlotly=w.__jtlabPlotly||{queue:[],loading:false};
function el(){return d.getElementById(id);}
function draw(){var e=el();if(e)w.Plotly.newPlot(e,fig.data,fig.layout,fig.config);}
if(w.Plotly&&!s.loading)return draw();
s.queue.push({draw:draw,el:el});if(s.loading)return;s.loading=true;
function done(ok){var q=s.queue;s.queue=[];s.loading=false;q.forEach(function(p){
try{if(ok)p.draw();else{var e=p.el();if(e)e.textContent="plotly.js is not loaded in this page: re-run the cell with the notebook's kernel running, or put plotly.min.js (from node_modules/plotly.js-dist-min) next to this page.";}}catch(x){console.error(x);}});}
function fromKernel(){var k=w.Jupyter&&w.Jupyter.notebook&&w.Jupyter.notebook.kernel;if(!k||!k.execute)return done(false);var got=false;
k.execute("(globalThis as any)."+hook+"?.()",{iopub:{output:function(m){var js=m.content&&m.content.data&&m.content.data[mime];
if(js&&!got){got=true;var t=d.createElement("script");t.text=js;d.head.appendChild(t);done(!!w.Plotly);}}},
shell:{reply:function(){setTimeout(function(){if(!got)done(false);},3000);}}},{silent:false,store_history:false});}
function fromFile(){var t=d.createElement("script");t.src="plotly.min.js";t.onload=function(){w.Plotly?done(true):fromKernel();};t.onerror=fromKernel;d.head.appendChild(t);}
function start(){w.Plotly?done(true):fromFile();}
d.readyState==="loading"?d.addEventListener("DOMContentLoaded",start):start();}`.replace(/\n/g, "");

/** The HTML of one interactive plot output: a div and the loader call, plus plotly.js itself when `library` is set. */
export function plotOutputHtml(fig: Figure, id: string, library?: string): string {
  const lib = library === undefined ? "" : `<script>${library}</script>`;
  const args = [JSON.stringify(id), scriptSafeJson(fig), JSON.stringify(PLOTLY_LIBRARY_MIME), JSON.stringify(LIBRARY_HOOK)].join(",");
  return `${lib}<div id="${escapeHtml(id)}" class="jtlab-plot"></div><script>(${PLOT_LOADER})(${args});</script>`;
}

let plotlySentInKernel = false;

function warnFigureProblems(fig: Figure): void {
  for (const problem of figureProblems(fig)) process.stderr.write(`figure "${figureTitle(fig)}": ${problem}\n`);
}

/** Lets a page that lost plotly.js (a reload) ask this kernel for it: sent to the request that asks, not stored. */
function offerLibraryToPages(t: typeof import("tslab")): void {
  (globalThis as Record<string, unknown>)[LIBRARY_HOOK] = () => t.display.raw(PLOTLY_LIBRARY_MIME, fs.readFileSync(plotlyBundlePath(), "utf8"));
}

export function showPlot(fig: Figure): void {
  warnFigureProblems(fig);
  const t = tslabDisplay();
  const layout = { margin: { t: 40, r: 20, b: 50, l: 60 }, ...fig.layout };
  const full: Figure = { data: fig.data, layout, config: { responsive: true, displaylogo: false, ...fig.config } };
  if (!t) {
    console.log(`[plot: ${figureTitle(fig)}; ${fig.data.length} trace(s)]`);
    return;
  }
  if (underRunner()) {
    t.display.raw(PLOTLY_MIME, JSON.stringify(full));
    return;
  }
  offerLibraryToPages(t);
  // The first output of a kernel session inlines plotly.js: it draws with no server help at all, and a notebook
  // saved after a first run carries one copy for nbconvert's HTML. Later outputs carry only the loader.
  const library = plotlySentInKernel ? undefined : fs.readFileSync(plotlyBundlePath(), "utf8");
  plotlySentInKernel = true;
  t.display.html(plotOutputHtml(full, `jtlab-plot-${Math.random().toString(36).slice(2)}`, library));
}
