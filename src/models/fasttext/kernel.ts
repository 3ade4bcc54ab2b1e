// The memory the "fasttext" wasm kernel (kernels-as/fasttext/) trains in, and the SGD loop that drives it: one
// shared memory with the input and output rows (padded to a multiple of 4 floats for the SIMD loads), every
// example's input rows, the labels, the training order and each thread's scratch.
import { Heap, KernelThreads, splitRange } from "../../runtime/wasm";

export interface FastTextKernel {
  configure(
    stride: number, classes: number, input: number, output: number, feats: number, offsets: number, labels: number, order: number,
    hid: number, grad: number, prob: number,
  ): void;
  /** Trains order[s0 .. s1); returns the summed loss. */
  train(s0: number, s1: number, step0: number, total: number, lr0: number): number;
}

/** What SGD needs, in plain arrays: rows are indices into the input matrix. */
export interface SgdProblem {
  dim: number;
  classes: number;
  rows: number;
  /** Initial input rows, rows × dim; taken over and returned trained. */
  input: Float32Array;
  feats: Int32Array;
  offsets: Int32Array;
  labels: Int32Array;
}

export interface SgdSchedule {
  epochs: number;
  lr: number;
  /** Fills `order` (0 .. n-1 in some order) for an epoch: the caller's seeded shuffle. */
  shuffle: (order: Int32Array, epoch: number) => void;
  /** Mean loss of the epoch, its last learning rate and its seconds. */
  onEpoch?: (epoch: number, loss: number, lr: number, seconds: number) => void;
}

// V8 runs a wasm function with its baseline compiler until the next call after tier-up, so the epoch goes out as
// many calls, each short enough for the optimised code to take over early.
const CALL_EXAMPLES = 2048;

/** The model after SGD: input rows × dim and output classes × dim, unpadded. */
export interface SgdResult {
  input: Float32Array;
  output: Float32Array;
}

class Layout {
  readonly heap = new Heap<FastTextKernel>("fasttext");
  readonly stride: number;
  readonly at: { input: number; output: number; feats: number; offsets: number; labels: number; order: number };
  readonly scratch: { hid: number; grad: number; prob: number }[] = [];
  readonly kernel: FastTextKernel;

  constructor(
    readonly p: SgdProblem,
    threads: number,
  ) {
    const h = this.heap;
    const n = p.labels.length;
    this.stride = Math.ceil(p.dim / 4) * 4;
    const f32 = (k: number): number => k * 4;
    this.at = {
      input: h.reserve(f32(p.rows * this.stride)),
      output: h.reserve(f32(p.classes * this.stride)),
      feats: h.reserve(p.feats.length * 4),
      offsets: h.reserve(p.offsets.length * 4),
      labels: h.reserve(n * 4),
      order: h.reserve(n * 4),
    };
    for (let t = 0; t < threads; t++) {
      // A cache line's gap on each side, so that threads' scratch never shares a line.
      h.reserve(64);
      this.scratch.push({ hid: h.reserve(f32(this.stride)), grad: h.reserve(f32(this.stride)), prob: h.reserve(f32(p.classes)) });
      h.reserve(64);
    }
    this.kernel = h.open();
    const s = this.stride;
    const input = h.f32(this.at.input, p.rows * s);
    for (let r = 0; r < p.rows; r++) input.set(p.input.subarray(r * p.dim, (r + 1) * p.dim), r * s);
    h.i32(this.at.feats, p.feats.length).set(p.feats);
    h.i32(this.at.offsets, p.offsets.length).set(p.offsets);
    h.i32(this.at.labels, n).set(p.labels);
    this.configure(this.kernel, 0);
  }

  configure(k: FastTextKernel, thread: number): void {
    const a = this.at;
    const sc = this.scratch[thread];
    k.configure(this.stride, this.p.classes, a.input, a.output, a.feats, a.offsets, a.labels, a.order, sc.hid, sc.grad, sc.prob);
  }

  order(): Int32Array {
    return this.heap.i32(this.at.order, this.p.labels.length);
  }

  result(): SgdResult {
    const { dim, rows, classes } = this.p;
    const s = this.stride;
    const unpad = (ptr: number, n: number): Float32Array => {
      const v = this.heap.f32(ptr, n * s);
      const out = new Float32Array(n * dim);
      for (let r = 0; r < n; r++) out.set(v.subarray(r * s, r * s + dim), r * dim);
      return out;
    };
    return { input: unpad(this.at.input, rows), output: unpad(this.at.output, classes) };
  }
}

/** Single-threaded SGD in the wasm kernel: deterministic for a given problem and schedule. */
export function sgdWasm(p: SgdProblem, sch: SgdSchedule): SgdResult {
  const L = new Layout(p, 1);
  const n = p.labels.length;
  const total = sch.epochs * n;
  const order = new Int32Array(n);
  for (let epoch = 0; epoch < sch.epochs; epoch++) {
    const t0 = performance.now();
    sch.shuffle(order, epoch);
    L.order().set(order);
    let loss = 0;
    for (let s = 0; s < n; s += CALL_EXAMPLES) loss += L.kernel.train(s, Math.min(n, s + CALL_EXAMPLES), epoch * n + s, total, sch.lr);
    sch.onEpoch?.(epoch, loss / n, sch.lr * (1 - ((epoch + 1) * n - 1) / total), (performance.now() - t0) / 1000);
  }
  return L.result();
}

/**
 * SGD on `threads` threads over the same vectors without locks (Hogwild, as fastText's own threads): each epoch's
 * order is split into contiguous parts, one per thread. Faster, but the interleaving of updates, and so the model,
 * varies from run to run.
 */
export async function sgdWasmThreads(p: SgdProblem, sch: SgdSchedule, threads: number): Promise<SgdResult> {
  const L = new Layout(p, threads);
  const pool: KernelThreads<FastTextKernel> = L.heap.pool(threads);
  try {
    const n = p.labels.length;
    const total = sch.epochs * n;
    const order = new Int32Array(n);
    const parts = splitRange(n, threads);
    // Every thread's instance needs its own scratch: configure each once, through a call of its own.
    await pool.run(
      "configure",
      parts.map((_, t) => {
        const a = L.at;
        const sc = L.scratch[t];
        return [[L.stride, p.classes, a.input, a.output, a.feats, a.offsets, a.labels, a.order, sc.hid, sc.grad, sc.prob]];
      }),
    );
    for (let epoch = 0; epoch < sch.epochs; epoch++) {
      const t0 = performance.now();
      sch.shuffle(order, epoch);
      L.order().set(order);
      // The threads advance together, so the i-th example of a part is about step epoch·n + threads·i overall: the
      // kernel's lr0·(1 - (step0 + i) / total) gets that with the epoch's start and the total divided by threads.
      const calls = parts.map(([a, b]) => {
        const cs: number[][] = [];
        for (let s = a; s < b; s += CALL_EXAMPLES) cs.push([s, Math.min(b, s + CALL_EXAMPLES), (epoch * n) / threads + (s - a), total / threads, sch.lr]);
        return cs;
      });
      await pool.run("train", calls);
      // Hogwild's loss is not collected across threads (run() returns nothing); NaN says so.
      sch.onEpoch?.(epoch, NaN, sch.lr * (1 - ((epoch + 1) * n - 1) / total), (performance.now() - t0) / 1000);
    }
    return L.result();
  } finally {
    await pool.close();
  }
}
