// Latent Dirichlet Allocation by collapsed Gibbs sampling (Griffiths & Steyvers 2004), the talk's topic step:
// a user is a document and their title tokens, di-grams ("account_manager") and skill tokens are its words.
// Words are opaque strings: nothing is stemmed, lower-cased or stripped, so di-grams survive intact.
//
// The sampler works on typed arrays: one flat token array with document offsets, Int32Array counts, and no
// allocation per token, so one sweep is a tight loop. Everything random goes through a seeded Rng, and the
// arithmetic is plain IEEE doubles in a fixed order, so a seed reproduces a model bit for bit.
import { Rng } from "../../util/random";
import { lgamma } from "./lgamma";

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

  const chain = initChain(words, start, K, V, alpha, beta, rng);
  const phiSum = new Float64Array(K * V);
  const priorSum = new Float64Array(K);
  const thetaSum = new Float64Array(D * K);
  let samples = 0;
  const trace: { iteration: number; logLikelihood: number }[] = [];

  for (let it = 1; it <= iterations; it++) {
    sweep(chain, rng);
    if (it > burnIn && sampleEvery > 0 && (it - burnIn) % sampleEvery === 0) {
      addPhi(phiSum, priorSum, chain, V);
      addTheta(thetaSum, chain.ndk, start, K, alpha);
      samples++;
    }
    let ll: number | undefined;
    if (llEvery > 0 && (it % llEvery === 0 || it === iterations)) {
      ll = logJoint(chain, V);
      trace.push({ iteration: it, logLikelihood: ll });
    }
    opts.onIteration?.({ iteration: it, iterations, logLikelihood: ll });
  }

  if (samples === 0) {
    addPhi(phiSum, priorSum, chain, V);
    addTheta(thetaSum, chain.ndk, start, K, alpha);
    samples = 1;
  }
  for (let k = 0; k < K; k++) {
    for (let w = 0, row = k * V; w < V; w++) phiSum[row + w] = (phiSum[row + w] + priorSum[k]) / samples;
  }
  for (let j = 0; j < thetaSum.length; j++) thetaSum[j] /= samples;
  return new LdaModel(K, alpha, beta, vocabulary, phiSum, thetaSum, N, samples, trace);
}

/**
 * The sampler's state: every token's topic and the counts that summarize them. Word-topic counts are sparse
 * lists rather than a dense V×K table: a word occurs in a few topics, and one short list per word is a single
 * cache line where a dense row is K counts beside a separate index of the non-zero ones.
 */
interface Chain {
  K: number;
  alpha: number;
  beta: number;
  words: Int32Array;
  start: Int32Array;
  z: Int32Array;
  /** n_dk, document-major. */
  ndk: Int32Array;
  nk: Int32Array;
  /** 1 / (n_k + V·beta), refreshed whenever n_k changes so that the sampler never divides K times per token. */
  invDen: Float64Array;
  /** V·beta. */
  Vbeta: number;
  /**
   * Word w's non-zero counts n_wk as (topic, count) pairs, largest count first: wMeta[2w] is where its pairs start
   * in wList, wMeta[2w + 1] how many there are. A word seen c times occurs in at most min(c, K) topics, so that
   * is all the room it gets.
   */
  wMeta: Int32Array;
  wList: Int32Array;
}

function initChain(words: Int32Array, start: Int32Array, K: number, V: number, alpha: number, beta: number, rng: Rng): Chain {
  const D = start.length - 1;
  const N = words.length;
  const z = new Int32Array(N);
  const ndk = new Int32Array(D * K);
  const nk = new Int32Array(K);
  for (let d = 0; d < D; d++) {
    for (let i = start[d]; i < start[d + 1]; i++) {
      const k = rng.int(K);
      z[i] = k;
      ndk[d * K + k]++;
      nk[k]++;
    }
  }
  const Vbeta = V * beta;
  const invDen = new Float64Array(K);
  for (let k = 0; k < K; k++) invDen[k] = 1 / (nk[k] + Vbeta);

  const freq = new Int32Array(V);
  for (let i = 0; i < N; i++) freq[words[i]]++;
  const wMeta = new Int32Array(2 * V);
  let size = 0;
  for (let w = 0; w < V; w++) {
    wMeta[2 * w] = size;
    size += 2 * Math.min(freq[w], K);
  }
  const wList = new Int32Array(size);
  // Dense counts only while building the lists; the sweep never touches a V×K table.
  const row = new Int32Array(K);
  const byWord = groupByWord(words, V, freq);
  for (let w = 0; w < V; w++) {
    row.fill(0);
    for (let j = byWord.start[w]; j < byWord.start[w + 1]; j++) row[z[byWord.tokens[j]]]++;
    const topics = Array.from({ length: K }, (_, k) => k).filter((k) => row[k] > 0);
    topics.sort((x, y) => row[y] - row[x] || x - y);
    const base = wMeta[2 * w];
    topics.forEach((k, j) => {
      wList[base + 2 * j] = k;
      wList[base + 2 * j + 1] = row[k];
    });
    wMeta[2 * w + 1] = topics.length;
  }
  return { K, alpha, beta, Vbeta, words, start, z, ndk, nk, invDen, wMeta, wList };
}

