import * as path from "path";
import { describe, expect, it } from "vitest";
import { projectPath } from "../src/data/paths";
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
  });
});
