// Refreshes experiments/reference/ from a registry that `npm run reproduce` has just filled: the run.json of each
// method's latest finished run (never model files), replacing the previous reference records, which git keeps.
// Usage: node scripts/copy-reference.mjs <runs dir>
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "fs";
import { dirname, join } from "path";
import { fileURLToPath } from "url";

const from = process.argv[2];
if (!from || !existsSync(from)) {
  console.error("usage: node scripts/copy-reference.mjs <runs dir filled by npm run reproduce>");
  process.exit(2);
}
const to = join(dirname(fileURLToPath(import.meta.url)), "..", "experiments", "reference");
const runs = readdirSync(from)
  .filter((id) => existsSync(join(from, id, "run.json")))
  .map((id) => JSON.parse(readFileSync(join(from, id, "run.json"), "utf8")))
  .filter((r) => r.status === "ok")
  .sort((a, b) => (a.started < b.started ? -1 : 1));
const latest = new Map(runs.map((r) => [r.method, r]));
if (latest.size === 0) {
  console.error(`${from}: no finished runs`);
  process.exit(1);
}
for (const old of existsSync(to) ? readdirSync(to) : []) {
  rmSync(join(to, old), { recursive: true });
  console.log(`removed ${old}`);
}
for (const r of latest.values()) {
  mkdirSync(join(to, r.id), { recursive: true });
  copyFileSync(join(from, r.id, "run.json"), join(to, r.id, "run.json"));
  console.log(`reference ${r.method}: ${r.id}`);
}
