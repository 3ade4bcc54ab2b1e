// Distinct titles scored on every core: `workers` threads, each with the model loaded once, take fixed chunks of the
// titles in turn. A chunk is scored the same whichever thread takes it (titles are encoded independently of their
// batch), and results are placed by chunk position, so the output does not depend on the number of workers.
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import type { ServeRequest } from "../experiments/served";
import { emptyScored, placeScored, ScoreLayout, ScoredTitles } from "./scored";

export interface PoolOptions {
  req: ServeRequest;
  /** Threads; default: the machine's cores. */
  workers?: number;
  /** Titles per chunk (each a message to a worker). */
  chunk?: number;
  onProgress?: (done: number) => void;
}

export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

const ENTRY = path.join(__dirname, "worker-entry.cjs");

export async function scoreDistinct(keys: readonly string[], layout: ScoreLayout, opts: PoolOptions): Promise<ScoredTitles> {
  const out = emptyScored(keys.length, layout);
  if (keys.length === 0) return out;
  const chunk = opts.chunk ?? 2048;
  const chunks = Math.ceil(keys.length / chunk);
  const n = Math.min(opts.workers ?? defaultWorkers(), chunks);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let scoredTitles = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: Error): void => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      const send = (w: Worker): void => {
        if (next >= chunks) return;
        const id = next++;
        w.postMessage({ type: "score", id, titles: keys.slice(id * chunk, (id + 1) * chunk) });
      };
      for (let k = 0; k < n; k++) {
        const w = new Worker(ENTRY, { workerData: { req: opts.req } });
        workers.push(w);
        w.on("message", (m: { type: string; id: number; n: number; labels: Int16Array; scores: Float32Array; classScores: Float32Array; message?: string }) => {
          if (m.type === "error") return fail(new Error(m.message));
          if (m.type === "ready") return send(w);
          if (m.type !== "scored") return;
          placeScored(out, { n: m.n, labels: m.labels, scores: m.scores, classScores: m.classScores }, m.id * chunk);
          scoredTitles += m.n;
          opts.onProgress?.(scoredTitles);
          if (++done === chunks) resolve();
          else send(w);
        });
        w.on("error", fail);
        w.on("exit", (code) => {
          if (done < chunks) fail(new Error(`a scoring worker stopped (exit code ${code}) before the titles were scored`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
