// Trained word2vec / Doc2Vec models: look-ups, cosine neighbours, Doc2Vec inference, and save/load as a small JSON
// header beside one little-endian Float32 file.
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic, writeViaTemp } from "../../io/atomic";
import { murmur3, Rng } from "../../util/random";
import { aliasTable, sampleInts, Vocab, vocabFrom } from "./vocab";
import { type EmbeddingKernel, EmbeddingMemory } from "./wasm";

/** Training settings (gensim's names in brackets). */
export interface EmbeddingOptions {
  /** Vector size [vector_size], default 100. */
  dim: number;
  /** Maximum distance between a word and a context word [window], default 5. */
  window: number;
  /** Negative samples per positive one [negative], default 5. */
  negative: number;
  /** Words with fewer occurrences are dropped [min_count], default 2. */
  minCount: number;
  /** Frequent-word subsampling threshold [sample], default 1e-3; 0 turns it off. */
  sample: number;
  epochs: number;
  /** Learning rate, decayed linearly to minAlpha over all epochs [alpha, min_alpha]: 0.025 → 0.0001. */
  alpha: number;
  minAlpha: number;
  seed: number;
  /** Training threads (default 1). One thread gives the same model for a seed every time; more threads update
   * the shared vectors without locks (as gensim does), so their models differ slightly run to run. */
  workers: number;
  /** PV-DBOW only: also train word vectors skip-gram style, interleaved [dbow_words], default false. */
  dbowWords: boolean;
}

export interface Neighbour {
  word: string;
  score: number;
}

export interface DocNeighbour {
  doc: number;
  score: number;
}

export interface InferOptions {
  /** Default: the model's epochs. */
  epochs?: number;
  /** Default: derived from the model's seed and the tokens, so that the same tokens infer the same vector. */
  seed?: number;
  /** Default: the model's alpha and minAlpha, decayed linearly per epoch as gensim's infer_vector. */
  alpha?: number;
  minAlpha?: number;
}

const FORMAT = "jtlab-embeddings";
const FORMAT_VERSION = 1;
const HEADER_FILE = "model.json";
const VECTORS_FILE = "vectors.f32";

interface Header {
  format: string;
  version: number;
  kind: "word2vec" | "doc2vec";
  options: EmbeddingOptions;
  words: string[];
  counts: number[];
  docs: number;
  /** Arrays in vectors.f32, in this order, each rows × options.dim floats. */
  arrays: { name: "vectors" | "syn1neg" | "docVectors"; rows: number }[];
  byteOrder: "little";
}

function cosineTop<T>(matrix: Float32Array, norms: Float32Array, dim: number, q: ArrayLike<number>, k: number, skip: number, make: (row: number, score: number) => T): T[] {
  let qn = 0;
  for (let j = 0; j < dim; j++) qn += q[j] * q[j];
  qn = Math.sqrt(qn);
  if (qn === 0) throw new Error("mostSimilar: the query vector is all zeros");
  const rows = norms.length;
  const scores = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let dot = 0;
    const o = r * dim;
    for (let j = 0; j < dim; j++) dot += matrix[o + j] * q[j];
    scores[r] = norms[r] > 0 ? dot / (norms[r] * qn) : 0;
  }
  const order: number[] = [];
  for (let r = 0; r < rows; r++) if (r !== skip) order.push(r);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, k).map((r) => make(r, scores[r]));
}

function rowNorms(m: Float32Array, dim: number): Float32Array {
  const rows = m.length / dim;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += m[r * dim + j] * m[r * dim + j];
    out[r] = Math.sqrt(s);
  }
  return out;
}

/** Word vectors with their vocabulary: what word2vec trains and what Doc2Vec holds beside its document vectors. */
export class WordVectors {
  readonly dim: number;
  private norms: Float32Array | null = null;

  constructor(
    readonly vocab: Vocab,
    /** Input vectors (gensim's wv.vectors), vocabulary × dim, row i for vocab.words[i]. */
    readonly vectors: Float32Array,
    /** Output vectors of negative sampling: kept so that a loaded model infers and round-trips exactly. */
    readonly syn1neg: Float32Array,
    readonly options: EmbeddingOptions,
  ) {
    this.dim = options.dim;
  }

  get words(): readonly string[] {
    return this.vocab.words;
  }

  has(word: string): boolean {
    return this.vocab.index.has(word);
  }

  /** A copy of the word's vector. Throws for a word outside the vocabulary. */
  vector(word: string): Float32Array {
    const i = this.vocab.index.get(word);
    if (i === undefined) {
      throw new Error(`unknown word ${JSON.stringify(word)}: not among the ${this.vocab.words.length} words of the vocabulary (words seen fewer than minCount=${this.options.minCount} times are dropped)`);
    }
    return this.vectors.slice(i * this.dim, (i + 1) * this.dim);
  }

