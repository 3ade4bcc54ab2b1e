import { chromium } from "playwright-core";
(async () => {
  const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update","--no-first-run"] });
  const p = await b.newPage({ viewport: { width: 1200, height: 1000 } });
  await p.goto("file://" + process.argv[2]); await p.waitForTimeout(1500);
  const el = p.locator(".plotly-figure").nth(Number(process.argv[3] ?? 0)); await el.scrollIntoViewIfNeeded(); await p.screenshot({ path: "/tmp/shot3.png" });
  await p.locator("table").nth(Number(process.argv[4] ?? 5)).scrollIntoViewIfNeeded(); await p.screenshot({ path: "/tmp/shot4.png" });
  await b.close();
})();
