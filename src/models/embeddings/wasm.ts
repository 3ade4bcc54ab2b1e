// The layout of the shared memory that the "embeddings" kernel (kernels-as/embeddings/) trains in: vectors,
// corpus, sampling tables, the training schedule and each thread's scratch.
import { instantiate, MAX_PAGES, newMemory, PAGE_BYTES, type WasmMemory } from "../../runtime/wasm";
import type { Rng } from "../../util/random";

const EXP_TABLE_SIZE = 1000;
const MAX_EXP = 6;

/** The kernel's exports; pointers are byte offsets into the shared memory. */
export interface EmbeddingKernel {
  configure(...args: number[]): void;
  schedule(...args: number[]): void;
  seed(a: number, b: number, c: number, d: number): void;
  trainDocs(d0: number, d1: number, docBase: number, alpha: number): number;
  /** Trains the next chunk of the schedule; returns its number, or -1 when all are claimed. */
  trainNextChunk(): number;
  uniform(ptr: number, n: number, scale: number): void;
}

export interface EmbeddingSizes {
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
  /** Room for a training schedule (see `schedule`); none for inference. */
  schedule?: { chunksPerEpoch: number; epochs: number };
}

/**
 * One shared wasm memory holding everything the kernel reads, with typed-array views over it; each thread gets its
 * own scratch.
 */
export class EmbeddingMemory {
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
  /** Chunk k of every epoch is documents chunkStarts[k] .. chunkStarts[k + 1]. */
  readonly chunkStarts: Int32Array;
  /** Per chunk of the schedule (epoch-major): its learning rate, and its seed as four generator words. */
  readonly chunkAlphas: Float64Array;
  readonly chunkSeeds: Uint32Array;
  private readonly at: Record<string, number> = {};
  private readonly scratch: { work: number; idx: number }[] = [];

  constructor(readonly sizes: EmbeddingSizes) {
    const s = sizes;
    const perEpoch = s.schedule?.chunksPerEpoch ?? 0;
    const chunks = perEpoch * (s.schedule?.epochs ?? 0);
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
    region("counter", 4);
    region("chunkStarts", (perEpoch + 1) * 4);
    region("chunkAlphas", chunks * 8);
    region("chunkSeeds", chunks * 16);
    for (let t = 0; t < s.threads; t++) {
      this.scratch.push({ work: region(`work${t}`, s.dim * 4), idx: region(`idx${t}`, Math.max(1, s.maxDocLength) * 4) });
    }
    const pages = Math.ceil(end / PAGE_BYTES);
    if (pages > MAX_PAGES) throw new Error(`the model and corpus need ${(end / 2 ** 30).toFixed(1)} GiB, more than wasm's 4 GiB: lower dim or the corpus size`);
    this.memory = newMemory({ initial: pages, maximum: pages, shared: true });
    const buf = this.memory.buffer;
    this.exp = new Float32Array(buf, this.at.exp, EXP_TABLE_SIZE);
    this.syn0 = new Float32Array(buf, this.at.syn0, s.vocab * s.dim);
    this.syn1neg = new Float32Array(buf, this.at.syn1neg, s.vocab * s.dim);
    this.docs = new Float32Array(buf, this.at.docs, s.docVectors * s.dim);
    this.words = new Int32Array(buf, this.at.words, s.words);
    this.offsets = new Int32Array(buf, this.at.offsets, s.docs + 1);
    this.sampleInt = new Uint32Array(buf, this.at.sampleInt, s.vocab);
    this.table = new Uint32Array(buf, this.at.table, s.vocab * 2);
    this.chunkStarts = new Int32Array(buf, this.at.chunkStarts, perEpoch + 1);
    this.chunkAlphas = new Float64Array(buf, this.at.chunkAlphas, chunks);
    this.chunkSeeds = new Uint32Array(buf, this.at.chunkSeeds, chunks * 4);
    // word2vec.c's sigmoid table over [-MAX_EXP, MAX_EXP).
    for (let i = 0; i < EXP_TABLE_SIZE; i++) {
      const e = Math.exp(((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP);
      this.exp[i] = e / (e + 1);
    }
  }

  /** A kernel instance on this memory, for this thread. */
  kernel(): EmbeddingKernel {
    return instantiate<EmbeddingKernel>("embeddings", this.memory);
  }

  /** Fills a view of this memory with uniform values in [-scale, scale), drawn in the kernel from a seed of `rng`. */
  fillUniform(view: Float32Array, scale: number, rng: Rng): void {
    const k = this.kernel();
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

  /** The arguments of the kernel's `schedule`: the shared chunk counter (zero in fresh memory) and the chunk tables. */
  scheduleArgs(): number[] {
    const a = this.at;
    return [a.counter, a.chunkStarts, this.chunkStarts.length - 1, this.chunkAlphas.length, a.chunkAlphas, a.chunkSeeds];
  }
}