/** Token indices grouped by word (counting sort). */
function groupByWord(words: Int32Array, V: number, freq: Int32Array): { start: Int32Array; tokens: Int32Array } {
  const start = new Int32Array(V + 1);
  for (let w = 0; w < V; w++) start[w + 1] = start[w] + freq[w];
  const fill = start.slice(0, V);
  const tokens = new Int32Array(words.length);
  for (let i = 0; i < words.length; i++) tokens[fill[words[i]]++] = i;
  return { start, tokens };
}

/**
 * One Gibbs sweep over every token. The conditional of a token of word w in document d, itself left out
 * (primes), splits as in SparseLDA (Yao, Mimno & McCallum 2009):
 *
 *   p(k) ∝ (n'_wk + β)(n'_dk + α) / (n'_k + Vβ) = n'_wk(n'_dk + α)/(n'_k + Vβ) + β·n'_dk/(n'_k + Vβ) + αβ/(n'_k + Vβ)
 *                                                  q: topics of the word        r: topics of d         s: every k
 *
 * r and s are running sums, updated when a count changes, so a token costs a loop over the few topics its
 * word occurs in (about 4 of 20 on the simulated profiles) instead of all K. Most tokens keep their topic, so
 * the current topic's whole mass is tested first: a token that stays costs that loop and one draw, reads only
 * and writes nothing; only a move walks the buckets (without the current topic) and updates counts. It is the
 * exact conditional of the textbook dense loop; only the order of floating-point operations differs. The
 * document's topic list and r are rebuilt at each document and s at each sweep, so rounding in the running
 * sums never accumulates.
 */
function sweep(c: Chain, rng: Rng): void {
  const { K, alpha, beta, Vbeta, words, start, z, ndk, nk, invDen, wMeta, wList } = c;
  const D = start.length - 1;
  const ab = alpha * beta;
  const dTopics = new Int32Array(K);
  // coef[k] = (n_dk + α)/(n_k + Vβ) in the current document: q's weight per count of the word in topic k.
  const coef = new Float64Array(K);
  let S = 0; // Σ_k 1/(n_k + Vβ)
  for (let k = 0; k < K; k++) S += invDen[k];
  for (let d = 0; d < D; d++) {
    const dOff = d * K;
    const end = start[d + 1];
    let i = start[d];
    if (i === end) continue;
    let r = 0; // Σ_{k in d} n_dk/(n_k + Vβ)
    let dn = 0;
    for (let k = 0; k < K; k++) {
      const n = ndk[dOff + k];
      coef[k] = (n + alpha) * invDen[k];
      if (n > 0) {
        r += n * invDen[k];
        dTopics[dn++] = k;
      }
    }
    for (; i < end; i++) {
      const w = words[i];
      const base = wMeta[2 * w];
      let nz = wMeta[2 * w + 1];
      const kOld = z[i];
      const nOld = ndk[dOff + kOld];
      const invOld = invDen[kOld];
      const invOld2 = 1 / (nk[kOld] - 1 + Vbeta);

      // q over the word's other topics; kOld's entry is the token's own count plus the others'.
      let q = 0;
      let mOld = 0;
      for (let m = 0; m < nz; m++) {
        const t = wList[base + 2 * m];
        if (t === kOld) mOld = m;
        else q += wList[base + 2 * m + 1] * coef[t];
      }
      const pOld = (wList[base + 2 * mOld + 1] - 1 + beta) * (nOld - 1 + alpha) * invOld2;
      const rRest = beta * (r - nOld * invOld);
      const sRest = ab * (S - invOld);
      let u = rng.next() * (pOld + q + rRest + sRest) - pOld;
      if (u < 0) continue;

      // A move: draw among the other topics (bucket by bucket), then update every count.
      let k = -1;
      if (u < q) {
        for (let m = 0; m < nz; m++) {
          const t = wList[base + 2 * m];
          if (t === kOld) continue;
          k = t;
          u -= wList[base + 2 * m + 1] * coef[t];
          if (u < 0) break;
        }
      } else if ((u -= q) < rRest) {
        for (let m = 0; m < dn; m++) {
          const t = dTopics[m];
          if (t === kOld) continue;
          k = t;
          u -= beta * ndk[dOff + t] * invDen[t];
          if (u < 0) break;
        }
      } else {
        u -= rRest;
        for (let t = 0; t < K; t++) {
          if (t === kOld) continue;
          k = t;
          u -= ab * invDen[t];
          if (u < 0) break;
        }
      }
      // Only rounding at the edge of a bucket can leave no topic drawn (e.g. K = 1); the token stays then.
      if (k < 0) continue;

      z[i] = k;
      ndk[dOff + kOld] = nOld - 1;
      nk[kOld]--;
      invDen[kOld] = invOld2;
      coef[kOld] = (nOld - 1 + alpha) * invOld2;
      S += invOld2 - invOld;
      r += (nOld - 1) * invOld2 - nOld * invOld;
      if (nOld === 1) {
        let j = 0;
        while (dTopics[j] !== kOld) j++;
        dTopics[j] = dTopics[--dn];
      }
      const n = ndk[dOff + k];
      const inv = invDen[k];
      const inv2 = (invDen[k] = 1 / (++nk[k] + Vbeta));
      ndk[dOff + k] = n + 1;
      coef[k] = (n + 1 + alpha) * inv2;
      S += inv2 - inv;
      r += (n + 1) * inv2 - n * inv;
      if (n === 0) dTopics[dn++] = k;

      // Move one count in the word's list from kOld to k, keeping the list sorted by count. A word seen once
      // (most of a small corpus's vocabulary) just relabels its one entry.
      if (nz === 1 && wList[base + 1] === 1) {
        wList[base] = k;
        continue;
      }
      let j = base + 2 * mOld;
      let cnt = --wList[j + 1];
      for (const last = base + 2 * nz - 2; j < last && wList[j + 3] > cnt; j += 2) {
        wList[j] = wList[j + 2];
        wList[j + 1] = wList[j + 3];
        wList[j + 2] = kOld;
        wList[j + 3] = cnt;
      }
      if (cnt === 0) nz--;
      j = base;
      const stop = base + 2 * nz;
      while (j < stop && wList[j] !== k) j += 2;
      if (j === stop) {
        wList[j] = k;
        wList[j + 1] = 0;
        nz++;
      }
      wMeta[2 * w + 1] = nz;
      cnt = ++wList[j + 1];
      for (; j > base && wList[j - 1] < cnt; j -= 2) {
        wList[j] = wList[j - 2];
        wList[j + 1] = wList[j - 1];
        wList[j - 2] = k;
        wList[j - 1] = cnt;
      }
    }
  }
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

/**
 * Adds the current phi estimate (n_wk + β)/(n_k + Vβ): the count part into `phiSum` over non-zero counts only,
 * the prior part β/(n_k + Vβ), the same for every word of topic k, into `priorSum[k]`.
 */
function addPhi(phiSum: Float64Array, priorSum: Float64Array, c: Chain, V: number): void {
  const { K, beta, nk, wMeta, wList } = c;
  const inv = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    inv[k] = 1 / (nk[k] + V * beta);
    priorSum[k] += beta * inv[k];
  }
  for (let w = 0; w < V; w++) {
    for (let j = wMeta[2 * w], end = j + 2 * wMeta[2 * w + 1]; j < end; j += 2) {
      const k = wList[j];
      phiSum[k * V + w] += wList[j + 1] * inv[k];
    }
  }
}

