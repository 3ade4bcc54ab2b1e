// Trained models from the registry: the run a command or notebook asked for by id, else the latest one that holds a
// model (the one "latest run" rule of registry.ts), with an error that says how to get one when there is none.
import * as path from "path";
import { Datasets } from "../datasets/build";
import { EmbeddingKind, EmbeddingModel, EmbeddingRunConfig, embeddingSimilarity, loadEmbeddingModel } from "../models/embeddings/title-vectors";
import { TrainedSiamese } from "../models/siamese/trained";
import { initBackend } from "../runtime/backend";
import { embeddingConfig } from "./configs";
import { embeddingSpec, VoteDoc2Vec } from "./methods";
import { runExperiment } from "./pipeline";
import { findRun, latestRun, RunRecord, runDir, runsDir, verifyRun } from "./registry";

export function isSiameseMethod(method: string): boolean {
  return method.startsWith("siamese");
}

/** The folder of a trained Siamese run: `id` (or a unique part of it), else the latest one with a model. */
export function siameseRunDir(id?: string): string {
  if (id) {
    const r = findRun(id);
    if (!isSiameseMethod(r.method)) throw new Error(`run ${r.id} is a ${r.method} run, not a Siamese model`);
    if (r.status !== "ok") throw new Error(`run ${r.id} did not finish (status ${r.status}${r.error ? `: ${r.error}` : ""})`);
    verifyRun(r);
    return runDir(r.id);
  }
  const r = latestRun({ method: isSiameseMethod, kind: "train", artifact: "model" });
  if (!r) throw new Error(`no trained Siamese model in ${runsDir()}: train one with \`npx jtlab train siamese\` (quick profile), or run notebook 04`);
  return runDir(r.id);
}

/** A trained Siamese model, ready to classify (the tfjs backend is chosen first). */
export async function loadSiamese(id?: string, log?: (line: string) => void): Promise<{ trained: TrainedSiamese; runId: string; dir: string }> {
  const dir = siameseRunDir(id);
  await initBackend({ log });
  return { trained: await TrainedSiamese.load(dir), runId: path.basename(dir), dir };
}

export interface EmbeddingFound {
  runId: string;
  dir: string;
  config: EmbeddingRunConfig;
}

/** A trained word2vec or Doc2Vec run: the named one, else the latest with a model, else null. */
export function findEmbeddingRun(kind: EmbeddingKind, id?: string): EmbeddingFound | null {
  const r: RunRecord | null = id ? findRun(id) : latestRun({ method: kind, artifact: "model" });
  if (!r) return null;
  if (r.method !== kind) throw new Error(`run ${r.id} is a ${r.method} run, not ${kind}`);
  if (!r.artifacts.model) throw new Error(`run ${r.id} holds no ${kind} model`);
  verifyRun(r);
  return { runId: r.id, dir: path.join(runDir(r.id), r.artifacts.model), config: r.params as unknown as EmbeddingRunConfig };
}

/** The model `jtlab eval` and the title maps use: the named or latest run; with none, one is trained with the defaults and recorded. */
export async function embeddingModel(
  kind: EmbeddingKind,
  id?: string,
  opts: { datasets?: Datasets; log?: (line: string) => void } = {},
): Promise<{ model: EmbeddingModel; runId: string; config: EmbeddingRunConfig }> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const found = findEmbeddingRun(kind, id);
  if (found) return { model: loadEmbeddingModel(kind, found.dir), runId: found.runId, config: found.config };
  log(`no trained ${kind} run in the registry: training one with the settings in experiments/configs/embeddings.json`);
  const x = await runExperiment(embeddingSpec(kind, embeddingConfig(kind)), { datasets: opts.datasets, melo: false, log });
  log(`trained and evaluated ${kind} run ${x.run.record.id}`);
  return { model: x.model.model, runId: x.run.record.id, config: x.model.config };
}

/** The latest Doc2Vec run as a member of the vote (src/experiments/methods.ts voteSpec), or undefined when there is none. */
export function doc2vecForVote(id?: string): VoteDoc2Vec | undefined {
  const found = findEmbeddingRun("doc2vec", id);
  if (!found) return undefined;
  return { runId: found.runId, similarity: embeddingSimilarity("doc2vec", loadEmbeddingModel("doc2vec", found.dir), found.config.inferEpochs) };
}
