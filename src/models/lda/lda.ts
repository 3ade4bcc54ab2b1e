// Latent Dirichlet Allocation by collapsed Gibbs sampling (Griffiths & Steyvers 2004), the talk's topic step:
// a user is a document and their title tokens, di-grams ("account_manager") and skill tokens are its words.
// Words are opaque strings: nothing is stemmed, lower-cased or stripped, so di-grams survive intact.
//
// The sweep runs in a small wasm kernel (kernel.ts, source in kernels-as/lda/) because the npm `lda` package cannot
// serve here (10,000 fixed sweeps, no document-topic mixes, "_" stripped from di-grams) and plain JS ran at about
// half the kernel's speed. The initial state comes from a seeded Rng, the kernel's own generator is seeded from it,
// and the arithmetic is IEEE doubles in a fixed order, so a seed reproduces a model bit for bit.
import { Rng } from "../../util/random";
import { addPhi, addTheta, initChain, logJoint } from "./chain";
import { withKernel } from "./kernel";

export interface LdaOptions {
  /** Number of topics K (an integer >= 1). */
  topics: number;
  /** Symmetric Dirichlet prior on document-topic mixes (default 0.1, as the npm `lda` package). */
  alpha?: number;
  /** Symmetric Dirichlet prior on topic-word distributions (default 0.01). */
  beta?: number;
  /** Gibbs sweeps over the whole corpus (default 500). */
  iterations?: number;
  /** Sweeps discarded before phi/theta are averaged (default: half of `iterations`). */
  burnIn?: number;
  /**
   * Thinning: after burn-in, every `sampleEvery`-th sweep's phi and theta estimates are added to running means
   * (default 10). Averaging several states of one chain gives smoother estimates than the last state alone; it
   * is safe within one chain, whose topics keep their identity once it has mixed. When no sweep falls after
   * burn-in (or `sampleEvery` is 0) the final state alone is used.
   */
  sampleEvery?: number;
  /** Words seen fewer than this many times in the corpus are dropped (default 1: keep every word). */
  minCount?: number;
  /** Seed for the sampler (default 1). */
  seed?: number;
  /** Compute the log-likelihood every this many sweeps and on the last (default 10; 0: never). */
  logLikelihoodEvery?: number;
  /** Called after every sweep, e.g. to drive a progress bar. `logLikelihood` is set on sweeps where it was computed. */
  onIteration?: (info: { iteration: number; iterations: number; logLikelihood?: number }) => void;
}

export interface TopicWord {
  word: string;
  weight: number;
}

export interface FoldInOptions {
  /** Gibbs sweeps over the new documents (default 50). */
  iterations?: number;
  /** Sweeps before theta is averaged (default: half of `iterations`); every later sweep is averaged. */
  burnIn?: number;
  seed?: number;
}

export interface LdaModelJson {
  format: "jtlab-lda";
  version: 1;
  topics: number;
  alpha: number;
  beta: number;
  vocabulary: string[];
  phi: number[];
  theta: number[];
  documents: number;
  tokens: number;
  samples: number;
  logLikelihood: { iteration: number; logLikelihood: number }[];
}

/** A trained model. `phi` is K×V (row k: topic k's word distribution), `theta` is D×K (row d: document d's mix). */
export class LdaModel {
  private readonly index: Map<string, number>;

  constructor(
    readonly topics: number,
    readonly alpha: number,
    readonly beta: number,
    readonly vocabulary: readonly string[],
    readonly phi: Float64Array,
    readonly theta: Float64Array,
    /** Token count after `minCount`: the number of token samples per sweep. */
    readonly tokens: number,
    /** How many sampled states phi and theta average (1: the final state alone). */
    readonly samples: number,
    /** log p(w, z) of the training chain (Griffiths & Steyvers' eq. 2); divide by `tokens` for a per-token figure. */
    readonly logLikelihood: readonly { iteration: number; logLikelihood: number }[],
  ) {
    this.index = new Map(vocabulary.map((w, i) => [w, i]));
    if (phi.length !== topics * vocabulary.length) throw new Error(`LdaModel: phi has ${phi.length} entries, expected K×V = ${topics * vocabulary.length}`);
    if (theta.length % topics !== 0) throw new Error(`LdaModel: theta has ${theta.length} entries, not a multiple of K = ${topics}`);
  }

  get documents(): number {
    return this.theta.length / this.topics;
  }

  wordId(word: string): number | undefined {
    return this.index.get(word);
  }

  /** Topic mix of training document d (a view into `theta`). */
  docTopics(d: number): Float64Array {
    if (!(d >= 0 && d < this.documents)) throw new RangeError(`docTopics: document ${d} out of range [0, ${this.documents})`);
    return this.theta.subarray(d * this.topics, (d + 1) * this.topics);
  }

