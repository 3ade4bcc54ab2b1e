// The "embeddings" kernel (kernels-as/kernels.json): the hot loops of word2vec skip-gram and Doc2Vec PV-DBOW with
// negative sampling, after gensim's word2vec_inner.pyx / doc2vec_inner.pyx. Rebuild with
// `node scripts/build-kernels.mjs embeddings`.
//
// Why wasm: the loops are dot products and axpys over 100-float rows; 128-bit SIMD does four lanes at once in
// float32, as gensim's BLAS calls do, where a JavaScript loop converts every element to double.
//
// Memory is imported and shared: every worker thread instantiates this module over the same memory, claims chunks
// of documents from a shared counter and updates the vectors without locks (Hogwild, as gensim). The module has no
// data segments, so instantiating it never writes to memory; each instance keeps its settings and random state in
// its own globals. The caller (src/models/embeddings/wasm.ts) lays out the arrays (16-byte aligned at least, for
// the SIMD loads) and passes their addresses to `configure` and `schedule`.

import { sfc32Load, sfc32Next, sfc32Set } from "../common/sfc32";

const EXP_TABLE_SIZE: i32 = 1000;
const MAX_EXP: f32 = 6;
const EXP_SCALE: f32 = <f32>EXP_TABLE_SIZE / MAX_EXP / 2;

let mode: i32 = 0; // 0: skip-gram; 1: PV-DBOW
let dim: i32 = 0;
let win: i32 = 0;
let negative: i32 = 0;
let useSample: bool = false;
let dbowWords: bool = false;
let learnWords: bool = false;
let learnHidden: bool = false;
let syn0: usize = 0; // word vectors, vocabulary × dim f32
let syn1: usize = 0; // output vectors, vocabulary × dim f32
let docs: usize = 0; // document vectors, documents × dim f32
let words: usize = 0; // corpus as vocabulary indices, i32
let offsets: usize = 0; // document d is words[offsets[d] .. offsets[d + 1]), i32
let sampleInt: usize = 0; // per word: keep when a 32-bit draw is at most this, u32
let table: usize = 0; // unigram^0.75 alias table: per word, a u32 threshold and an i32 alias (vocab.ts)
let vocabSize: u64 = 0;
let expTable: usize = 0; // sigmoid table, EXP_TABLE_SIZE f32
let work: usize = 0; // this thread's scratch: dim f32
let idx: usize = 0; // this thread's scratch: the longest document's length, i32

// The training schedule: the corpus cut into chunks of documents, and for each chunk of each epoch (epoch-major) a
// learning rate and a seed chosen up front by the caller, so that a chunk's work does not depend on which thread
// claims it.
let counter: usize = 0; // the next chunk to claim, i32, shared by all threads
let chunkStarts: usize = 0; // chunk k of an epoch is documents chunkStarts[k] .. chunkStarts[k + 1], i32
let chunksPerEpoch: i32 = 0;
let totalChunks: i32 = 0; // chunksPerEpoch × epochs
let chunkAlphas: usize = 0; // per chunk: its learning rate, f64
let chunkSeeds: usize = 0; // per chunk: the generator's four words, u32


export function configure(
  mode_: i32, dim_: i32, win_: i32, negative_: i32, flags: i32,
  syn0_: usize, syn1_: usize, docs_: usize, words_: usize, offsets_: usize,
  sampleInt_: usize, table_: usize, vocabSize_: i32, expTable_: usize, work_: usize, idx_: usize,
): void {
  mode = mode_;
  dim = dim_;
  win = win_;
  negative = negative_;
  useSample = (flags & 1) != 0;
  dbowWords = (flags & 2) != 0;
  learnWords = (flags & 4) != 0;
  learnHidden = (flags & 8) != 0;
  syn0 = syn0_;
  syn1 = syn1_;
  docs = docs_;
  words = words_;
  offsets = offsets_;
  sampleInt = sampleInt_;
  table = table_;
  vocabSize = <u64>vocabSize_;
  expTable = expTable_;
  work = work_;
  idx = idx_;
}

export function schedule(counter_: usize, chunkStarts_: usize, chunksPerEpoch_: i32, totalChunks_: i32, chunkAlphas_: usize, chunkSeeds_: usize): void {
  counter = counter_;
  chunkStarts = chunkStarts_;
  chunksPerEpoch = chunksPerEpoch_;
  totalChunks = totalChunks_;
  chunkAlphas = chunkAlphas_;
  chunkSeeds = chunkSeeds_;
}

/** Seeds this instance's generator (sfc32, as src/util/random.ts): per chunk, chosen by the caller. */
export function seed(a: u32, b: u32, c: u32, d: u32): void {
  sfc32Set(a, b, c, d);
}

/** Fills n floats at ptr with uniform values in [-scale, scale) from this instance's generator (initialisation). */
export function uniform(ptr: usize, n: i32, scale: f64): void {
  for (let i = 0; i < n; i++) {
    const u = <f64>sfc32Next() / 4294967296.0;
    store<f32>(ptr + (<usize>i << 2), <f32>((u * 2 - 1) * scale));
  }
}

/** A word from the unigram^0.75 distribution: a uniform slot (multiply-high, no division), then it or its alias. */
@inline function negativeDraw(): i32 {
  const slot = <usize>((<u64>sfc32Next() * vocabSize) >> 32);
  const at = table + (slot << 3);
  return sfc32Next() < load<u32>(at) ? <i32>slot : load<i32>(at, 4);
}

