// Vocabulary, frequent-word subsampling and the negative-sampling distribution, as gensim builds them.

export interface Vocab {
  /** Words by index, most frequent first (ties in order of first occurrence, as gensim sorts). */
  words: string[];
  counts: Int32Array;
  index: Map<string, number>;
}

export function vocabFrom(words: string[], counts: Int32Array): Vocab {
  return { words, counts, index: new Map(words.map((w, i) => [w, i])) };
}

/**
 * gensim's sample_int: a word is kept with probability (sqrt(c / t) + 1) · t / c (capped at 1), where
 * t = sample × (words retained after minCount); stored as a 32-bit threshold so that the loop compares integers.
 */
export function sampleInts(counts: Int32Array, sample: number, out: Uint32Array = new Uint32Array(counts.length)): Uint32Array {
  let total = 0;
  for (const c of counts) total += c;
  const threshold = sample < 1 ? sample * total : sample;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    const p = sample > 0 ? Math.min(1, (Math.sqrt(c / threshold) + 1) * (threshold / c)) : 1;
    out[i] = Math.floor(p * 4294967295);
  }
  return out;
}

/**
 * The unigram^0.75 distribution of negative samples as a Walker/Vose alias table: slot i holds a 32-bit threshold and
 * an alias, and a draw picks a uniform slot i, then i itself when a second 32-bit draw is below the threshold, else
 * the alias. It draws from exactly the distribution of gensim's cum_table (word2vec.c's fixed-size table rounds rare
 * words), and at 8 bytes per word it stays in cache, where a table big enough for rare words (word2vec.c's has 10^8
 * slots) costs a cache miss on nearly every draw. Laid out as [threshold, alias] pairs, one cache line per draw.
 */
export function aliasTable(counts: Int32Array, power = 0.75, out: Uint32Array = new Uint32Array(2 * counts.length)): Uint32Array {
  const n = counts.length;
  const p = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) norm += p[i] = Math.pow(counts[i], power);
  for (let i = 0; i < n; i++) p[i] = (p[i] * n) / norm;
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i++) (p[i] < 1 ? small : large).push(i);
  const set = (i: number, keep: number, alias: number): void => {
    out[2 * i] = Math.min(4294967295, Math.floor(keep * 4294967296));
    out[2 * i + 1] = alias;
  };
  while (small.length && large.length) {
    const s = small.pop() as number;
    const l = large[large.length - 1];
    set(s, p[s], l);
    p[l] -= 1 - p[s];
    if (p[l] < 1) small.push(large.pop() as number);
  }
  // What is left has probability 1 up to rounding: it keeps its own slot.
  for (const i of large.concat(small)) set(i, 1, i);
  return out;
}

export interface EncodedCorpus {
  vocab: Vocab;
  /** Vocabulary indices, documents one after another; words under minCount are left out. */
  words: Int32Array;
  /** Document d is words[offsets[d] .. offsets[d + 1]). */
  offsets: Int32Array;
  /** Tokens per document before the vocabulary filter: gensim's progress (and words/s) count these. */
  rawLengths: Int32Array;
  /** The longest document, in vocabulary words. */
  maxLength: number;
  tokens: number;
}

/**
 * The vocabulary (words seen at least minCount times, most frequent first, ties in order of first occurrence, as
 * gensim sorts) and the corpus as vocabulary indices, from one pass of string look-ups over the tokens.
 */
export function encodeCorpus(docs: readonly (readonly string[])[], minCount: number): EncodedCorpus {
  const firstSeen = new Map<string, number>();
  let rawCounts: Int32Array = new Int32Array(1024);
  let ids: Int32Array = new Int32Array(1024);
  let tokens = 0;
  const rawLengths = new Int32Array(docs.length);
  docs.forEach((d, i) => {
    rawLengths[i] = d.length;
    if (tokens + d.length > ids.length) ids = grow(ids, tokens + d.length);
    for (const w of d) {
      let id = firstSeen.get(w);
      if (id === undefined) {
        id = firstSeen.size;
        firstSeen.set(w, id);
        if (id >= rawCounts.length) rawCounts = grow(rawCounts, id + 1);
      }
      rawCounts[id]++;
      ids[tokens++] = id;
    }
  });
  const raw = [...firstSeen.keys()];
  const kept: number[] = [];
  for (let id = 0; id < raw.length; id++) if (rawCounts[id] >= minCount) kept.push(id);
  kept.sort((a, b) => rawCounts[b] - rawCounts[a] || a - b);
  const vocab = vocabFrom(
    kept.map((id) => raw[id]),
    Int32Array.from(kept, (id) => rawCounts[id]),
  );
  const remap = new Int32Array(raw.length).fill(-1);
  kept.forEach((id, i) => (remap[id] = i));
  const words = new Int32Array(kept.length === raw.length ? tokens : countKept(ids, tokens, remap));
  const offsets = new Int32Array(docs.length + 1);
  let p = 0;
  let t = 0;
  let maxLength = 0;
  for (let d = 0; d < docs.length; d++) {
    offsets[d] = p;
    for (const end = t + rawLengths[d]; t < end; t++) {
      const k = remap[ids[t]];
      if (k >= 0) words[p++] = k;
    }
    maxLength = Math.max(maxLength, p - offsets[d]);
  }
  offsets[docs.length] = p;
  return { vocab, words, offsets, rawLengths, maxLength, tokens };
}

function grow(a: Int32Array, atLeast: number): Int32Array {
  const b = new Int32Array(Math.max(atLeast, a.length * 2));
  b.set(a);
  return b;
}

function countKept(ids: Int32Array, n: number, remap: Int32Array): number {
  let c = 0;
  for (let t = 0; t < n; t++) if (remap[ids[t]] >= 0) c++;
  return c;
}
