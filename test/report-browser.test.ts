import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { projectPath, projectRoot } from "../src/data/paths";
import { loadProfiles } from "../src/notebook/catalog";
import { plotlyBundlePath } from "../src/viz/plotly";
import { checkReport, chromiumSkipReason, inspectReport, withReport } from "./browser";
import { sampleFigures } from "./fixtures/sample-figures";
import { runCli, tmpDir } from "./helpers";

const skip = chromiumSkipReason();
if (skip) console.log(`skipping report browser tests: ${skip}`);

describe.skipIf(skip !== null)("rendered reports in headless Chromium", () => {
  it("notebook 00's report draws every plotly figure with its titles, fits the column and logs no errors", async () => {
    const out = tmpDir();
    const r = runCli(["run", projectPath("notebooks", "00-data-tour.ipynb"), "-p", "sample=200", "--out", out, "--quiet"]);
    expect(r.status, r.stderr).toBe(0);
    const page = await checkReport(path.join(out, "00-data-tour.html"));
    expect(page.figures).toBeGreaterThanOrEqual(3);
    expect(page.drawn).toBe(page.figures);
    expect(page.problems).toEqual([]);
    expect(page.errors).toEqual([]);
  }, 300_000);
});

describe.skipIf(skip !== null)("the title-space report in headless Chromium", () => {
  it("draws the map with the quick profile's stated number of titles", async () => {
    const points = loadProfiles().quick["05-title-space"].points as number;
    const out = tmpDir();
    const runs = tmpDir("jtlab-runs-");
    // word2vec only: it trains in seconds when the registry has no run; the Siamese map needs notebook 04's model.
    const r = runCli(["run", projectPath("notebooks", "05-title-space.ipynb"), "-p", `points=${points}`, "-p", 'methods=["word2vec"]', "--out", out, "--quiet"], { JTLAB_RUNS_DIR: runs });
    expect(r.status, r.stderr).toBe(0);
    const page = await checkReport(path.join(out, "05-title-space.html"), 120_000);
    expect(page.figures).toBeGreaterThanOrEqual(1);
    expect(page.drawn).toBe(page.figures);
    expect(page.points).toContain(points);
    expect(page.problems).toEqual([]);
    expect(page.errors).toEqual([]);
  }, 600_000);
});

/** Copies `file` alone into a fresh folder (no assets/ beside it) and returns the copy. */
function alone(file: string): string {
  const copy = path.join(tmpDir("jtlab-alone-"), path.basename(file));
  fs.copyFileSync(file, copy);
  return copy;
}

