// Headless Chromium for report tests: Debian's chromium driven by playwright-core. Outside CI a machine without
// Chromium skips these tests with a printed reason; under CI=true they must run.
import * as fs from "fs";
import * as path from "path";
import { tmpDir } from "./helpers";

export const CHROMIUM = process.env.JTLAB_CHROMIUM ?? "/usr/bin/chromium";

export function chromiumSkipReason(): string | null {
  if (fs.existsSync(CHROMIUM)) return null;
  if (process.env.CI === "true") throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  return `${CHROMIUM} not found (install Debian's chromium to run the report browser tests)`;
}

export interface PageCheck {
  figures: number;
  drawn: number;
  /** Number of points in each figure's traces (x array lengths), in page order. */
  points: number[];
  errors: string[];
}

/** Opens a report and waits until every plotly figure has an svg.main-svg (or the timeout passes). */
export async function checkReport(file: string, timeoutMs = 60_000): Promise<PageCheck> {
  const { chromium } = await import("playwright-core");
  // A fresh profile folder per launch (playwright passes it as --user-data-dir).
  const browser = await chromium.launchPersistentContext(tmpDir("jtlab-chromium-"), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto("file://" + path.resolve(file), { waitUntil: "load", timeout: timeoutMs });
    const figures = await page.locator(".plotly-figure").count();
    await page
      .waitForFunction(
        (n) => Array.from(document.querySelectorAll(".plotly-figure")).filter((f) => f.querySelector("svg.main-svg")).length >= n,
        figures,
        { timeout: timeoutMs },
      )
      .catch(() => undefined);
    const drawn = await page.locator(".plotly-figure:has(svg.main-svg)").count();
    const points = await page.evaluate(() =>
      Array.from(document.querySelectorAll(".plotly-figure")).map((f) =>
        ((f as unknown as { data?: { x?: unknown[] }[] }).data ?? []).reduce((a, t) => a + (t.x?.length ?? 0), 0),
      ),
    );
    return { figures, drawn, points, errors };
  } finally {
    await browser.close();
  }
}
