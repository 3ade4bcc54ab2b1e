// `jtlab bench <name> [-p name=value ...] [--json]`: speed benchmarks, side by side with the Python peers.
import "../../bench/embeddings";
import "../../bench/melo-tfidf";
import "../../bench/lda";
import "../../bench/siamese-classify";
import "../../bench/siamese-train";
import "../../bench/umap";
import { benchmark, benchmarks } from "../../bench/registry";
import { parse, UsageError } from "../args";
import { parseParams } from "../params";

const USAGE = "jtlab bench <name|all> [-p name=value ...] [--json]";

export async function benchCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { param: { type: "string", short: "p", multiple: true }, json: { type: "boolean" } }, USAGE);
  const name = positionals[0];
  if (!name) {
    throw new UsageError(`name a benchmark:\n${benchmarks().map((b) => `  ${b.name.padEnd(14)} ${b.help}`).join("\n")}\n\nusage: ${USAGE}`);
  }
  const params = Object.fromEntries(Object.entries(parseParams(values.param ?? [])).map(([k, v]) => [k, String(v)]));
  const list = name === "all" ? benchmarks() : [benchmark(name)];
  const results = [];
  for (const b of list) {
    const log = values.json ? (l: string) => process.stderr.write(l + "\n") : (l: string) => console.log(l);
    log(`# ${b.name}: ${b.help}`);
    const r = await b.run({ params, log });
    for (const l of r.lines) log(l);
    results.push(r);
  }
  if (values.json) console.log(JSON.stringify(results, null, 2));
}