  /** The k words closest by cosine to a word (itself left out) or to a vector. */
  mostSimilar(query: string | ArrayLike<number>, k = 10): Neighbour[] {
    const skip = typeof query === "string" ? this.vocab.index.get(query) ?? -1 : -1;
    const q = typeof query === "string" ? this.vector(query) : query;
    if (q.length !== this.dim) throw new Error(`mostSimilar: the query has ${q.length} dimensions, the model ${this.dim}`);
    this.norms ??= rowNorms(this.vectors, this.dim);
    return cosineTop(this.vectors, this.norms, this.dim, q, k, skip, (r, score) => ({ word: this.vocab.words[r], score }));
  }

  /**
   * The mean of the unit-normalized vectors of the tokens in the vocabulary (others are ignored): normalizing
   * first keeps frequent words, whose raw vectors are longer, from dominating a title. All zeros when no token is
   * known; `knownTokens` says how many were.
   */
  embedTokens(tokens: readonly string[]): Float32Array {
    const out = new Float32Array(this.dim);
    this.norms ??= rowNorms(this.vectors, this.dim);
    let n = 0;
    for (const t of tokens) {
      const i = this.vocab.index.get(t);
      if (i === undefined || this.norms[i] === 0) continue;
      const inv = 1 / this.norms[i];
      for (let j = 0; j < this.dim; j++) out[j] += this.vectors[i * this.dim + j] * inv;
      n++;
    }
    if (n > 0) for (let j = 0; j < this.dim; j++) out[j] /= n;
    return out;
  }

  knownTokens(tokens: readonly string[]): number {
    return tokens.filter((t) => this.vocab.index.has(t)).length;
  }

  protected writeFiles(dir: string, kind: Header["kind"], extra: { docVectors?: Float32Array; docs?: number } = {}): void {
    fs.mkdirSync(dir, { recursive: true });
    const arrays: Header["arrays"] = [
      { name: "vectors", rows: this.vocab.words.length },
      { name: "syn1neg", rows: this.vocab.words.length },
    ];
    const parts = [this.vectors, this.syn1neg];
    if (extra.docVectors) {
      arrays.push({ name: "docVectors", rows: extra.docs ?? 0 });
      parts.push(extra.docVectors);
    }
    const header: Header = {
      format: FORMAT,
      version: FORMAT_VERSION,
      kind,
      options: this.options,
      words: this.vocab.words,
      counts: Array.from(this.vocab.counts),
      docs: extra.docs ?? 0,
      arrays,
      byteOrder: "little",
    };
    // Written beside the target and renamed when complete, so an interrupted save leaves no half a model.
    writeViaTemp(path.join(dir, VECTORS_FILE), (tmp) => {
      const fd = fs.openSync(tmp, "w");
      try {
        for (const p of parts) fs.writeSync(fd, littleEndianBytes(p));
      } finally {
        fs.closeSync(fd);
      }
    });
    writeFileAtomic(path.join(dir, HEADER_FILE), JSON.stringify(header) + "\n");
  }
}

function littleEndianBytes(a: Float32Array): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return bytes;
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat32(i * 4, a[i], true);
  return out;
}