  /** The n most probable words of topic k, ties broken by vocabulary order. */
  topWords(k: number, n = 10): TopicWord[] {
    this.checkTopic(k);
    const V = this.vocabulary.length;
    const row = this.phi.subarray(k * V, (k + 1) * V);
    const ids = Array.from({ length: V }, (_, i) => i);
    ids.sort((a, b) => row[b] - row[a] || a - b);
    return ids.slice(0, Math.max(0, n)).map((i) => ({ word: this.vocabulary[i], weight: row[i] }));
  }

  /** Topic k as gensim prints it, as on the talk's slide: `0.066*"marketing_strategy" + 0.041*"digital_marketing"`. */
  formatTopic(k: number, n = 10): string {
    return this.topWords(k, n)
      .map((t) => `${t.weight.toFixed(3)}*"${t.word}"`)
      .join(" + ");
  }

  /**
   * Topic mixes (n×K, row-major) of new documents with phi held fixed: each token's topic is resampled from
   * phi[k][w]·(n_dk + alpha), and theta is averaged over the sweeps after burn-in. Words outside the vocabulary
   * are ignored; a document with no known word gets the uniform mix 1/K (its prior mean).
   */
  foldIn(docs: readonly (readonly string[])[], opts: FoldInOptions = {}): Float64Array {
    const K = this.topics;
    const V = this.vocabulary.length;
    const iterations = opts.iterations ?? 50;
    const burnIn = opts.burnIn ?? Math.floor(iterations / 2);
    checkInt("foldIn iterations", iterations, 1);
    checkInt("foldIn burnIn", burnIn, 0);
    if (burnIn >= iterations) throw new Error(`foldIn: burnIn (${burnIn}) must be below iterations (${iterations})`);
    const rng = new Rng(opts.seed ?? 1);
    const corpus = encode(docs, this.index);
    const { words, start } = corpus;
    const D = docs.length;
    // Word-major copy of phi so that the inner loop reads one contiguous row per token.
    const phiT = new Float64Array(V * K);
    for (let k = 0; k < K; k++) for (let w = 0; w < V; w++) phiT[w * K + k] = this.phi[k * V + w];
    const z = new Int32Array(words.length);
    const ndk = new Int32Array(D * K);
    for (let i = 0, d = 0; d < D; d++) {
      for (; i < start[d + 1]; i++) {
        const k = rng.int(K);
        z[i] = k;
        ndk[d * K + k]++;
      }
    }
    const p = new Float64Array(K);
    const thetaSum = new Float64Array(D * K);
    const alpha = this.alpha;
    for (let it = 1; it <= iterations; it++) {
      for (let d = 0; d < D; d++) {
        const dOff = d * K;
        for (let i = start[d], end = start[d + 1]; i < end; i++) {
          const wOff = words[i] * K;
          ndk[dOff + z[i]]--;
          let sum = 0;
          for (let k = 0; k < K; k++) {
            sum += phiT[wOff + k] * (ndk[dOff + k] + alpha);
            p[k] = sum;
          }
          const k = draw(p, K, rng.next() * sum);
          z[i] = k;
          ndk[dOff + k]++;
        }
      }
      if (it > burnIn) addTheta(thetaSum, ndk, start, K, alpha);
    }
    const samples = iterations - burnIn;
    for (let j = 0; j < thetaSum.length; j++) thetaSum[j] /= samples;
    return thetaSum;
  }

  toJSON(): LdaModelJson {
    return {
      format: "jtlab-lda",
      version: 1,
      topics: this.topics,
      alpha: this.alpha,
      beta: this.beta,
      vocabulary: this.vocabulary.slice(),
      // Plain numbers: JSON writes doubles in their shortest round-tripping form, so a reload is exact.
      phi: Array.from(this.phi),
      theta: Array.from(this.theta),
      documents: this.documents,
      tokens: this.tokens,
      samples: this.samples,
      logLikelihood: this.logLikelihood.map((l) => ({ ...l })),
    };
  }

  static fromJSON(j: LdaModelJson): LdaModel {
    if (!j || j.format !== "jtlab-lda" || j.version !== 1) throw new Error("LdaModel.fromJSON: not a jtlab-lda version 1 model");
    if (j.theta.length !== j.documents * j.topics) throw new Error(`LdaModel.fromJSON: theta has ${j.theta.length} entries, expected ${j.documents} documents × ${j.topics} topics`);
    return new LdaModel(j.topics, j.alpha, j.beta, j.vocabulary, Float64Array.from(j.phi), Float64Array.from(j.theta), j.tokens, j.samples, j.logLikelihood);
  }

  private checkTopic(k: number): void {
    if (!(Number.isInteger(k) && k >= 0 && k < this.topics)) throw new RangeError(`topic ${k} out of range [0, ${this.topics})`);
  }
}

/**
 * Trains LDA on tokenized documents. Documents keep their positions: theta row d is docs[d], and a document
 * left with no word (empty, or every word under `minCount`) gets the uniform mix 1/K. An empty corpus, or one
 * with no word left after `minCount`, is an error.
 */
