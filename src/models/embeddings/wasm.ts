// The training kernel (kernel.wasm, built from kernel.as) and the layout of the shared memory it works in.
import * as fs from "fs";
import * as path from "path";
import { Rng } from "../../util/random";

const EXP_TABLE_SIZE = 1000;
const MAX_EXP = 6;
const PAGE = 65536;
/** wasm32: 4 GiB of linear memory at most. */
const MAX_PAGES = 65536;

// A notebook's program under tslab has no DOM library, hence no WebAssembly types: the little used here, declared.
export type WasmModule = { readonly __wasmModule: unique symbol };
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (desc: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: WasmModule | null = null;

/** kernel.wasm, compiled once per thread; read through __dirname because tslab compiles this file in memory. */
export function kernelModule(): WasmModule {
  compiled ??= new wasm.Module(fs.readFileSync(path.join(__dirname, "kernel.wasm")));
  return compiled;
}

export interface KernelExports {
  configure(...args: number[]): void;
  seed(a: number, b: number, c: number, d: number): void;
  trainDocs(d0: number, d1: number, docBase: number, alpha: number): number;
  uniform(ptr: number, n: number, scale: number): void;
}

export function instantiate(memory: WasmMemory): KernelExports {
  return new wasm.Instance(kernelModule(), { env: { memory } }).exports as KernelExports;
}

export interface KernelSizes {
  /** 0: skip-gram; 1: PV-DBOW. */
  mode: 0 | 1;
  dim: number;
  window: number;
  negative: number;
  vocab: number;
  /** Documents in the corpus. */
  docs: number;
  /** Rows of document vectors: the documents for PV-DBOW, none for skip-gram. */
  docVectors: number;
  words: number;
  /** Longest document, in vocabulary words: the scratch a thread needs. */
  maxDocLength: number;
  threads: number;
  sample: boolean;
  dbowWords: boolean;
  learnWords: boolean;
  learnHidden: boolean;
}

/**
 * One shared wasm memory holding everything the kernel reads, with typed-array views over it; each thread gets its
 * own scratch.
 */
export class KernelMemory {
  readonly memory: WasmMemory;
  readonly exp: Float32Array;
  readonly syn0: Float32Array;
  readonly syn1neg: Float32Array;
  readonly docs: Float32Array;
  readonly words: Int32Array;
  readonly offsets: Int32Array;
  readonly sampleInt: Uint32Array;
  /** The negative-sampling alias table (see vocab.ts `aliasTable`). */
  readonly table: Uint32Array;
  private readonly at: Record<string, number> = {};
  private readonly scratch: { work: number; idx: number }[] = [];

  constructor(readonly sizes: KernelSizes) {
    const s = sizes;
    // Regions start on 64-byte cache lines (16 would do for SIMD loads), so that one thread's scratch never shares a
    // line with another's; address 0 stays unused, so that an unset pointer is never a valid region.
    let end = 64;
    const region = (name: string, bytes: number): number => {
      this.at[name] = end;
      end += Math.ceil(bytes / 64) * 64;
      return this.at[name];
    };
    region("exp", EXP_TABLE_SIZE * 4);
    region("syn0", s.vocab * s.dim * 4);
    region("syn1neg", s.vocab * s.dim * 4);
    region("docs", s.docVectors * s.dim * 4);
    region("words", s.words * 4);
    region("offsets", (s.docs + 1) * 4);
    region("sampleInt", s.vocab * 4);
    region("table", s.vocab * 8);
    for (let t = 0; t < s.threads; t++) {
      this.scratch.push({ work: region(`work${t}`, s.dim * 4), idx: region(`idx${t}`, Math.max(1, s.maxDocLength) * 4) });
    }
    const pages = Math.ceil(end / PAGE);
    if (pages > MAX_PAGES) throw new Error(`the model and corpus need ${(end / 2 ** 30).toFixed(1)} GiB, more than wasm's 4 GiB: lower dim or the corpus size`);
    this.memory = new wasm.Memory({ initial: pages, maximum: pages, shared: true });
    const buf = this.memory.buffer;
    this.exp = new Float32Array(buf, this.at.exp, EXP_TABLE_SIZE);
    this.syn0 = new Float32Array(buf, this.at.syn0, s.vocab * s.dim);
    this.syn1neg = new Float32Array(buf, this.at.syn1neg, s.vocab * s.dim);
    this.docs = new Float32Array(buf, this.at.docs, s.docVectors * s.dim);
    this.words = new Int32Array(buf, this.at.words, s.words);
    this.offsets = new Int32Array(buf, this.at.offsets, s.docs + 1);
    this.sampleInt = new Uint32Array(buf, this.at.sampleInt, s.vocab);
    this.table = new Uint32Array(buf, this.at.table, s.vocab * 2);
    // word2vec.c's sigmoid table over [-MAX_EXP, MAX_EXP).
    for (let i = 0; i < EXP_TABLE_SIZE; i++) {
      const e = Math.exp(((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP);
      this.exp[i] = e / (e + 1);
    }
  }

  /** Fills a view of this memory with uniform values in [-scale, scale), drawn in the kernel from a seed of `rng`. */
  fillUniform(view: Float32Array, scale: number, rng: Rng): void {
    const k = instantiate(this.memory);
    k.seed(rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32());
    k.uniform(view.byteOffset, view.length, scale);
  }

  /** The arguments of the kernel's `configure` for thread t (plain numbers, so they can go to a worker). */
  configureArgs(t: number): number[] {
    const s = this.sizes;
    const flags = (s.sample ? 1 : 0) | (s.dbowWords ? 2 : 0) | (s.learnWords ? 4 : 0) | (s.learnHidden ? 8 : 0);
    const a = this.at;
    return [s.mode, s.dim, s.window, s.negative, flags, a.syn0, a.syn1neg, a.docs, a.words, a.offsets, a.sampleInt, a.table, s.vocab, a.exp, this.scratch[t].work, this.scratch[t].idx];
  }
}