function addTheta(thetaSum: Float64Array, ndk: Int32Array, start: Int32Array, K: number, alpha: number): void {
  const D = start.length - 1;
  for (let d = 0; d < D; d++) {
    const inv = 1 / (start[d + 1] - start[d] + K * alpha);
    for (let k = 0; k < K; k++) thetaSum[d * K + k] += (ndk[d * K + k] + alpha) * inv;
  }
}

/**
 * log p(w, z) = log p(w | z) + log p(z) with phi and theta integrated out (Griffiths & Steyvers 2004, eq. 2 and
 * its theta counterpart). Zero counts contribute lgamma(prior) each, so only non-zero cells call lgamma.
 */
function logJoint(c: Chain, V: number): number {
  const { K, alpha, beta, nk, ndk, start, wMeta, wList } = c;
  const D = start.length - 1;
  const lgBeta = lgamma(beta);
  const lgAlpha = lgamma(alpha);
  let ll = K * (lgamma(V * beta) - V * lgBeta);
  let nonZero = 0;
  for (let w = 0; w < V; w++) {
    const nz = wMeta[2 * w + 1];
    for (let j = wMeta[2 * w], m = 0; m < nz; m++, j += 2) ll += lgamma(wList[j + 1] + beta);
    nonZero += nz;
  }
  ll += (K * V - nonZero) * lgBeta;
  for (let k = 0; k < K; k++) ll -= lgamma(nk[k] + V * beta);
  ll += D * (lgamma(K * alpha) - K * lgAlpha);
  nonZero = 0;
  for (let j = 0; j < ndk.length; j++) {
    if (ndk[j] !== 0) {
      ll += lgamma(ndk[j] + alpha);
      nonZero++;
    }
  }
  ll += (D * K - nonZero) * lgAlpha;
  for (let d = 0; d < D; d++) ll -= lgamma(start[d + 1] - start[d] + K * alpha);
  return ll;
}

function checkInt(name: string, v: number, min: number): void {
  if (!(Number.isInteger(v) && v >= min)) throw new Error(`LDA: ${name} must be an integer >= ${min}, got ${v}`);
}
