// Loads umap-kernels.wasm (built from kernels-as/umap/ by scripts/build-umap-kernels.sh) on a shared memory, and
// runs a kernel split over worker threads. Each call sizes its own memory up front, so nothing grows underneath the
// typed-array views, and a worker sees the same bytes without a copy.
import * as fs from "fs";
import * as path from "path";
import { Worker } from "worker_threads";

/** Exports of umap-kernels.wasm; pointers are byte offsets into the shared memory. */
export interface UmapKernels {
  probe(X: number, r0: number, r1: number, C: number, nc: number, dp: number, nprobe: number, scratch: number, probes: number): void;
  scanLists(X: number, dp: number, l0: number, l1: number, listStart: number, proberStart: number, probers: number, q0: number, q1: number, kk: number, topSim: number, topIdx: number): void;
  scanQueries(X: number, dp: number, n: number, queries: number, nq: number, kk: number, topSim: number, topIdx: number): void;
  refine(X: number, dp: number, nbr: number, q0: number, q1: number, kk: number, topSim: number, topIdx: number, stamp: number): void;
  layoutEpochs(emb: number, n: number, head: number, tail: number, E: number, eps: number, eons: number, epns: number, eonns: number, a: number, b: number, nEpochs: number, e0: number, e1: number, rng: number): void;
  heapBase(): number;
}

// A notebook's program under tslab has no DOM library and so no WebAssembly types: the little used here, declared.
interface WasmMemory {
  buffer: ArrayBuffer | SharedArrayBuffer;
}
interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export const UMAP_WASM_FILE = path.join(__dirname, "umap-kernels.wasm");
const PAGE = 65536;
// Buffers start here, clear of the module's static data (none at present; checked in open()).
const BASE = 65536;
// Matches --maximumMemory in scripts/build-umap-kernels.sh (4 GiB of address space, only reserved).
const MAX_PAGES = 65536;

let compiled: object | null = null;
function wasmModule(): object {
  compiled ??= new WA.Module(fs.readFileSync(UMAP_WASM_FILE));
  return compiled;
}

/** A bump allocator over one shared wasm memory: plan the buffers, then `open()` creates memory and instance. */
export class Heap {
  private top = BASE;
  memory: WasmMemory | null = null;
  kernels: UmapKernels | null = null;

  /** Reserves bytes (16-byte aligned for SIMD loads) and returns their offset. */
  reserve(bytes: number): number {
    const p = Math.ceil(this.top / 16) * 16; // not `& ~15`: offsets can pass 2^31
    this.top = p + Math.max(bytes, 0);
    return p;
  }

  open(): UmapKernels {
    const pages = Math.ceil(this.top / PAGE) + 1;
    if (pages > MAX_PAGES) throw new Error(`umap kernels: ${this.top} bytes needed, more than the 4 GiB a wasm memory holds`);
    this.memory = new WA.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
    this.kernels = new WA.Instance(wasmModule(), { env: { memory: this.memory } }).exports as unknown as UmapKernels;
    if (this.kernels.heapBase() > BASE) throw new Error(`umap kernels: static data ends at ${this.kernels.heapBase()}, above ${BASE}`);
    return this.kernels;
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory!.buffer, ptr, length);
  }

  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.memory!.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory!.buffer, ptr, length);
  }
}

// The worker is generic: it instantiates the same module on the same memory and makes the calls it is sent.
// Eval'd source because notebooks compile src/ in memory, so there is no .js file to start a worker from.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("worker_threads");
const k = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports;
parentPort.on("message", (job) => {
  try { for (const args of job.calls) k[job.fn](...args); parentPort.postMessage({ ok: true }); }
  catch (e) { parentPort.postMessage({ ok: false, error: String(e && e.stack || e) }); }
});`;

/**
 * Threads that run kernels on a heap's memory: the calling thread plus `threads - 1` workers. Call close().
 *
 * Work goes out as many short calls rather than one long one: V8 first runs wasm with its baseline compiler and
 * only switches to optimised code (about 3x faster here) at the next call, never inside a running one.
 */
export class KernelThreads {
  private workers: { worker: Worker; done: ((err?: Error) => void) | null }[] = [];

  constructor(private readonly heap: Heap, readonly threads: number) {
    for (let t = 1; t < threads; t++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: wasmModule(), memory: heap.memory } });
      const slot = { worker, done: null as ((err?: Error) => void) | null };
      const finish = (err?: Error): void => {
        const d = slot.done;
        slot.done = null;
        d?.(err);
      };
      worker.on("message", (m: { ok: boolean; error?: string }) => finish(m.ok ? undefined : new Error(m.error)));
      worker.on("error", (e) => finish(e));
      this.workers.push(slot);
    }
  }

  /**
   * Makes the calls of parts[t] on thread t, in order; part 0 runs on this thread, the others in the workers.
   * Parts must write disjoint memory.
   */
  async run(fn: keyof UmapKernels, parts: number[][][]): Promise<void> {
    if (parts.length > this.threads) throw new Error(`umap kernels: ${parts.length} parts for ${this.threads} threads`);
    const pending = parts.slice(1).map((calls, i) => {
      const slot = this.workers[i];
      return new Promise<void>((resolve, reject) => {
        slot.done = (err) => (err ? reject(err) : resolve());
        slot.worker.postMessage({ fn, calls });
      });
    });
    try {
      const kernel = this.heap.kernels![fn] as (...a: number[]) => void;
      for (const args of parts[0] ?? []) kernel(...args);
    } finally {
      await Promise.all(pending);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.workers = [];
  }
}

/** Splits [0, n) into `parts` contiguous ranges of about equal total cost (cost[i] for item i; default 1 each). */
export function splitRange(n: number, parts: number, cost?: ArrayLike<number>): [number, number][] {
  const c = (i: number): number => (cost ? cost[i] : 1);
  let total = 0;
  for (let i = 0; i < n; i++) total += c(i);
  const out: [number, number][] = [];
  let i = 0;
  let acc = 0;
  for (let p = 1; p <= parts; p++) {
    const start = i;
    const goal = (total * p) / parts;
    while (i < n && (p === parts || acc + c(i) / 2 <= goal)) acc += c(i++);
    out.push([start, i]);
  }
  return out;
}

/** [lo, hi) cut into pieces of at most `size`, each turned into a kernel call's arguments. */
export function pieces(lo: number, hi: number, size: number, call: (a: number, b: number) => number[]): number[][] {
  const out: number[][] = [];
  for (let a = lo; a < hi; a += size) out.push(call(a, Math.min(hi, a + size)));
  return out;
}
