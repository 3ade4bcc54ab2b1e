// The similarity model of every method that has one, for the invariance suite (src/eval/invariances.ts): char
// TF-IDF (fitted on the training titles, as served.ts builds it) always, word2vec and Doc2Vec from their latest
// runs, and the latest Siamese run. A method with no run is skipped with a log line, never trained here.
import { SimilarityModel } from "../core/types";
import { Datasets } from "../datasets/build";
import { evaluateInvariances, InvarianceResult } from "../eval/invariances";
import { InvariancePair, loadInvariances } from "../datasets/invariances";
import { EmbeddingKind, embeddingSimilarity, loadEmbeddingModel } from "../models/embeddings/title-vectors";
import { charTfidfSimilarity } from "../models/tfidf/similarity";
import { findRun, latestRun } from "./registry";
import { findEmbeddingRun, isSiameseMethod, loadSiamese } from "./trained-models";

/** The methods with title vectors, as `--method` names them ("siamese" stands for every Siamese variant). */
export const INVARIANCE_METHODS = ["char-tfidf", "word2vec", "doc2vec", "siamese"] as const;

export interface InvarianceModel {
  method: string;
  runId?: string;
  model: SimilarityModel;
}

export interface InvarianceModelOptions {
  /** Only these methods (names of INVARIANCE_METHODS); default all. */
  methods?: string[];
  /** A run id per method (e.g. { siamese: "2025…" }); a method not named uses its latest run. */
  runs?: Record<string, string>;
  /** One run id: its method alone is evaluated, from that run. */
  run?: string;
  log?: (line: string) => void;
}

/** The --method name a recorded method answers to. */
function familyOf(method: string): string {
  return isSiameseMethod(method) ? "siamese" : method;
}

export async function invarianceModels(d: Datasets, opts: InvarianceModelOptions = {}): Promise<InvarianceModel[]> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  for (const m of opts.methods ?? []) {
    if (!(INVARIANCE_METHODS as readonly string[]).includes(m)) throw new Error(`method ${JSON.stringify(m)} has no similarity model (methods with one: ${INVARIANCE_METHODS.join(", ")})`);
  }
  const runs: Record<string, string> = { ...opts.runs };
  let methods: string[] = opts.methods?.length ? [...opts.methods] : [...INVARIANCE_METHODS];
  if (opts.run) {
    const r = findRun(opts.run);
    const family = familyOf(r.method);
    if (!(INVARIANCE_METHODS as readonly string[]).includes(family)) throw new Error(`run ${r.id} is a ${r.method} run, which has no similarity model`);
    if (opts.methods?.length && !opts.methods.includes(family)) throw new Error(`run ${r.id} is a ${r.method} run, not one of ${opts.methods.join(", ")}`);
    methods = [family];
    runs[family] = r.id;
  }
  const out: InvarianceModel[] = [];
  for (const method of INVARIANCE_METHODS.filter((m) => methods.includes(m))) {
    const id = runs[method];
    if (method === "char-tfidf") {
      // Its model is the training titles' idf whatever the run: the run id is only recorded.
      out.push({ method, ...(id ? { runId: findRun(id).id } : {}), model: charTfidfSimilarity(d.train.map((t) => t.title)) });
    } else if (method === "word2vec" || method === "doc2vec") {
      const kind = method as EmbeddingKind;
      const found = findEmbeddingRun(kind, id);
      if (!found) {
        log(`invariances: no trained ${kind} run in the registry, skipped (train one with notebook 03)`);
        continue;
      }
      out.push({ method, runId: found.runId, model: embeddingSimilarity(kind, loadEmbeddingModel(kind, found.dir), found.config.inferEpochs ?? 20) });
    } else {
      const r = id ? findRun(id) : latestRun({ method: isSiameseMethod, kind: "train", artifact: "model" });
      if (!r) {
        log("invariances: no trained Siamese run in the registry, skipped (train one with `npx jtlab train siamese`)");
        continue;
      }
      const { trained, runId } = await loadSiamese(r.id, log);
      out.push({ method: r.method, runId, model: trained.similarity });
    }
  }
  return out;
}

/** The suite for every model invarianceModels finds (pairs default to data/gold/invariances.tsv). */
export async function runInvariances(
  d: Datasets,
  opts: InvarianceModelOptions & { pairs?: readonly InvariancePair[]; failures?: number } = {},
): Promise<InvarianceResult[]> {
  const pairs = opts.pairs ?? loadInvariances();
  const out: InvarianceResult[] = [];
  for (const m of await invarianceModels(d, opts)) out.push(await evaluateInvariances(m.model, pairs, { method: m.method, runId: m.runId, failures: opts.failures }));
  return out;
}
