// Distinct titles scored on every core: `workers` threads, each with the model loaded once, take fixed chunks of the
// titles in turn. A chunk is scored the same whichever thread takes it (titles are encoded independently of their
// batch), and results are placed by chunk position, so the output does not depend on the number of workers. A pool
// lives as long as a run: a spilled run scores its buckets one after another on the same threads.
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import type { ServeRequest } from "../experiments/served";
import type { ExampleSet } from "../models/representatives/custom-type";
import { emptyScored, placeScored, ScoreLayout, ScoredTitles } from "./scored";

export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

const ENTRY = path.join(__dirname, "worker-entry.cjs");

interface Reply {
  type: string;
  id: number;
  n: number;
  labels: Int16Array;
  scores: Float32Array;
  classScores: Float32Array;
  message?: string;
}

export class ScoringPool {
  private readonly ready: Promise<void>[];
  private handler: ((w: Worker, m: Reply) => void) | null = null;
  private failure: ((e: Error) => void) | null = null;
  private closed = false;

  private constructor(private readonly workers: Worker[]) {
    this.ready = workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.on("message", (m: Reply) => {
            if (m.type === "ready") return resolve();
            if (m.type === "error") {
              reject(new Error(m.message));
              return this.failure?.(new Error(m.message));
            }
            this.handler?.(w, m);
          });
          w.on("error", (e) => {
            reject(e);
            this.failure?.(e);
          });
          w.on("exit", (code) => {
            if (this.closed) return;
            const e = new Error(`a scoring worker stopped (exit code ${code}) before the titles were scored`);
            reject(e);
            this.failure?.(e);
          });
        }),
    );
  }

  /** Starts `n` threads; each loads the served model for `req` (and the --taxonomy types' classifiers). */
  static start(req: ServeRequest, n: number, custom: readonly ExampleSet[] = [], threshold?: number): ScoringPool {
    return new ScoringPool(Array.from({ length: n }, () => new Worker(ENTRY, { workerData: { req, custom, threshold } })));
  }

  /** Scores `keys` in chunks of `chunk` titles, placed by position. */
  async score(keys: readonly string[], layout: ScoreLayout, chunk: number, onProgress?: (done: number) => void): Promise<ScoredTitles> {
    const out = emptyScored(keys.length, layout);
    if (keys.length === 0) return out;
    await Promise.all(this.ready);
    const chunks = Math.ceil(keys.length / chunk);
    let next = 0;
    let done = 0;
    let titles = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        this.failure = reject;
        const send = (w: Worker): void => {
          if (next >= chunks) return;
          const id = next++;
          w.postMessage({ type: "score", id, titles: keys.slice(id * chunk, (id + 1) * chunk) });
        };
        this.handler = (w, m) => {
          if (m.type !== "scored") return;
          placeScored(out, { n: m.n, labels: m.labels, scores: m.scores, classScores: m.classScores }, m.id * chunk);
          titles += m.n;
          onProgress?.(titles);
          if (++done === chunks) resolve();
          else send(w);
        };
        for (const w of this.workers) send(w);
      });
    } finally {
      this.handler = null;
      this.failure = null;
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
