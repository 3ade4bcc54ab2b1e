// Loads the AssemblyScript kernels (kernels-as/, built by scripts/build-kernels.mjs into src/runtime/wasm/) and
// runs them: one compiled module per kernel and thread, instances on a memory the caller owns, a bump allocator
// for laying out buffers in a fresh shared memory, and a pool of worker threads that run kernels on that memory.
// Every kernel imports its memory and writes nothing to it when instantiated (the build checks this), so any
// number of instances, on any thread, can share one memory.
import * as fs from "fs";
import * as path from "path";
import { Worker } from "worker_threads";

// A notebook's program under tslab has no DOM library and so no WebAssembly types: the little used here, declared.
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Adds pages; returns the previous size in pages. */
  grow(pages: number): number;
}
export type WasmModule = { readonly __wasmModule: unique symbol };
interface WasmApi {
  Memory: new (desc: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The kernels of kernels-as/kernels.json, by name. */
export const KERNEL_NAMES = ["siamese", "lda", "umap", "embeddings", "fasttext", "topk"] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

export const PAGE_BYTES = 65536;
/** wasm32's limit, 4 GiB; also the shared kernels' --maximumMemory in kernels-as/kernels.json. */
export const MAX_PAGES = 65536;

/** Where a kernel's binary is; read through __dirname because tslab compiles src/ in memory. */
export function wasmPath(name: KernelName): string {
  return path.join(__dirname, "wasm", `${name}.wasm`);
}

const compiled = new Map<KernelName, WasmModule>();

/** A kernel's compiled module, compiled once per thread. */
export function wasmModule(name: KernelName): WasmModule {
  let m = compiled.get(name);
  if (!m) {
    m = new WA.Module(fs.readFileSync(wasmPath(name)));
    compiled.set(name, m);
  }
  return m;
}

/** A new memory; `shared` ones can be handed to worker threads (they cannot grow past `maximum`). */
export function newMemory(desc: { initial: number; maximum?: number; shared?: boolean }): WasmMemory {
  return new WA.Memory(desc);
}

export function isWasmMemory(x: unknown): x is WasmMemory {
  return x instanceof WA.Memory;
}

/** An instance of kernel `name` on `memory`; K describes the exports the caller uses (pointers are byte offsets). */
export function instantiate<K>(name: KernelName, memory: WasmMemory): K {
  return new WA.Instance(wasmModule(name), { env: { memory } }).exports as K;
}

// Buffers start one page in, so that address 0 (an unset pointer) is never a buffer.
const HEAP_BASE = PAGE_BYTES;

/**
 * A bump allocator over one shared memory for kernel `name`: plan the buffers with reserve(), then open() creates
 * the memory, sized once so that nothing grows underneath the typed-array views, and an instance on it.
 */
export class Heap<K> {
  private top = HEAP_BASE;
  private mem: WasmMemory | null = null;

  constructor(readonly name: KernelName) {}

  /** Reserves bytes (16-byte aligned for SIMD loads) and returns their offset. */
  reserve(bytes: number): number {
    const p = Math.ceil(this.top / 16) * 16; // not `& ~15`: offsets can pass 2^31
    this.top = p + Math.max(bytes, 0);
    return p;
  }

  open(): K {
    const pages = Math.ceil(this.top / PAGE_BYTES) + 1;
    if (pages > MAX_PAGES) throw new Error(`${this.name} kernels: ${this.top} bytes needed, more than the 4 GiB a wasm memory holds`);
    this.mem = newMemory({ initial: pages, maximum: MAX_PAGES, shared: true });
    return instantiate<K>(this.name, this.mem);
  }

  get memory(): WasmMemory {
    if (!this.mem) throw new Error(`${this.name} kernels: open() the heap first`);
    return this.mem;
  }

  /** `threads` threads on this heap's memory for run(): the calling one and threads - 1 workers. Call close(). */
  pool(threads: number): KernelThreads<K> {
    return new KernelThreads<K>(this.name, this.memory, Math.max(1, threads) - 1);
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }
}

/** One kernel call: the export's name and its (numeric) arguments. */
export type KernelCall<K> = [fn: keyof K & string, ...args: number[]];

interface Job {
  calls: [string, ...number[]][];
  /** After the calls: call this export until it returns a negative number, posting each other value. */
  repeat?: string;
}

// Workers are generic: each instantiates the same module on the same memory and makes the calls it is sent.
// Eval'd source because notebooks compile src/ in memory, so there is no .js file to start a worker from.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("worker_threads");
const k = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports;
parentPort.on("message", (job) => {
  try {
    for (const [fn, ...args] of job.calls) k[fn](...args);
    if (job.repeat) for (let v = k[job.repeat](); v >= 0; v = k[job.repeat]()) parentPort.postMessage({ value: v });
    parentPort.postMessage({ ok: true });
  } catch (e) { parentPort.postMessage({ ok: false, error: String(e && e.stack || e) }); }
});`;

interface Slot {
  worker: Worker;
  done: ((err?: Error) => void) | null;
  onValue: ((value: number) => void) | null;
}

/**
 * Worker threads that run kernel `name` on a shared memory, each with its own instance (so its own globals).
 * Call close(), also after an error: a live worker keeps the process (or the notebook kernel) running.
 *
 * Work goes out as many short calls rather than one long one: V8 first runs wasm with its baseline compiler and
 * only switches to optimised code (about 3x faster here) at the next call, never inside a running one.
 */
export class KernelThreads<K> {
  private slots: Slot[] = [];
  private local: K | null = null;

  constructor(
    readonly name: KernelName,
    private readonly memory: WasmMemory,
    readonly workers: number,
  ) {
    for (let t = 0; t < workers; t++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: wasmModule(name), memory } });
      const slot: Slot = { worker, done: null, onValue: null };
      const finish = (err?: Error): void => {
        const d = slot.done;
        slot.done = null;
        slot.onValue = null;
        worker.unref();
        d?.(err);
      };
      worker.on("message", (m: { value?: number; ok?: boolean; error?: string }) => {
        if (m.value === undefined) return finish(m.ok ? undefined : new Error(m.error));
        try {
          slot.onValue?.(m.value);
        } catch (e) {
          finish(e as Error);
        }
      });
      worker.on("error", (e) => finish(e));
      worker.on("exit", (code) => finish(new Error(`${name} kernel worker exited with code ${code}`)));
      // An idle worker must not keep the process alive (a search index nobody disposes of would hang a command's
      // exit): workers hold the event loop only while a job of theirs is in flight. After the listeners, since
      // adding a "message" listener refs the worker's port again.
      worker.unref();
      this.slots.push(slot);
    }
  }

  /** Threads run() spreads calls over: this one and the workers. */
  get threads(): number {
    return this.workers + 1;
  }

  /**
   * Makes the calls of parts[t] on thread t, in order; part 0 runs on this thread, the others in the workers.
   * Parts must write disjoint memory.
   */
  async run(fn: keyof K & string, parts: number[][][]): Promise<void> {
    if (parts.length > this.threads) throw new Error(`${this.name} kernels: ${parts.length} parts for ${this.threads} threads`);
    const pending = parts.slice(1).map((calls, i) => this.post(i, { calls: calls.map((args) => [fn, ...args]) }, null));
    try {
      this.local ??= instantiate<K>(this.name, this.memory);
      const kernel = this.local[fn] as (...a: number[]) => void;
      for (const args of parts[0] ?? []) kernel(...args);
    } finally {
      await Promise.all(pending);
    }
  }

  /**
   * On every worker (none of the work on this thread, whose event loop stays free): the calls of setup(w), then
   * `fn()` over and over until it returns a negative number. Each other value it returns reaches onValue here, in
   * the order that worker returned them; a throw from onValue fails the run.
   */
  async repeat(fn: keyof K & string, onValue: (value: number) => void, setup: (worker: number) => KernelCall<K>[] = () => []): Promise<void> {
    await Promise.all(this.slots.map((_, w) => this.post(w, { calls: setup(w), repeat: fn }, onValue)));
  }

  private post(w: number, job: Job, onValue: ((value: number) => void) | null): Promise<void> {
    const slot = this.slots[w];
    return new Promise<void>((resolve, reject) => {
      slot.done = (err) => (err ? reject(err) : resolve());
      slot.onValue = onValue;
      slot.worker.ref();
      slot.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
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
