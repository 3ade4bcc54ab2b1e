// The training chain's state and what is read off it between sweeps: the initial assignment, phi/theta estimates
// and the log-likelihood. The sweep itself runs in the lda kernel (kernels-as/lda/sweep.ts) on the same arrays.
import type { Rng } from "../../util/random";
import { type ChainArrays, type GibbsKernel, TOPIC_INV, TOPIC_INV_M1, TOPIC_NK } from "./kernel";
import { lgamma } from "./lgamma";

/**
 * Every token's topic and the counts that summarize them. Word-topic counts are sparse lists rather than a dense
 * V×K table: a word occurs in a few topics, and one short list per word is a single cache line where a dense row
 * is K counts beside a separate index of the non-zero ones. Word w's (topic, count) pairs start at wList[wMeta[2w]],
 * wMeta[2w + 1] of them, largest count first; a word seen c times occurs in at most min(c, K) topics, so that is
 * all the room it gets.
 */
export interface Chain extends ChainArrays {
  K: number;
  V: number;
  alpha: number;
  beta: number;
}

/** A random initial state (topics drawn from rng), laid out in the kernel's memory. */
export function initChain(kernel: GibbsKernel, words: Int32Array, start: Int32Array, K: number, V: number, alpha: number, beta: number, rng: Rng): Chain {
  const D = start.length - 1;
  const N = words.length;
  const freq = new Int32Array(V);
  for (let i = 0; i < N; i++) freq[words[i]]++;
  let listSize = 0;
  for (let w = 0; w < V; w++) listSize += 2 * Math.min(freq[w], K);
  const c: Chain = { K, V, alpha, beta, ...kernel.layout({ K, D, V, N, listSize, alpha, beta }) };
  c.start.set(start);
  const { tokens, split, ndk, topicF64, topicI32, wMeta, wList } = c;
  const z = new Int32Array(N);
  const nk = new Int32Array(K);
  for (let d = 0; d < D; d++) {
    // The kernel's scan order: each document's hapaxes last (see kernels-as/lda/sweep.ts); any fixed order is a
    // valid Gibbs scan.
    let j = start[d];
    for (let i = start[d]; i < start[d + 1]; i++) {
      const k = rng.int(K);
      z[i] = k;
      ndk[d * K + k]++;
      nk[k]++;
      if (freq[words[i]] > 1) {
        tokens[2 * j] = words[i];
        tokens[2 * j++ + 1] = k;
      }
    }
    split[d] = j;
    for (let i = start[d]; i < start[d + 1]; i++) {
      if (freq[words[i]] === 1) {
        tokens[2 * j] = words[i];
        tokens[2 * j++ + 1] = z[i];
      }
    }
  }
  for (let k = 0; k < K; k++) {
    topicI32[8 * k + TOPIC_NK] = nk[k];
    // The same expressions as the kernel's, so that a value it derives from these is the one it would compute.
    topicF64[4 * k + TOPIC_INV] = 1 / (nk[k] + V * beta);
    if (nk[k] > 0) topicF64[4 * k + TOPIC_INV_M1] = 1 / (nk[k] - 1 + V * beta);
  }

  // Dense counts only while building the lists; the sweep never touches a V×K table.
  const row = new Int32Array(K);
  const byWord = groupByWord(words, V, freq);
  for (let w = 0, base = 0; w < V; w++) {
    row.fill(0);
    for (let j = byWord.start[w]; j < byWord.start[w + 1]; j++) row[z[byWord.tokens[j]]]++;
    const topics = Array.from({ length: K }, (_, k) => k).filter((k) => row[k] > 0);
    topics.sort((x, y) => row[y] - row[x] || x - y);
    topics.forEach((k, j) => {
      wList[base + 2 * j] = k;
      wList[base + 2 * j + 1] = row[k];
    });
    wMeta[2 * w] = base;
    wMeta[2 * w + 1] = topics.length;
    base += 2 * Math.min(freq[w], K);
  }
  return c;
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

/** n_k, out of the kernel's topic records. */
function topicCounts(c: Chain): Int32Array {
  const nk = new Int32Array(c.K);
  for (let k = 0; k < c.K; k++) nk[k] = c.topicI32[8 * k + TOPIC_NK];
  return nk;
}

/**
 * Adds the current phi estimate (n_wk + β)/(n_k + Vβ): the count part into `phiSum` over non-zero counts only,
 * the prior part β/(n_k + Vβ), the same for every word of topic k, into `priorSum[k]`.
 */
export function addPhi(phiSum: Float64Array, priorSum: Float64Array, c: Chain): void {
  const { K, V, beta, wMeta, wList } = c;
  const nk = topicCounts(c);
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

export function addTheta(thetaSum: Float64Array, ndk: Int32Array, start: Int32Array, K: number, alpha: number): void {
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
export function logJoint(c: Chain): number {
  const { K, V, alpha, beta, ndk, start, wMeta, wList } = c;
  const nk = topicCounts(c);
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
