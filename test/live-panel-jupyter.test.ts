// The live classifier panel as a live Jupyter output (issue 16, item 4): Debian's classic notebook server with this
// project's tslab kernel, driven in headless Chromium. A cell `await liveClassifier(id)` right after training shows
// the panel as HTML with its scripts inline; it answers typed titles as `jtlab classify --run` does, and the saved
// notebook's nbconvert HTML answers from file:// with networking off.
import * as fs from "fs";
import * as path from "path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectPath } from "../src/data/paths";
import { chromiumSkipReason, launchChromium, withReport } from "./browser";
import { classifyPerType, smallRecordedSiameseRun, tmpDir } from "./helpers";
import { JupyterServer, KERNEL_NAME, jupyterSkipReason, nbconvertHtml, startJupyter } from "./jupyter";

const chromiumSkip = chromiumSkipReason();
const skip = chromiumSkip ?? jupyterSkipReason();
if (skip) console.log(`skipping the live panel's Jupyter test: ${skip}`);

declare const Jupyter: {
  notebook: { _fully_loaded?: boolean; kernel?: { is_connected(): boolean }; execute_cells(indices: number[]): void; save_notebook(): Promise<unknown> };
};

const TITLES = ["Head of People & Culture", "<script>alert(1)</script>"];

async function answered(page: Page, title: string | null): Promise<{ state: string; answer: { title: string; answers?: Record<string, { label: string; score: number }> } }> {
  await page.waitForFunction(
    (t) => {
      const e = document.querySelector<HTMLElement>(".jtlab-live");
      if (!e || !["ready", "error"].includes(e.dataset.state ?? "")) return false;
      return t === null || e.dataset.state === "error" || JSON.parse(e.dataset.answer ?? "{}").title === t;
    },
    title,
    { timeout: 180_000 },
  );
  const panel = page.locator(".jtlab-live");
  return { state: (await panel.getAttribute("data-state"))!, answer: JSON.parse((await panel.getAttribute("data-answer")) ?? "{}") };
}

describe.skipIf(skip !== null)("the live classifier panel in live Jupyter", () => {
  let server: JupyterServer | null = null;
  let context: BrowserContext | null = null;
  let nbDir = "";
  const runs = tmpDir("jtlab-live-jupyter-runs-");
  let runId = "";
  let cli: ({ title: string } & Record<"role" | "level" | "industry", { label: string; score: number }>)[] = [];
  const served = {} as Record<"role" | "level" | "industry", string>;

  beforeAll(async () => {
    const old = process.env.JTLAB_RUNS_DIR;
    process.env.JTLAB_RUNS_DIR = runs;
    try {
      runId = await smallRecordedSiameseRun();
      const { choose } = await import("../src/experiments/served");
      const { PANEL_PROTOCOLS } = await import("../src/report/live-classifier");
      for (const type of ["role", "level", "industry"] as const) served[type] = choose(type, { run: runId, among: PANEL_PROTOCOLS }).protocol;
      nbDir = tmpDir("jtlab-live-jupyter-");
      fs.symlinkSync(projectPath("src"), path.join(nbDir, "src"));
      const cell = { cell_type: "code", id: "c0", execution_count: null, metadata: {}, outputs: [], source: `import { liveClassifier } from "./src/report/live-classifier";\nawait liveClassifier(${JSON.stringify(runId)});` };
      const nb = { cells: [cell], metadata: { kernelspec: { name: KERNEL_NAME, display_name: `TypeScript (${KERNEL_NAME})`, language: "typescript" } }, nbformat: 4, nbformat_minor: 5 };
      fs.writeFileSync(path.join(nbDir, "live.ipynb"), JSON.stringify(nb, null, 1));
      // The kernel inherits the server's environment, and with it this registry.
      server = await startJupyter(nbDir);
    } finally {
      if (old === undefined) delete process.env.JTLAB_RUNS_DIR;
      else process.env.JTLAB_RUNS_DIR = old;
    }
    // The panel answers each type with the best protocol on dev a page can carry (live-classifier.ts).
    cli = classifyPerType<{ label: string; score: number }>(runId, TITLES, served, { JTLAB_RUNS_DIR: runs });
    context = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
  }, 60_000);

  it("renders as an output cell that answers typed titles as jtlab classify --run does; nbconvert's HTML answers offline", async () => {
    const page = await context!.newPage();
    const errors: string[] = [];
    const dialogs: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${server!.url}notebooks/live.ipynb?token=${server!.token}`, { waitUntil: "load", timeout: 60_000 });
    await page.waitForFunction(() => typeof Jupyter !== "undefined" && Jupyter.notebook?._fully_loaded && Jupyter.notebook.kernel?.is_connected(), null, { timeout: 60_000 });
    await page.evaluate(() => Jupyter.notebook.execute_cells([0]));
    const first = await answered(page, null);
    expect(first.state, server!.log()).toBe("ready");
    for (const [i, title] of TITLES.entries()) {
      await page.fill(".jtlab-live input", title);
      const { state, answer } = await answered(page, title);
      expect(state).toBe("ready");
      for (const type of ["role", "level", "industry"] as const) {
        expect(answer.answers![type].label, `${title} ${type}`).toBe(cli[i][type].label);
        expect(Math.abs(answer.answers![type].score - cli[i][type].score)).toBeLessThanOrEqual(1e-4);
      }
    }
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.evaluate(() => Jupyter.notebook.save_notebook());
    await page.close();
    const html = nbconvertHtml(path.join(nbDir, "live.ipynb"), server!.env);
    await withReport(html, { offline: true }, async ({ page: p, externalRequests }) => {
      const { state } = await answered(p, null);
      expect(state).toBe("ready");
      await p.fill(".jtlab-live input", TITLES[0]);
      const { answer } = await answered(p, TITLES[0]);
      expect(answer.answers!.role.label).toBe(cli[0].role.label);
      expect(externalRequests).toEqual([]);
    });
  }, 300_000);
});