@inline function dot(a: usize, b: usize): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  const bytes = <usize>dim << 2;
  let k: usize = 0;
  // Two accumulators, so that each add need not wait for the one before; dim is usually a multiple of 8.
  for (; k + 32 <= bytes; k += 32) {
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + k), v128.load(b + k)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + k, 16), v128.load(b + k, 16)));
  }
  for (; k + 16 <= bytes; k += 16) acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + k), v128.load(b + k)));
  acc0 = f32x4.add(acc0, acc1);
  let f = f32x4.extract_lane(acc0, 0) + f32x4.extract_lane(acc0, 1) + f32x4.extract_lane(acc0, 2) + f32x4.extract_lane(acc0, 3);
  for (; k < bytes; k += 4) f += load<f32>(a + k) * load<f32>(b + k);
  return f;
}

/** y += g · x over dim floats. */
@inline function axpy(g: f32, x: usize, y: usize): void {
  const gv = f32x4.splat(g);
  const bytes = <usize>dim << 2;
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) v128.store(y + k, f32x4.add(v128.load(y + k), f32x4.mul(gv, v128.load(x + k))));
  for (; k < bytes; k += 4) store<f32>(y + k, load<f32>(y + k) + g * load<f32>(x + k));
}

/** work += g · row; row += g · ctx, in one pass over the row (the hidden layer's update of gensim's two axpys). */
@inline function axpy2(g: f32, row: usize, ctx: usize): void {
  const gv = f32x4.splat(g);
  const bytes = <usize>dim << 2;
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) {
    const r = v128.load(row + k);
    v128.store(work + k, f32x4.add(v128.load(work + k), f32x4.mul(gv, r)));
    v128.store(row + k, f32x4.add(r, f32x4.mul(gv, v128.load(ctx + k))));
  }
  for (; k < bytes; k += 4) {
    const r = load<f32>(row + k);
    store<f32>(work + k, load<f32>(work + k) + g * r);
    store<f32>(row + k, r + g * load<f32>(ctx + k));
  }
}

/**
 * One (context row → target word) step with negative sampling, as gensim's fast_sentence_sg_neg and
 * fast_document_dbow_neg: the positive target, then `negative` draws from unigram^0.75 (a draw equal to the
 * target is skipped); a dot product outside ±MAX_EXP is skipped, as gensim does (word2vec.c clamps instead). The
 * context row is updated once at the end, so that every output row sees the same input, as in gensim.
 */
function pair(ctx: usize, word: i32, alpha: f32, learnCtx: bool): void {
  memory.fill(work, 0, <usize>dim << 2);
  const rowBytes = <usize>dim << 2;
  for (let d = 0; d <= negative; d++) {
    let target = word;
    let label: f32 = 1;
    if (d > 0) {
      target = negativeDraw();
      if (target == word) continue;
      label = 0;
    }
    const row2 = syn1 + <usize>target * rowBytes;
    const f = dot(ctx, row2);
    if (f <= -MAX_EXP || f >= MAX_EXP) continue;
    const g = (label - load<f32>(expTable + (<usize>(<i32>((f + MAX_EXP) * EXP_SCALE)) << 2))) * alpha;
    if (learnHidden) axpy2(g, row2, ctx);
    else axpy(g, row2, work);
  }
  if (learnCtx) axpy(1, work, ctx);
}

/**
 * Trains documents [d0, d1) at learning rate alpha; documents are numbered from docBase in `docs`. Per document,
 * as gensim: drop words by frequent-word subsampling, then for each kept word i
 *   - skip-gram, or PV-DBOW with dbowWords: each word j (≠ i) in the reduced window b = rand % window around i
 *     predicts word i;
 *   - PV-DBOW: the document's vector predicts word i.
 * Returns the number of words kept after subsampling.
 */
export function trainDocs(d0: i32, d1: i32, docBase: i32, alpha: f32): i32 {
  const rowBytes = <usize>dim << 2;
  const dbow = mode == 1;
  const skipGram = !dbow || dbowWords;
  let kept = 0;
  for (let d = d0; d < d1; d++) {
    const p0 = load<i32>(offsets + (<usize>d << 2));
    const p1 = load<i32>(offsets + (<usize>(d + 1) << 2));
    let n = 0;
    for (let p = p0; p < p1; p++) {
      const w = load<i32>(words + (<usize>p << 2));
      if (useSample && load<u32>(sampleInt + (<usize>w << 2)) < sfc32Next()) continue;
      store<i32>(idx + (<usize>n << 2), w);
      n++;
    }
    kept += n;
    const docRow = docs + <usize>(docBase + d) * rowBytes;
    for (let i = 0; i < n; i++) {
      const wi = load<i32>(idx + (<usize>i << 2));
      if (skipGram) {
        const b = <i32>(sfc32Next() % <u32>win);
        const lo = max(0, i - win + b);
        const hi = min(n, i + win + 1 - b);
        for (let j = lo; j < hi; j++) {
          if (j == i) continue;
          const wj = load<i32>(idx + (<usize>j << 2));
          pair(syn0 + <usize>wj * rowBytes, wi, alpha, learnWords);
        }
      }
      if (dbow) pair(docRow, wi, alpha, true);
    }
  }
  return kept;
}

/**
 * Claims the next chunk of the schedule and trains it at its learning rate from its seed. Returns the chunk's
 * number, or -1 once every chunk of every epoch has been claimed. One thread claims the chunks in order and so
 * reproduces a run exactly; several differ only in how their updates interleave.
 */
export function trainNextChunk(): i32 {
  const c = atomic.add<i32>(counter, 1);
  if (c >= totalChunks) return -1;
  const s = chunkSeeds + (<usize>c << 4);
  sfc32Load(s);
  const start = chunkStarts + (<usize>(c % chunksPerEpoch) << 2);
  trainDocs(load<i32>(start), load<i32>(start, 4), 0, <f32>load<f64>(chunkAlphas + (<usize>c << 3)));
  return c;
}