describe.skipIf(skip !== null)("figures and tables in a report, in headless Chromium", () => {
  const fixture = path.join(projectRoot(), "test", "fixtures", "notebooks", "figures-and-tables.ipynb");
  const out = tmpDir("jtlab-figtab-");
  const report = path.join(out, "figures-and-tables.html");

  beforeAll(() => {
    const r = runCli(["run", fixture, "--out", out, "--quiet"]);
    expect(r.status, r.stderr).toBe(0);
  }, 300_000);

  it("draws every sample figure with its title and axis titles, nothing wider than the column, no console errors", async () => {
    const shot = path.join(out, "screenshot.png");
    const page = await checkReport(report, { screenshot: shot });
    expect(page.figures).toBe(sampleFigures().length);
    expect(page.drawn).toBe(page.figures);
    expect(page.figureChecks.every((f) => f.title !== "" && f.axes.every((a) => a.title !== ""))).toBe(true);
    expect(page.problems).toEqual([]);
    expect(page.errors).toEqual([]);
    expect(page.externalRequests).toEqual([]);
    expect(fs.readFileSync(shot).subarray(1, 4).toString()).toBe("PNG");
  });

  it("links plotly.js from assets/ (one copy, the report its content only) and draws from file://", async () => {
    const html = fs.readFileSync(report, "utf8");
    expect(html).toContain('<script src="assets/plotly.min.js"></script>');
    expect(Buffer.byteLength(html)).toBeLessThan(500_000);
    expect(fs.readFileSync(path.join(out, "assets", "plotly.min.js"))).toEqual(fs.readFileSync(plotlyBundlePath()));
    const page = await checkReport(report, { offline: true });
    expect(page.drawn).toBe(page.figures);
    expect(page.externalRequests).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it("sorts a table by a clicked header, numerically, both ways, and from the keyboard", async () => {
    await withReport(report, {}, async ({ page, errors }) => {
      const table = page.locator("table.jtlab-table", { has: page.locator("caption", { hasText: "long table" }) });
      const values = (col: number): Promise<number[]> =>
        table.locator(`tbody tr td:nth-child(${col})`).evaluateAll((tds) => tds.map((td) => Number(td.getAttribute("data-value") ?? td.textContent)));
      const header = table.locator("thead th", { hasText: "accuracy" });
      const col = (await table.locator("thead th").allTextContents()).findIndex((t) => t.trim() === "accuracy") + 1;
      const before = await values(col);
      expect(before).toHaveLength(200);
      await header.click();
      const ascending = await values(col);
      expect(ascending).toEqual([...before].sort((a, b) => a - b));
      expect(ascending).not.toEqual(before);
      expect(await header.getAttribute("aria-sort")).toBe("ascending");
      await header.click();
      expect(await values(col)).toEqual([...before].sort((a, b) => b - a));
      expect(await header.getAttribute("aria-sort")).toBe("descending");
      // The keyboard: a header takes focus and Enter sorts by it; the other headers lose their order mark.
      const count = table.locator("thead th", { hasText: "count" });
      await count.focus();
      await page.keyboard.press("Enter");
      const countCol = (await table.locator("thead th").allTextContents()).findIndex((t) => t.trim() === "count") + 1;
      const counts = await values(countCol);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(await count.getAttribute("aria-sort")).toBe("ascending");
      expect(await header.getAttribute("aria-sort")).toBe("none");
      // Text columns sort as text.
      const title = table.locator("thead th", { hasText: "title" });
      await title.click();
      const titles = await table.locator("tbody tr td:nth-child(1)").allTextContents();
      expect(titles).toEqual([...titles].sort());
      expect(errors).toEqual([]);
    });
  });

  it("keeps a long table's header row visible while its frame scrolls, and scrolls a wide table inside its frame", async () => {
    await withReport(report, {}, async ({ page }) => {
      const frame = page.locator(".jtlab-table-frame", { has: page.locator("caption", { hasText: "long table" }) });
      await frame.scrollIntoViewIfNeeded();
      const frameBox = (await frame.boundingBox())!;
      expect(await frame.evaluate((f) => f.scrollHeight > f.clientHeight)).toBe(true);
      await frame.evaluate((f) => (f.scrollTop = 2000));
      const th = frame.locator("thead th").first();
      const thBox = (await th.boundingBox())!;
      expect(await frame.evaluate((f) => f.scrollTop)).toBeGreaterThan(500);
      expect(Math.abs(thBox.y - frameBox.y)).toBeLessThanOrEqual(2);
      // The header is what a reader sees at that spot, not a row scrolled beneath it.
      const onTop = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest("th")?.textContent ?? null, [thBox.x + thBox.width / 2, thBox.y + thBox.height / 2]);
      expect(onTop).toBe(await th.textContent());
      const wide = page.locator(".jtlab-table-frame", { has: page.locator("caption", { hasText: "wide table" }) });
      const scroll = await wide.evaluate((f) => ({ scrollWidth: f.scrollWidth, clientWidth: f.clientWidth, column: document.querySelector("main")!.getBoundingClientRect().width }));
      expect(scroll.scrollWidth).toBeGreaterThan(scroll.clientWidth);
      expect(scroll.clientWidth).toBeLessThanOrEqual(scroll.column);
    });
  });

  it("a report without its assets/ shows its text and tables, and a note where each figure would be", async () => {
    const page = await withReport(alone(report), {}, async (r) => {
      const tables = await r.page.locator(".jtlab-table-frame table.jtlab-table").count();
      const notes = await r.page.locator(".plotly-figure .figure-missing").allTextContents();
      const headerShown = await r.page.locator("h1").first().isVisible();
      return { tables, notes, headerShown, check: await inspectReport(r) };
    });
    expect(page.headerShown).toBe(true);
    expect(page.tables).toBe(2);
    expect(page.check.figures).toBe(sampleFigures().length);
    expect(page.notes).toHaveLength(page.check.figures);
    for (const note of page.notes) expect(note).toContain("plotly.js not found at assets/plotly.min.js; run `jtlab report bundle figures-and-tables.html`");
    expect(page.notes[0]).toContain(`Figure not drawn: ${page.check.figureChecks[0].title}`);
    // The one error is the missing file itself.
    expect(page.check.errors.every((e) => /ERR_FILE_NOT_FOUND|Failed to load resource/.test(e))).toBe(true);
  });

  it("jtlab report bundle makes one file that opens and draws with networking off", async () => {
    const bundled = path.join(tmpDir("jtlab-bundle-"), "mail.html");
    const r = runCli(["report", "bundle", report, "--out", bundled]);
    expect(r.status, r.stderr).toBe(0);
    const html = fs.readFileSync(bundled, "utf8");
    expect(html).not.toMatch(/<script[^>]*\ssrc=/);
    const page = await checkReport(alone(bundled), { offline: true });
    expect(page.figures).toBe(sampleFigures().length);
    expect(page.drawn).toBe(page.figures);
    expect(page.externalRequests).toEqual([]);
    expect(page.problems).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it("jtlab run --self-contained writes one file that opens and draws with networking off", async () => {
    const own = tmpDir("jtlab-self-");
    const r = runCli(["run", fixture, "--out", own, "--quiet", "--self-contained"]);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readdirSync(own).sort()).toEqual(["figures-and-tables.html", "figures-and-tables.ipynb"]);
    const page = await checkReport(alone(path.join(own, "figures-and-tables.html")), { offline: true });
    expect(page.drawn).toBe(sampleFigures().length);
    expect(page.externalRequests).toEqual([]);
    expect(page.problems).toEqual([]);
    expect(page.errors).toEqual([]);
  }, 300_000);
});