export function trainLda(docs: readonly (readonly string[])[], opts: LdaOptions): LdaModel {
  const K = opts.topics;
  const alpha = opts.alpha ?? 0.1;
  const beta = opts.beta ?? 0.01;
  const iterations = opts.iterations ?? 500;
  const burnIn = opts.burnIn ?? Math.floor(iterations / 2);
  const sampleEvery = opts.sampleEvery ?? 10;
  const minCount = opts.minCount ?? 1;
  const llEvery = opts.logLikelihoodEvery ?? 10;
  checkInt("topics", K, 1);
  checkInt("iterations", iterations, 1);
  checkInt("burnIn", burnIn, 0);
  checkInt("sampleEvery", sampleEvery, 0);
  checkInt("minCount", minCount, 1);
  checkInt("logLikelihoodEvery", llEvery, 0);
  if (!(alpha > 0 && Number.isFinite(alpha))) throw new Error(`trainLda: alpha must be a positive number, got ${alpha}`);
  if (!(beta > 0 && Number.isFinite(beta))) throw new Error(`trainLda: beta must be a positive number, got ${beta}`);
  if (docs.length === 0) throw new Error("trainLda: the corpus has no documents");

  const vocabulary = buildVocabulary(docs, minCount);
  if (vocabulary.length === 0) throw new Error(`trainLda: no word occurs at least minCount = ${minCount} times`);
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  const { words, start } = encode(docs, index);
  const D = docs.length;
  const V = vocabulary.length;
  const N = words.length;
  const rng = new Rng(opts.seed ?? 1);

  return withKernel((kernel) => {
    const chain = initChain(kernel, words, start, K, V, alpha, beta, rng);
    kernel.seed(rng);
    const phiSum = new Float64Array(K * V);
    const priorSum = new Float64Array(K);
    const thetaSum = new Float64Array(D * K);
    let samples = 0;
    const trace: { iteration: number; logLikelihood: number }[] = [];

    for (let it = 1; it <= iterations; it++) {
      kernel.sweep();
      if (it > burnIn && sampleEvery > 0 && (it - burnIn) % sampleEvery === 0) {
        addPhi(phiSum, priorSum, chain);
        addTheta(thetaSum, chain.ndk, start, K, alpha);
        samples++;
      }
      let ll: number | undefined;
      if (llEvery > 0 && (it % llEvery === 0 || it === iterations)) {
        ll = logJoint(chain);
        trace.push({ iteration: it, logLikelihood: ll });
      }
      opts.onIteration?.({ iteration: it, iterations, logLikelihood: ll });
    }

    if (samples === 0) {
      addPhi(phiSum, priorSum, chain);
      addTheta(thetaSum, chain.ndk, start, K, alpha);
      samples = 1;
    }
    for (let k = 0; k < K; k++) {
      for (let w = 0, row = k * V; w < V; w++) phiSum[row + w] = (phiSum[row + w] + priorSum[k]) / samples;
    }
    for (let j = 0; j < thetaSum.length; j++) thetaSum[j] /= samples;
    return new LdaModel(K, alpha, beta, vocabulary, phiSum, thetaSum, N, samples, trace);
  });
}

/** Words in first-seen order (so the ids, and with them the whole run, do not depend on Map internals). */
function buildVocabulary(docs: readonly (readonly string[])[], minCount: number): string[] {
  const counts = new Map<string, number>();
  for (const doc of docs) {
    if (!Array.isArray(doc)) throw new Error("trainLda: each document must be an array of word strings");
    for (const w of doc) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const out: string[] = [];
  for (const [w, c] of counts) if (c >= minCount) out.push(w);
  return out;
}

/** Flat token ids with document offsets: document d is words[start[d] .. start[d+1]). Unknown words are skipped. */
function encode(docs: readonly (readonly string[])[], index: ReadonlyMap<string, number>): { words: Int32Array; start: Int32Array } {
  const start = new Int32Array(docs.length + 1);
  let n = 0;
  for (let d = 0; d < docs.length; d++) {
    for (const w of docs[d]) if (index.has(w)) n++;
    start[d + 1] = n;
  }
  const words = new Int32Array(n);
  let i = 0;
  for (const doc of docs) {
    for (const w of doc) {
      const id = index.get(w);
      if (id !== undefined) words[i++] = id;
    }
  }
  return { words, start };
}

/** Index of the first cumulative weight above u. The last topic catches u rounding up to the total. */
function draw(cum: Float64Array, K: number, u: number): number {
  let k = 0;
  while (k < K - 1 && cum[k] <= u) k++;
  return k;
}

function checkInt(name: string, v: number, min: number): void {
  if (!(Number.isInteger(v) && v >= min)) throw new Error(`LDA: ${name} must be an integer >= ${min}, got ${v}`);
}
