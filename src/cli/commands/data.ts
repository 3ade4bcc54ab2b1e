// `jtlab data`: builds the derived datasets and prints sizes and class counts per split.
import { downloadData } from "../../data/download";
import { findDataDir } from "../../data/paths";
import { DEFAULT_DATASET_CONFIG, rebuildDatasets, summarize } from "../../datasets/build";
import { parse } from "../args";

const USAGE = "jtlab data [--download [--ons-url URL]] [--json]";

export async function dataCommand(argv: string[]): Promise<void> {
  const { values } = parse(argv, { download: { type: "boolean" }, "ons-url": { type: "string" }, json: { type: "boolean" } }, USAGE);
  if (values.download) {
    await downloadData({ onsUrl: values["ons-url"] });
  }
  const where = findDataDir();
  const t0 = performance.now();
  const d = rebuildDatasets(DEFAULT_DATASET_CONFIG, where.dir);
  const summary = summarize(d);
  if (values.json) {
    console.log(JSON.stringify({ dataDir: where.dir, fingerprint: d.fingerprint, ...summary }, null, 2));
    return;
  }
  console.log(`data: ${where.dir} (${where.origin})`);
  console.log(`derived: data/derived (fingerprint ${d.fingerprint}, ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  printSplits(d.train.length, d.dev.length, d.test.length, summary);
}

function printSplits(train: number, dev: number, test: number, s: Record<string, any>): void {
  console.log(`role/industry splits: train ${train}, dev ${dev}, test ${test} (left out of test as role-ambiguous: ${s.testAmbiguousLeftOut})`);
  for (const type of ["role", "industry"] as const) {
    const classes = Object.keys(s.train[type]).sort();
    const width = Math.max(...classes.map((c) => c.length));
    console.log(`\n${type === "role" ? "Functional Role" : "Professional Industry"}`.padEnd(width + 1) + "   train     dev    test");
    for (const c of classes) {
      const cell = (split: string): string => String(s[split][type][c] ?? 0).padStart(8);
      console.log(c.padEnd(width) + cell("train") + cell("dev") + cell("test"));
    }
  }
  console.log(`\nLevel gold: dev ${s.levelDev.size}, test ${s.levelTest.size}`);
  const levels = Object.keys(s.levelDev.level).sort();
  const width = Math.max(...levels.map((c) => c.length));
  for (const c of levels) console.log(c.padEnd(width) + String(s.levelDev.level[c] ?? 0).padStart(8) + String(s.levelTest.level[c] ?? 0).padStart(8));
  console.log(`\nsimulated profiles: ${s.profiles.size} people, ${s.profiles.titles} titles (simulated from O*NET, not real careers)`);
}
