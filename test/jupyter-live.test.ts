// Plots in a live Jupyter page survive a browser reload (issue 15): Debian's classic notebook server with this
// project's tslab kernel, driven in headless Chromium. The first plot of a kernel session inlines plotly.js; after
// a reload the kernel still thinks the page has it, so a re-run plot must load it through its own loader. The
// saved notebook's nbconvert HTML must draw from file:// with networking off.
import * as fs from "fs";
import * as path from "path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { projectPath } from "../src/data/paths";
import { Figure, plotOutputHtml, showPlot, writePlotlyBeside } from "../src/viz/plotly";
import { chromiumSkipReason, launchChromium } from "./browser";
import { tmpDir } from "./helpers";
import { JupyterServer, KERNEL_NAME, jupyterSkipReason, nbconvertHtml, startJupyter } from "./jupyter";

// Fixed answers from the figure rules, so that the warnings showPlot writes can be checked here.
vi.mock("../src/viz/figure-rules", () => ({
  figureProblems: (fig: { layout?: { xaxis?: unknown } }) => (fig.layout?.xaxis ? [] : ["no x-axis title", "one trace, no legend needed"]),
}));

const chromiumSkip = chromiumSkipReason();
const skip = chromiumSkip ?? jupyterSkipReason();
if (skip) console.log(`skipping live Jupyter tests: ${skip}`);

/** Globals of classic Jupyter's page that the test drives. */
declare const Jupyter: {
  notebook: {
    _fully_loaded?: boolean;
    kernel?: { is_connected(): boolean };
    execute_cells(indices: number[]): void;
    save_notebook(): Promise<unknown>;
    clear_all_output(): void;
    get_cell(i: number): { output_area: { outputs: { data?: Record<string, string> }[] } };
  };
};

const PLOT_CELL = (title: string) =>
  `showPlot({ data: [{ type: "scatter", mode: "lines", name: "${title}", x: [1, 2, 3], y: [2, 1, 3] }], ` +
  `layout: { title: { text: "${title}" }, xaxis: { title: { text: "epoch" } }, yaxis: { title: { text: "loss (nats)" } } } });`;

function writeNotebook(file: string): void {
  const code = (id: string, source: string) => ({ cell_type: "code", id, execution_count: null, metadata: {}, outputs: [], source });
  const nb = {
    cells: [code("c0", `import { showPlot } from "./src/viz/plotly";\n${PLOT_CELL("first plot")}`), code("c1", PLOT_CELL("second plot"))],
    metadata: { kernelspec: { name: KERNEL_NAME, display_name: `TypeScript (${KERNEL_NAME})`, language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  fs.writeFileSync(file, JSON.stringify(nb, null, 1));
}

/** Console errors and page errors, collected for the whole life of a page. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("dialog", (d) => void d.accept());
  return errors;
}

async function waitForKernel(page: Page): Promise<void> {
  await page.waitForFunction(() => typeof Jupyter !== "undefined" && Jupyter.notebook?._fully_loaded && Jupyter.notebook.kernel?.is_connected(), null, { timeout: 60_000 });
}

async function drawnPlots(page: Page, n: number, timeoutMs = 120_000): Promise<number> {
  await page.waitForFunction((k) => document.querySelectorAll(".output_area svg.main-svg").length >= k, n, { timeout: timeoutMs }).catch(() => undefined);
  return page.locator(".output_area .js-plotly-plot").count();
}

/** Opens a page and waits until each plot is drawn or says why it cannot be. */
async function openOffline(context: BrowserContext, file: string): Promise<{ drawn: number; unloaded: number; errors: string[] }> {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto("file://" + file, { waitUntil: "load", timeout: 60_000 });
  const settled = () => Array.from(document.querySelectorAll(".jtlab-plot")).every((p) => p.querySelector("svg.main-svg") || /not loaded/.test(p.textContent ?? ""));
  await page.waitForFunction(settled, null, { timeout: 60_000 }).catch(() => undefined);
  const drawn = await page.locator(".jtlab-plot:has(svg.main-svg)").count();
  const unloaded = await page.locator(".jtlab-plot", { hasText: "plotly.js is not loaded" }).count();
  await page.close();
  return { drawn, unloaded, errors };
}

const HOSTILE_TITLE = "</script><script>document.title='pwned'</script><!--";

function hostileFigure(): Figure {
  return { data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }], layout: { title: { text: HOSTILE_TITLE } } };
}

describe("showPlot outside a kernel and its output HTML", () => {
  it("writes each figure-rule problem as one warning line and still prints the summary", () => {
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(() => showPlot(hostileFigure())).not.toThrow();
      expect(err.mock.calls.map((c) => String(c[0]))).toEqual([`figure "${HOSTILE_TITLE}": no x-axis title\n`, `figure "${HOSTILE_TITLE}": one trace, no legend needed\n`]);
      expect(log.mock.calls.map((c) => String(c[0]))).toEqual([`[plot: ${HOSTILE_TITLE}; 1 trace(s)]`]);
    } finally {
      err.mockRestore();
      log.mockRestore();
    }
  });

  it("keeps the figure JSON inside its script element and stays small without the library", () => {
    const html = plotOutputHtml(hostileFigure(), "p1");
    expect(html.match(/<\/script>/gi)).toHaveLength(1);
    expect(html).not.toContain("<!--");
    expect(html.length).toBeLessThan(4_000);
    expect(plotOutputHtml(hostileFigure(), "p1", "/* plotly */").startsWith("<script>/* plotly */</script>")).toBe(true);
  });
});

