// `jtlab classify`, `jtlab similar`: ask a trained Siamese model about titles.
import { loadDatasets } from "../../datasets/build";
import { titleIndex } from "../../experiments/title-index";
import { loadSiamese } from "../../experiments/trained-models";
import { num, parse, UsageError } from "../args";

const quietLog = (l: string): void => {
  if (process.env.JTLAB_VERBOSE) process.stderr.write(l + "\n");
};

const CLASSIFY_USAGE = 'jtlab classify "<title>" ["<title>" ...] [--json] [--run ID]';

export async function classifyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { json: { type: "boolean" }, run: { type: "string" } }, CLASSIFY_USAGE);
  if (positionals.length === 0) throw new UsageError(`give at least one title\n\nusage: ${CLASSIFY_USAGE}`);
  const { trained } = await loadSiamese(values.run, quietLog);
  const out = await trained.classify(positionals);
  if (values.json) {
    console.log(JSON.stringify(out));
    return;
  }
  for (const r of out) {
    console.log(JSON.stringify(r.title));
    for (const type of ["role", "level", "industry"] as const) console.log(`  ${type.padEnd(9)} ${r[type].label}  (${r[type].score.toFixed(3)})`);
  }
}

const SIMILAR_USAGE = 'jtlab similar "<title>" [-k 10] [--run ID] [--json]';

export async function similarCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { k: { type: "string", short: "k" }, run: { type: "string" }, json: { type: "boolean" } }, SIMILAR_USAGE);
  if (positionals.length !== 1) throw new UsageError(`give one title\n\nusage: ${SIMILAR_USAGE}`);
  const k = num(values.k, "k", 10);
  if (!Number.isInteger(k) || k < 1) throw new UsageError("-k expects a whole number of at least 1");
  const { trained, dir } = await loadSiamese(values.run, quietLog);
  const index = await titleIndex(trained, dir, loadDatasets().train.map((x) => x.title));
  const hits = await index.nearest(positionals[0], k);
  if (values.json) console.log(JSON.stringify(hits));
  else for (const h of hits) console.log(`${h.score.toFixed(3)}  ${h.title}`);
}
