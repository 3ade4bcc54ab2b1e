// One scoring worker thread: loads the served model once (its own tfjs backend, its own copy of the weights), then
// scores the chunks of distinct titles it is sent. Messages: → {type: "score", id, titles}; ← {type: "ready"},
// {type: "scored", id, labels, scores, classScores} (buffers transferred), {type: "error", message}.
import { parentPort, workerData } from "worker_threads";
import { loadDatasets } from "../datasets/build";
import { lazyDatasets, servePerType, ServeRequest } from "../experiments/served";
import { scoreLayout, scoreTitles } from "./scored";

export interface WorkerInit {
  req: ServeRequest;
}

async function main(): Promise<void> {
  const port = parentPort!;
  const { req } = workerData as WorkerInit;
  const layout = scoreLayout();
  const served = await servePerType(req, lazyDatasets(loadDatasets), () => undefined);
  port.on("message", (m: { type: string; id: number; titles: string[] }) => {
    if (m.type !== "score") return;
    scoreTitles(served, m.titles, layout).then(
      (s) => port.postMessage({ type: "scored", id: m.id, n: s.n, labels: s.labels, scores: s.scores, classScores: s.classScores }, [s.labels.buffer, s.scores.buffer, s.classScores.buffer]),
      (e: Error) => port.postMessage({ type: "error", message: e.message }),
    );
  });
  port.postMessage({ type: "ready" });
}

main().catch((e: Error) => parentPort!.postMessage({ type: "error", message: e.message }));
