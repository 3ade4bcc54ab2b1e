// Opens every report in a folder in headless Chromium and checks it as test/browser.ts does: every figure drawn,
// with its title and axis titles; nothing wider than the page column; no console errors; no request leaving the
// machine. Prints one line per report and exits 1 when any report has a problem.
//
//   npx tsx scripts/check-reports.ts <reports-dir> [--screenshots DIR]
//
// --screenshots writes a full-page PNG per report (<name>.png), to look at what the checks cannot judge.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { checkReport, chromiumSkipReason, PageCheck } from "../test/browser";

const USAGE = "usage: npx tsx scripts/check-reports.ts <reports-dir> [--screenshots DIR]";

/** The reports of a folder: its .html files but the index and the kept previous ones. */
function reportFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".html") && f !== "index.html" && !f.endsWith(".prev.html"))
    .sort()
    .map((f) => path.join(dir, f));
}

function summary(name: string, c: PageCheck, problems: string[]): string {
  const head = `${name.padEnd(32)} figures ${c.drawn}/${c.figures} drawn`;
  return problems.length ? `${head}, ${problems.length} problem(s):\n${problems.map((p) => `    ${p}`).join("\n")}` : `${head}, ok`;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { screenshots: { type: "string" } }, allowPositionals: true });
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const dir = positionals[0];
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    console.error(`${dir}: no such folder\n${USAGE}`);
    return 2;
  }
  const skip = chromiumSkipReason();
  if (skip) {
    console.error(skip);
    return 2;
  }
  const files = reportFiles(dir);
  if (files.length === 0) {
    console.error(`${dir}: no reports (*.html other than index.html)`);
    return 1;
  }
  let failing = 0;
  for (const file of files) {
    const name = path.basename(file, ".html");
    const screenshot = values.screenshots ? path.join(values.screenshots, `${name}.png`) : undefined;
    const c = await checkReport(file, { timeoutMs: 120_000, screenshot });
    const problems = [...c.problems, ...c.errors.map((e) => `console error: ${e}`)];
    if (problems.length) failing++;
    console.log(summary(name, c, problems));
  }
  console.log(`\n${files.length} report(s), ${failing} with problems${values.screenshots ? `; screenshots in ${values.screenshots}` : ""}`);
  return failing ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
