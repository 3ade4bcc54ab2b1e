// trainWord2Vec (skip-gram, negative sampling) and trainDoc2Vec (PV-DBOW), after gensim. Training always runs in
// worker threads, even with one worker, so that a notebook's event loop stays free to draw progress.
import { KernelThreads } from "../../runtime/wasm";
import { Rng } from "../../util/random";
import { Doc2VecModel, EmbeddingOptions, Word2VecModel } from "./model";
import { encodeCorpus, aliasTable, sampleInts, Vocab } from "./vocab";
import { type EmbeddingKernel, EmbeddingMemory } from "./wasm";

export interface TrainOptions extends Partial<EmbeddingOptions> {
  /** Called after each epoch (1-based), e.g. to move a progress bar. */
  onEpoch?: (epoch: number, epochs: number) => void;
}

export const DEFAULT_EMBEDDING_OPTIONS: EmbeddingOptions = {
  dim: 100,
  window: 5,
  negative: 5,
  minCount: 2,
  sample: 1e-3,
  epochs: 10,
  alpha: 0.025,
  minAlpha: 0.0001,
  seed: 1,
  workers: 1,
  dbowWords: false,
};

/** gensim's batch_words: a chunk of documents a thread trains at one learning rate. */
const CHUNK_WORDS = 10_000;

