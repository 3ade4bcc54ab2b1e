// One scoring worker thread: loads the served model once (its own tfjs backend, its own copy of the weights), then
// scores the chunks of distinct titles it is sent. Messages: → {type: "score", id, titles}; ← {type: "ready"},
// {type: "scored", id, labels, scores, classScores} (buffers transferred), {type: "error", message}.
import { parentPort, workerData } from "worker_threads";
import { loadDatasets } from "../datasets/build";
import { lazyDatasets, servePerType, ServeRequest, taxonomyVectors } from "../experiments/served";
import { CustomTypeClassifier, ExampleSet } from "../models/representatives/custom-type";
import { scoreLayout, scoreTitles } from "./scored";

export interface WorkerInit {
  req: ServeRequest;
  /** --taxonomy types (structured clone keeps their Maps). */
  custom: ExampleSet[];
  threshold?: number;
}

async function main(): Promise<void> {
  const port = parentPort!;
  const { req, custom, threshold } = workerData as WorkerInit;
  const layout = scoreLayout(custom);
  const d = lazyDatasets(loadDatasets);
  const served = await servePerType(req, d, () => undefined);
  const vectors = custom.length ? (await taxonomyVectors(served, d)).similarity : null;
  const types: CustomTypeClassifier[] = [];
  for (const set of custom) types.push(await CustomTypeClassifier.create(vectors!, set, { threshold }));
  port.on("message", (m: { type: string; id: number; titles: string[] }) => {
    if (m.type !== "score") return;
    scoreTitles(served, m.titles, layout, types).then(
      (s) => port.postMessage({ type: "scored", id: m.id, n: s.n, labels: s.labels, scores: s.scores, classScores: s.classScores }, [s.labels.buffer, s.scores.buffer, s.classScores.buffer]),
      (e: Error) => port.postMessage({ type: "error", message: e.message }),
    );
  });
  port.postMessage({ type: "ready" });
}

main().catch((e: Error) => parentPort!.postMessage({ type: "error", message: e.message }));
