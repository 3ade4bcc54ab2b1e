// Measures a report's live classifier panel in Debian's Chromium, opened from file:// with networking off: the time
// from navigation to the first answer on the page (the panel's own performance.now() when it first answers, which
// counts from the navigation's start), over several fresh browser launches; and the report's and its assets' bytes.
// Measured and printed, never asserted (a test must not depend on this machine's speed).
// usage: npx tsx scripts/measure-panel.ts REPORT.html [--times 5]
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { withReport } from "../test/browser";

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { times: { type: "string", default: "5" } } });
  const file = positionals[0];
  if (!file || !fs.existsSync(file)) throw new Error(`usage: npx tsx scripts/measure-panel.ts REPORT.html [--times 5] (no report at ${file})`);
  const times: number[] = [];
  for (let i = 0; i < Number(values.times); i++) {
    const ms = await withReport(file, { offline: true }, async ({ page, externalRequests, errors }) => {
      await page.waitForFunction(() => ["ready", "error"].includes(document.querySelector<HTMLElement>(".jtlab-live")?.dataset.state ?? ""), undefined, { timeout: 60_000 });
      const state = await page.locator(".jtlab-live").first().getAttribute("data-state");
      if (state !== "ready") throw new Error(`${file}: the panel did not answer (state ${state}): ${await page.locator(".jtlab-live").first().innerText()}`);
      if (externalRequests.length || errors.length) throw new Error(`${file}: requests ${externalRequests.join(", ")}; errors ${errors.join("; ")}`);
      return Number(await page.locator(".jtlab-live").first().getAttribute("data-ready-ms"));
    });
    times.push(ms);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${file}: navigation → first answer ${times.map((t) => `${t} ms`).join(", ")} (median ${sorted[Math.floor(sorted.length / 2)]} ms)`);
  console.log(`report ${fs.statSync(file).size.toLocaleString("en-US")} bytes`);
  const assets = path.join(path.dirname(file), "assets");
  if (fs.existsSync(assets)) for (const f of fs.readdirSync(assets).sort()) console.log(`assets/${f} ${fs.statSync(path.join(assets, f)).size.toLocaleString("en-US")} bytes`);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
