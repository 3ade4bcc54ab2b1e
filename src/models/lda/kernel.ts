// The Gibbs sweep (the "lda" kernel, compiled from kernels-as/lda/ and loaded by src/runtime/wasm.ts) and the
// layout of a chain's arrays in its memory. TypeScript keeps the rest of the chain's work (initial state, phi/theta
// estimates, log-likelihood) on typed-array views of the same memory, so nothing is copied between sweeps.
import type { Rng } from "../../util/random";
import { instantiate, newMemory, PAGE_BYTES, type WasmMemory } from "../../runtime/wasm";

interface GibbsExports {
  configure(...args: number[]): void;
  seed(lo: number, hi: number): void;
  sweep(): void;
}

/** The chain's arrays, views into a kernel's memory (kernels-as/lda/state.ts describes each). */
export interface ChainArrays {
  /** Per token: word id at 2i, topic at 2i + 1. */
  tokens: Int32Array;
  start: Int32Array;
  /** Document d's tokens of words seen more than once are start[d] .. split[d], its hapaxes split[d] .. start[d + 1]. */
  split: Int32Array;
  ndk: Int32Array;
  /**
   * Per topic, a 32-byte record: as doubles, 1/(n_k + Vβ) at 4k and 1/(n_k - 1 + Vβ) at 4k + 1 (4k + 2 is the
   * kernel's scratch); as int32s, n_k at 8k + 6.
   */
  topicF64: Float64Array;
  topicI32: Int32Array;
  wMeta: Int32Array;
  wList: Int32Array;
}

/** Field offsets in a topic record, in elements of topicF64 and topicI32. */
export const TOPIC_INV = 0;
export const TOPIC_INV_M1 = 1;
export const TOPIC_NK = 6;

export interface ChainShape {
  K: number;
  D: number;
  V: number;
  N: number;
  /** Length of wList in i32s. */
  listSize: number;
  alpha: number;
  beta: number;
}

export class GibbsKernel {
  private readonly memory: WasmMemory;
  private readonly exports: GibbsExports;

  constructor() {
    this.memory = newMemory({ initial: 1 });
    this.exports = instantiate<GibbsExports>("lda", this.memory);
  }

  /**
   * Zeroed arrays for a chain of this shape, the kernel pointed at them. Views from an earlier call are invalid
   * afterwards (the memory may have grown, and is reused).
   */
  layout(s: ChainShape): ChainArrays {
    // Regions on 64-byte lines; address 0 stays unused, so that an unset pointer never reads a real array.
    let end = 64;
    const at = (bytes: number): number => {
      const p = end;
      end += Math.ceil(bytes / 64) * 64;
      return p;
    };
    const p = {
      tokens: at(8 * s.N),
      start: at(4 * (s.D + 1)),
      split: at(4 * s.D),
      ndk: at(4 * s.D * s.K),
      topics: at(32 * s.K),
      wMeta: at(8 * s.V),
      wList: at(4 * s.listSize),
      dTopics: at(4 * s.K),
      invTable: at(8 * (s.N + 1)),
    };
    const pages = Math.ceil(end / PAGE_BYTES);
    const have = this.memory.buffer.byteLength / PAGE_BYTES;
    if (pages > have) this.memory.grow(pages - have);
    const buf = this.memory.buffer;
    new Uint8Array(buf, 0, end).fill(0);
    this.exports.configure(s.K, s.D, s.alpha, s.beta, p.tokens, p.start, p.split, p.ndk, p.topics, p.wMeta, p.wList, p.dTopics, p.invTable);
    // The same expression initChain uses for n_k, so a table entry is bit for bit the value a division would give.
    const invTable = new Float64Array(buf, p.invTable, s.N + 1);
    for (let n = 0; n <= s.N; n++) invTable[n] = 1 / (n + s.V * s.beta);
    return {
      tokens: new Int32Array(buf, p.tokens, 2 * s.N),
      start: new Int32Array(buf, p.start, s.D + 1),
      split: new Int32Array(buf, p.split, s.D),
      ndk: new Int32Array(buf, p.ndk, s.D * s.K),
      topicF64: new Float64Array(buf, p.topics, 4 * s.K),
      topicI32: new Int32Array(buf, p.topics, 8 * s.K),
      wMeta: new Int32Array(buf, p.wMeta, 2 * s.V),
      wList: new Int32Array(buf, p.wList, s.listSize),
    };
  }

  /** Seeds the kernel's own generator (SplitMix64) with two draws from rng. */
  seed(rng: Rng): void {
    this.exports.seed(rng.nextUint32(), rng.nextUint32());
  }

  sweep(): void {
    this.exports.sweep();
  }
}

// Kernels are reused: V8 reserves gigabytes of address space per wasm memory and frees it only on GC, so a burst
// of small trainings (thousands of short chains) would run out of it. A pool rather than one shared kernel, so that
// a training started from another's onIteration callback gets its own.
const idle: GibbsKernel[] = [];

export function withKernel<T>(f: (k: GibbsKernel) => T): T {
  const k = idle.pop() ?? new GibbsKernel();
  try {
    return f(k);
  } finally {
    idle.push(k);
  }
}