function readModel(dir: string, kind: Header["kind"]): { header: Header; arrays: Record<string, Float32Array> } {
  const hf = path.join(dir, HEADER_FILE);
  if (!fs.existsSync(hf)) throw new Error(`no ${kind} model in ${dir}: ${HEADER_FILE} is missing`);
  const header = JSON.parse(fs.readFileSync(hf, "utf8")) as Header;
  if (header.format !== FORMAT || header.version !== FORMAT_VERSION) {
    throw new Error(`${hf}: not a ${FORMAT} v${FORMAT_VERSION} file (format ${JSON.stringify(header.format)}, version ${header.version})`);
  }
  if (header.kind !== kind) throw new Error(`${hf}: holds a ${header.kind} model, not ${kind}`);
  const buf = fs.readFileSync(path.join(dir, VECTORS_FILE));
  const dim = header.options.dim;
  const want = header.arrays.reduce((s, a) => s + a.rows * dim * 4, 0);
  if (buf.length !== want) throw new Error(`${path.join(dir, VECTORS_FILE)}: ${buf.length} bytes, the header describes ${want}`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const arrays: Record<string, Float32Array> = {};
  let at = 0;
  for (const a of header.arrays) {
    const out = new Float32Array(a.rows * dim);
    for (let i = 0; i < out.length; i++, at += 4) out[i] = view.getFloat32(at, true);
    arrays[a.name] = out;
  }
  return { header, arrays };
}

export class Word2VecModel extends WordVectors {
  /** Writes `dir/model.json` (settings, vocabulary, counts) and `dir/vectors.f32`. */
  save(dir: string): void {
    this.writeFiles(dir, "word2vec");
  }

  static load(dir: string): Word2VecModel {
    const { header, arrays } = readModel(dir, "word2vec");
    return new Word2VecModel(vocabFrom(header.words, Int32Array.from(header.counts)), arrays.vectors, arrays.syn1neg, header.options);
  }
}

/** PV-DBOW: one vector per training document, trained to predict the document's words. */
export class Doc2VecModel extends WordVectors {
  private docNorms: Float32Array | null = null;
  private inference: { mem: EmbeddingMemory; kernel: EmbeddingKernel } | null = null;

  constructor(
    vocab: Vocab,
    vectors: Float32Array,
    syn1neg: Float32Array,
    options: EmbeddingOptions,
    /** Document vectors, documents × dim, row i for the i-th training document. */
    readonly docVectors: Float32Array,
  ) {
    super(vocab, vectors, syn1neg, options);
  }

  get docCount(): number {
    return this.docVectors.length / this.dim;
  }

  /** A copy of training document i's vector. */
  docVector(i: number): Float32Array {
    if (!Number.isInteger(i) || i < 0 || i >= this.docCount) throw new Error(`docVector: no document ${i} (the model has ${this.docCount}, numbered from 0)`);
    return this.docVectors.slice(i * this.dim, (i + 1) * this.dim);
  }

  /** The k training documents closest by cosine to a vector (e.g. one from `infer`). */
  similarDocs(query: ArrayLike<number>, k = 10): DocNeighbour[] {
    if (query.length !== this.dim) throw new Error(`similarDocs: the query has ${query.length} dimensions, the model ${this.dim}`);
    this.docNorms ??= rowNorms(this.docVectors, this.dim);
    return cosineTop(this.docVectors, this.docNorms, this.dim, query, k, -1, (doc, score) => ({ doc, score }));
  }

  /**
   * A vector for an unseen document, as gensim's infer_vector: a fresh document vector, trained PV-DBOW style
   * against the frozen word and output vectors for `epochs` passes, the learning rate falling linearly from alpha
   * to minAlpha. Tokens outside the vocabulary are ignored; with none known the vector stays at its small random
   * start (as in gensim), so check `knownTokens` when that matters.
   */
  infer(tokens: readonly string[], opts: InferOptions = {}): Float32Array {
    const o = this.options;
    const epochs = opts.epochs ?? o.epochs;
    const alpha = opts.alpha ?? o.alpha;
    const minAlpha = opts.minAlpha ?? o.minAlpha;
    if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`infer: epochs must be a positive integer, got ${epochs}`);
    const rng = new Rng(opts.seed ?? murmur3(tokens.join(" "), o.seed));
    const dim = this.dim;
    const doc = new Float32Array(dim);
    // gensim's pseudorandom_weak_vector: uniform in [-0.5, 0.5) / dim.
    for (let j = 0; j < dim; j++) doc[j] = (rng.next() - 0.5) / dim;
    const ids: number[] = [];
    for (const t of tokens) {
      const i = this.vocab.index.get(t);
      if (i !== undefined) ids.push(i);
    }
    if (ids.length === 0) return doc;
    const { mem, kernel } = this.inferenceKernel(ids.length);
    mem.docs.set(doc);
    mem.words.set(ids);
    mem.offsets[0] = 0;
    mem.offsets[1] = ids.length;
    kernel.seed(rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32());
    const delta = (alpha - minAlpha) / Math.max(epochs - 1, 1);
    let a = alpha;
    for (let e = 0; e < epochs; e++) {
      kernel.trainDocs(0, 1, 0, a);
      a -= delta;
    }
    return mem.docs.slice();
  }

  /** A kernel over a copy of the output vectors, with room for documents of `length` words; kept between calls. */
  private inferenceKernel(length: number): { mem: EmbeddingMemory; kernel: EmbeddingKernel } {
    if (this.inference && this.inference.mem.words.length >= length) return this.inference;
    const o = this.options;
    const v = this.vocab.words.length;
    const room = Math.max(256, 2 ** Math.ceil(Math.log2(length)));
    const mem = new EmbeddingMemory({
      mode: 1,
      dim: this.dim,
      window: o.window,
      negative: o.negative,
      vocab: v,
      docs: 1,
      docVectors: 1,
      words: room,
      maxDocLength: room,
      threads: 1,
      sample: o.sample > 0,
      // The word and output vectors stay frozen, as in gensim's infer_vector; the kernel never reads syn0 here.
      dbowWords: false,
      learnWords: false,
      learnHidden: false,
    });
    mem.syn1neg.set(this.syn1neg);
    sampleInts(this.vocab.counts, o.sample, mem.sampleInt);
    aliasTable(this.vocab.counts, 0.75, mem.table);
    const kernel = mem.kernel();
    kernel.configure(...mem.configureArgs(0));
    this.inference = { mem, kernel };
    return this.inference;
  }

  save(dir: string): void {
    this.writeFiles(dir, "doc2vec", { docVectors: this.docVectors, docs: this.docCount });
  }

  static load(dir: string): Doc2VecModel {
    const { header, arrays } = readModel(dir, "doc2vec");
    return new Doc2VecModel(vocabFrom(header.words, Int32Array.from(header.counts)), arrays.vectors, arrays.syn1neg, header.options, arrays.docVectors);
  }
}