function resolve(fn: string, opts: TrainOptions): EmbeddingOptions {
  const o: EmbeddingOptions = { ...DEFAULT_EMBEDDING_OPTIONS };
  for (const k of Object.keys(DEFAULT_EMBEDDING_OPTIONS) as (keyof EmbeddingOptions)[]) {
    if (opts[k] !== undefined) (o as unknown as Record<string, unknown>)[k] = opts[k];
  }
  const posInt = (k: keyof EmbeddingOptions): void => {
    const v = o[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new Error(`${fn}: ${k} must be a positive integer, got ${JSON.stringify(v)}`);
  };
  (["dim", "window", "negative", "minCount", "epochs", "workers"] as const).forEach(posInt);
  if (!(o.sample >= 0)) throw new Error(`${fn}: sample must be >= 0, got ${o.sample}`);
  if (!(o.alpha > 0) || !(o.minAlpha >= 0) || o.minAlpha > o.alpha) throw new Error(`${fn}: need 0 <= minAlpha <= alpha and alpha > 0, got alpha ${o.alpha}, minAlpha ${o.minAlpha}`);
  if (!Number.isInteger(o.seed)) throw new Error(`${fn}: seed must be an integer, got ${o.seed}`);
  return o;
}

interface Prepared {
  o: EmbeddingOptions;
  vocab: Vocab;
  mem: EmbeddingMemory;
}

/**
 * The corpus cut into chunks of about CHUNK_WORDS tokens (as counted before the vocabulary dropped rare words):
 * chunk k is documents starts[k] .. starts[k + 1], with `before[k]` tokens ahead of it.
 */
function chunkCorpus(rawLengths: Int32Array): { starts: number[]; before: number[]; total: number } {
  const starts = [0];
  const before = [0];
  let total = 0;
  let acc = 0;
  for (let d = 0; d < rawLengths.length; d++) {
    acc += rawLengths[d];
    total += rawLengths[d];
    if (acc >= CHUNK_WORDS && d + 1 < rawLengths.length) {
      starts.push(d + 1);
      before.push(total);
      acc = 0;
    }
  }
  starts.push(rawLengths.length);
  return { starts, before, total };
}

/**
 * Writes the schedule: each chunk of each epoch gets, up front, gensim's learning rate for its position (linear
 * from alpha to minAlpha over all epochs) and its own seed, so a thread's work does not depend on which thread
 * claims it.
 */
function writeSchedule(mem: EmbeddingMemory, chunks: ReturnType<typeof chunkCorpus>, o: EmbeddingOptions): void {
  const { starts, before, total } = chunks;
  const nChunks = starts.length - 1;
  mem.chunkStarts.set(starts);
  for (let e = 0; e < o.epochs; e++) {
    for (let c = 0; c < nChunks; c++) {
      const progress = (e + before[c] / total) / o.epochs;
      mem.chunkAlphas[e * nChunks + c] = Math.max(o.minAlpha, o.alpha - (o.alpha - o.minAlpha) * progress);
    }
  }
  const rng = new Rng(o.seed).fork(3);
  for (let i = 0; i < mem.chunkSeeds.length; i++) mem.chunkSeeds[i] = rng.nextUint32();
}

function prepare(fn: string, mode: 0 | 1, docs: readonly (readonly string[])[], opts: TrainOptions): Prepared {
  const o = resolve(fn, opts);
  if (!Array.isArray(docs) || docs.length === 0) throw new Error(`${fn}: the corpus is empty (no documents)`);
  let tokens = 0;
  docs.forEach((d, i) => {
    if (!Array.isArray(d)) throw new Error(`${fn}: document ${i} is not an array of tokens`);
    tokens += d.length;
  });
  if (tokens === 0) throw new Error(`${fn}: the corpus is empty (${docs.length} documents, no tokens)`);
  const enc = encodeCorpus(docs, o.minCount);
  const vocab = enc.vocab;
  if (vocab.words.length === 0) throw new Error(`${fn}: no word occurs at least minCount=${o.minCount} times among the corpus's ${tokens} tokens`);
  const v = vocab.words.length;
  const chunks = chunkCorpus(enc.rawLengths);
  const mem = new EmbeddingMemory({
    mode,
    dim: o.dim,
    window: o.window,
    negative: o.negative,
    vocab: v,
    docs: docs.length,
    docVectors: mode === 1 ? docs.length : 0,
    words: enc.words.length,
    maxDocLength: enc.maxLength,
    threads: o.workers,
    sample: o.sample > 0,
    dbowWords: mode === 1 && o.dbowWords,
    learnWords: true,
    learnHidden: true,
    schedule: { chunksPerEpoch: chunks.starts.length - 1, epochs: o.epochs },
  });
  mem.words.set(enc.words);
  mem.offsets.set(enc.offsets);
  sampleInts(vocab.counts, o.sample, mem.sampleInt);
  aliasTable(vocab.counts, 0.75, mem.table);
  // gensim 4's initialisation: uniform in [-1, 1) / dim; output vectors start at zero (fresh memory is zeroed).
  const rng = new Rng(o.seed);
  mem.fillUniform(mem.syn0, 1 / o.dim, rng.fork(1));
  mem.fillUniform(mem.docs, 1 / o.dim, rng.fork(2));
  writeSchedule(mem, chunks, o);
  return { o, vocab, mem };
}

/**
 * Runs the schedule on `workers` worker threads, each with its own kernel instance and scratch on the shared memory,
 * claiming chunks until all are done and updating the vectors without locks (Hogwild, as gensim and word2vec.c do).
 * One worker claims the chunks in order and so reproduces a run exactly; two differ only in how their updates
 * interleave. onEpoch fires once every chunk of an epoch and of the epochs before it is done.
 */
async function run(p: Prepared, onEpoch: TrainOptions["onEpoch"]): Promise<void> {
  const { o, mem } = p;
  const nChunks = mem.chunkStarts.length - 1;
  const perEpoch = new Int32Array(o.epochs);
  let nextEpoch = 0;
  const pool = new KernelThreads<EmbeddingKernel>("embeddings", mem.memory, o.workers);
  try {
    await pool.repeat(
      "trainNextChunk",
      (chunk) => {
        perEpoch[Math.floor(chunk / nChunks)]++;
        while (nextEpoch < o.epochs && perEpoch[nextEpoch] === nChunks) {
          nextEpoch++;
          onEpoch?.(nextEpoch, o.epochs);
        }
      },
      (w) => [
        ["configure", ...mem.configureArgs(w)],
        ["schedule", ...mem.scheduleArgs()],
      ],
    );
  } finally {
    // Also after an error: a live thread would keep the process (or the notebook kernel) busy.
    await pool.close();
  }
}

/** word2vec skip-gram with negative sampling on tokenized documents (one array of tokens per sentence/title). */
export async function trainWord2Vec(corpus: readonly (readonly string[])[], opts: TrainOptions = {}): Promise<Word2VecModel> {
  const p = prepare("trainWord2Vec", 0, corpus, opts);
  await run(p, opts.onEpoch);
  // Copies: plain arrays for the model, and the shared memory (corpus included) can be freed.
  return new Word2VecModel(p.vocab, p.mem.syn0.slice(), p.mem.syn1neg.slice(), p.o);
}

/** Doc2Vec PV-DBOW: document i of `docs` gets docVector(i); with dbowWords the word vectors are trained too. */
export async function trainDoc2Vec(docs: readonly (readonly string[])[], opts: TrainOptions = {}): Promise<Doc2VecModel> {
  const p = prepare("trainDoc2Vec", 1, docs, opts);
  await run(p, opts.onEpoch);
  return new Doc2VecModel(p.vocab, p.mem.syn0.slice(), p.mem.syn1neg.slice(), p.o, p.mem.docs.slice());
}
