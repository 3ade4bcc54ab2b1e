// `jtlab bench <name> [-p name=value ...] [--json]`: speed benchmarks, side by side with the Python peers.
import "../../bench/embeddings";
import "../../bench/fasttext";
import "../../bench/melo-tfidf";
import "../../bench/lda";
import "../../bench/siamese-classify";
import "../../bench/score";
import "../../bench/siamese-train";
import "../../bench/umap";
import "../../bench/topk";
import { benchmark, benchmarks } from "../../bench/registry";
import { parse, UsageError } from "../args";
import { parseParams } from "../params";

const USAGE = "jtlab bench <name|all> [-p name=value ...] [--backend wasm|webgpu|tensorflow|cpu] [--json]\n       jtlab bench --backend B   (Siamese training pairs/s on backend B: siamese-train)";

export async function benchCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { param: { type: "string", short: "p", multiple: true }, backend: { type: "string" }, json: { type: "boolean" } }, USAGE);
  // --backend alone times training on that backend: the one figure that says whether a GPU pays off.
  const name = positionals[0] ?? (values.backend !== undefined ? "siamese-train" : undefined);
  if (!name) {
    throw new UsageError(`name a benchmark:\n${benchmarks().map((b) => `  ${b.name.padEnd(14)} ${b.help}`).join("\n")}\n\nusage: ${USAGE}`);
  }
  const params = Object.fromEntries(Object.entries(parseParams(values.param ?? [])).map(([k, v]) => [k, String(v)]));
  if (values.backend !== undefined) {
    if (params.backend !== undefined && params.backend !== values.backend) {
      throw new UsageError(`--backend ${values.backend} and -p backend=${params.backend} disagree; give one`);
    }
    params.backend = values.backend;
  }
  const list = name === "all" ? benchmarks() : [benchmark(name)];
  const known = new Set(list.flatMap((b) => b.params));
  for (const p of Object.keys(params)) {
    if (!known.has(p)) {
      const which = list.length === 1 ? `${list[0].name} takes ${list[0].params.length ? list[0].params.join(", ") : "no parameters"}` : "no benchmark takes it";
      throw new UsageError(`unknown parameter ${JSON.stringify(p)}: ${which}`);
    }
  }
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
