import * as path from "path";
import { describe, expect, it } from "vitest";
import { projectPath } from "../src/data/paths";
import { loadProfiles } from "../src/notebook/catalog";
import { checkReport, chromiumSkipReason } from "./browser";
import { runCli, tmpDir } from "./helpers";

const skip = chromiumSkipReason();
if (skip) console.log(`skipping report browser tests: ${skip}`);

describe.skipIf(skip !== null)("rendered reports in headless Chromium", () => {
  it("notebook 00's report draws every plotly figure and logs no errors", async () => {
    const out = tmpDir();
    const r = runCli(["run", projectPath("notebooks", "00-data-tour.ipynb"), "-p", "sample=200", "--out", out, "--quiet"]);
    expect(r.status, r.stderr).toBe(0);
    const page = await checkReport(path.join(out, "00-data-tour.html"));
    expect(page.figures).toBeGreaterThanOrEqual(3);
    expect(page.drawn).toBe(page.figures);
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
    expect(page.errors).toEqual([]);
  }, 600_000);
});