describe.skipIf(chromiumSkip !== null)("plot outputs in a page without plotly.js, in headless Chromium", () => {
  it("load plotly.js once from beside the page for every waiting plot, and draw hostile titles as text", async () => {
    const dir = tmpDir("jtlab-plot-page-");
    const outputs = [0, 1, 2].map((i) => plotOutputHtml(hostileFigure(), `p${i}`)).join("\n");
    fs.writeFileSync(path.join(dir, "page.html"), `<!doctype html><html><head><title>plots</title></head><body>${outputs}</body></html>`);
    writePlotlyBeside(dir);
    const context = await launchChromium();
    try {
      await context.setOffline(true);
      const page = await context.newPage();
      const errors = collectErrors(page);
      const requests: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      await page.goto("file://" + path.join(dir, "page.html"), { waitUntil: "load" });
      await page.waitForFunction(() => Array.from(document.querySelectorAll(".jtlab-plot")).filter((p) => p.querySelector("svg.main-svg")).length === 3, null, { timeout: 60_000 });
      expect(requests.filter((u) => u.endsWith("/plotly.min.js"))).toHaveLength(1);
      expect(await page.title()).toBe("plots");
      expect(await page.locator("#p2 .gtitle").textContent()).toBe(HOSTILE_TITLE);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe.skipIf(skip !== null)("plots in live classic Jupyter (tslab kernel) in headless Chromium", () => {
  let server: JupyterServer | undefined;
  let context: BrowserContext | undefined;
  let nbDir = "";
  const notebook = () => path.join(nbDir, "plots.ipynb");
  let firstRunCopy = "";

  beforeAll(async () => {
    nbDir = tmpDir("jtlab-live-nb-");
    // The notebooks import ./src/...: the jtlab kernel starts at the project root, and a kernel started in the
    // notebook's folder (tslab's own kernelspec) finds the same files through this link.
    fs.symlinkSync(projectPath("src"), path.join(nbDir, "src"));
    writeNotebook(notebook());
    server = await startJupyter(nbDir);
    context = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
  }, 60_000);

  it("draws on the first run, and again when a cell is re-run after a browser reload", async () => {
    const page = await context!.newPage();
    const errors = collectErrors(page);
    await page.goto(`${server!.url}notebooks/plots.ipynb?token=${server!.token}`, { waitUntil: "load", timeout: 60_000 });
    await waitForKernel(page);
    await page.evaluate(() => Jupyter.notebook.execute_cells([0, 1]));
    expect(await drawnPlots(page, 2), server!.log()).toBe(2);
    await page.evaluate(() => Jupyter.notebook.save_notebook());
    firstRunCopy = path.join(nbDir, "first-run.ipynb");
    fs.copyFileSync(notebook(), firstRunCopy);

    // Saved outputs of a trusted notebook would run their scripts again on load (the inlined plotly.js with them),
    // hiding the problem: clear them, as a reload of an unsaved page would.
    await page.evaluate(async () => {
      Jupyter.notebook.clear_all_output();
      await Jupyter.notebook.save_notebook();
    });
    await page.reload({ waitUntil: "load", timeout: 60_000 });
    await waitForKernel(page);
    expect(await page.evaluate(() => typeof (window as unknown as { Plotly?: unknown }).Plotly)).toBe("undefined");
    await page.evaluate(() => Jupyter.notebook.execute_cells([1]));
    expect(await drawnPlots(page, 1), `${errors.join("\n")}\n${server!.log()}`).toBe(1);
    // No plotly.min.js lies beside the notebook here: the page got plotly.js from the kernel.
    const injected = await page.evaluate(() => Array.from(document.head.querySelectorAll("script")).filter((s) => s.text.length > 1_000_000).length);
    expect(injected).toBe(1);
    // The re-run output carries only the loader: plotly.js came from elsewhere, not 4.8 MB in the output.
    const html = await page.evaluate(() => Jupyter.notebook.get_cell(1).output_area.outputs.map((o) => o.data?.["text/html"] ?? "").join(""));
    expect(html.length).toBeGreaterThan(0);
    expect(html.length).toBeLessThan(20_000);
    expect(errors.filter((e) => /Plotly is not defined/.test(e))).toEqual([]);
    await page.evaluate(() => Jupyter.notebook.save_notebook());
    await page.close();
  }, 240_000);

  it("nbconvert's HTML of the saved notebook draws from file:// with networking off", async () => {
    expect(firstRunCopy, "the live test saves the notebook first").not.toBe("");
    await context!.setOffline(true);
    await context!.route(/^https?:/, (r) => r.abort());
    try {
      // Saved after a first run: the first output holds plotly.js, and the plots after it wait for it.
      const first = await openOffline(context!, nbconvertHtml(firstRunCopy, server!.env));
      expect(first.drawn, first.errors.join("\n")).toBe(2);
      // Saved after the reload: no output holds plotly.js; the loader takes the copy beside the HTML.
      const out = tmpDir("jtlab-nbconvert-");
      const saved = path.join(out, "plots.ipynb");
      fs.copyFileSync(notebook(), saved);
      const html = nbconvertHtml(saved, server!.env);
      expect(fs.statSync(html).size).toBeLessThan(2_000_000);
      // Without it the plot says what is missing instead of staying blank.
      expect(await openOffline(context!, html)).toMatchObject({ drawn: 0, unloaded: 1 });
      writePlotlyBeside(out);
      const beside = await openOffline(context!, html);
      expect(beside.drawn, beside.errors.join("\n")).toBe(1);
      expect(beside.errors.filter((e) => /Plotly is not defined/.test(e))).toEqual([]);
    } finally {
      await context!.unroute(/^https?:/);
      await context!.setOffline(false);
    }
  }, 180_000);
});
