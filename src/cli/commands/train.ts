// `jtlab train siamese|fasttext|vote|char-tfidf`: a method's experiment (train, evaluate dev + test under every
// protocol, record), from the command line, with the same code and parameters as its notebook.
import { siameseRunConfig } from "../../experiments/configs";
import { charTfidfSpec, fastTextSpec, siameseSpec, voteSpec } from "../../experiments/methods";
import { MethodSpec } from "../../experiments/pipeline";
import { embeddingModel } from "../../experiments/trained-models";
import { embeddingSimilarity } from "../../models/embeddings/title-vectors";
import { typeStat } from "../../experiments/metrics";
import { runExperiment } from "../../experiments/pipeline";
import { SIAMESE_OVERRIDES } from "../../models/siamese/config";
import { initBackend } from "../../runtime/backend";
import { parse, UsageError } from "../args";
import { parseParams } from "../params";

const USAGE =
  `jtlab train siamese [--profile quick|full] [-p name=value ...] [--backend wasm|webgpu|tensorflow|cpu] [--name NAME]\n  parameters: ${SIAMESE_OVERRIDES.join(", ")}\n` +
  "jtlab train fasttext|vote|char-tfidf   (fastText alone; its vote with char TF-IDF's neighbours and head; char TF-IDF)";

export async function trainCommand(argv: string[]): Promise<void> {
  const [what, ...rest] = argv;
  if (what === "fasttext" || what === "vote" || what === "char-tfidf") {
    parse(rest, {}, USAGE);
    // The vote takes Doc2Vec's latest run as a member (trained with the shared settings when there is none).
    const doc2vec = what === "vote" ? await embeddingModel("doc2vec") : null;
    const spec =
      what === "fasttext"
        ? fastTextSpec()
        : doc2vec
          ? voteSpec({}, { doc2vec: { runId: doc2vec.runId, similarity: embeddingSimilarity("doc2vec", doc2vec.model, doc2vec.config.inferEpochs) } })
          : charTfidfSpec();
    const x = await runExperiment(spec as MethodSpec<unknown>, { melo: what === "char-tfidf" });
    console.log(`run ${x.run.record.id}`);
    for (const row of [{ name: `${what} · ${x.run.record.metrics.protocol}`, m: x.run.record.metrics }, ...x.protocols.map((p) => ({ name: p.predictor.name, m: x.run.record.metrics.protocols![p.predictor.record.protocol] }))]) {
      const f = (type: "role" | "industry", stat: "macroF1" | "accuracy"): string => `${((row.m.test?.[type]?.[stat] ?? NaN) * 100).toFixed(1)}%`;
      console.log(`  ${row.name.padEnd(28)} test role macro-F1 ${f("role", "macroF1")} acc ${f("role", "accuracy")} · industry macro-F1 ${f("industry", "macroF1")} acc ${f("industry", "accuracy")}`);
    }
    return;
  }
  if (what !== "siamese") throw new UsageError(`usage: ${USAGE}`);
  const { values } = parse(rest, { profile: { type: "string" }, param: { type: "string", short: "p", multiple: true }, backend: { type: "string" }, name: { type: "string" } }, USAGE);
  const cfg = siameseRunConfig(values.profile ?? "quick", parseParams(values.param ?? []));
  // The backend first, as notebook 04 does: a backend that cannot start is a usage problem, not a failed run.
  await initBackend({ backend: values.backend });
  const x = await runExperiment(siameseSpec(cfg, { backend: values.backend, name: values.name }));
  const m = x.run.record.metrics;
  const pct = (v: number | null): string => (v === null ? "n/a" : `${(v * 100).toFixed(1)}%`);
  const t = x.model.training;
  console.log(`run ${x.run.record.id} (${x.model.backend.name}): ${t.history.length} epochs, best ${t.bestEpoch}, ${Math.round(t.pairsPerSecond)} pairs/s`);
  console.log(
    `test: role ${pct(typeStat(m, "test", "role", "accuracy"))} (coverage ${pct(typeStat(m, "test", "role", "coverage"))}), ` +
      `industry ${pct(typeStat(m, "test", "industry", "accuracy"))}, level (gold test) ${pct(typeStat(m, "test", "level", "accuracy"))}, ` +
      `golden ${m.test?.golden.passed}/${m.test?.golden.total}; MELO MRR ${m.melo?.mrr.toFixed(4) ?? "n/a"}`,
  );
  console.log(`model: ${x.run.dir}`);
}
