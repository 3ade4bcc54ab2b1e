// fastText's input features for one text: its words (exact, through a vocabulary), the end-of-line token, word
// n-grams and character n-grams of every word with `<` `>` boundaries, the n-grams hashed into a fixed number of
// buckets. Hashing is murmur3 with a constant seed, so a text's features never depend on a training seed.
import { normKey } from "../../text/normalize";
import { murmur3 } from "../../util/random";

/** fastText appends this token to every line; its vector acts as a learned bias shared by all texts. */
export const EOS = "</s>";
const HASH_SEED = 0x5f3759df;
/** fastText's multiplier for chaining word hashes into an n-gram hash. */
const NGRAM_MULT = 116049371;

export interface FeatureConfig {
  /** Shortest and longest character n-gram (code points, boundaries included); maxn 0 turns them off. */
  minn: number;
  maxn: number;
  /** Longest word n-gram; 1 means words alone. */
  wordNgrams: number;
  /** Hashed n-grams (character and word) share [0, buckets). */
  buckets: number;
}

/** The words fastText sees for a text: the project's normalized key (normKey), split on spaces, then EOS. */
export function tokensOf(text: string): string[] {
  const norm = normKey(text);
  const ws = norm ? norm.split(" ") : [];
  ws.push(EOS);
  return ws;
}

/** The character n-grams of `word` as fastText makes them: of `<word>`, whole code points, minn..maxn long. */
export function charNgrams(word: string, minn: number, maxn: number): string[] {
  const out: string[] = [];
  forCharNgrams(word, minn, maxn, (g) => out.push(g));
  return out;
}

function forCharNgrams(word: string, minn: number, maxn: number, emit: (g: string) => void): void {
  if (maxn <= 0 || word === EOS) return;
  const s = "<" + word + ">";
  // Code-point starts, so an astral character is never cut in half.
  const starts: number[] = [];
  for (let i = 0; i < s.length; i++) {
    starts.push(i);
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
  }
  const m = starts.length;
  starts.push(s.length);
  for (let i = 0; i < m; i++) {
    for (let n = 1; n <= maxn && i + n <= m; n++) {
      // A lone boundary character is not an n-gram (fastText's rule for n = 1).
      if (n < minn || (n === 1 && (i === 0 || i + n === m))) continue;
      emit(s.slice(starts[i], starts[i + n]));
    }
  }
}

/** The hash of a word as used in word n-grams. */
export function wordHash(word: string): number {
  return murmur3(word, HASH_SEED);
}

/** Bucket of a character n-gram. */
export function charNgramBucket(gram: string, buckets: number): number {
  return murmur3(gram, HASH_SEED ^ 0x2545f491) % buckets;
}

/** Bucket of the word n-gram made of `hashes[i..j]` (fastText's chained hash). */
function wordNgramBucket(hashes: readonly number[], i: number, j: number, buckets: number): number {
  let h = hashes[i];
  for (let k = i + 1; k <= j; k++) h = (Math.imul(h, NGRAM_MULT) + hashes[k]) >>> 0;
  return h % buckets;
}

/**
 * Feature ids of a text. A known word is `buckets + wordIndex(word)`; an unknown word (wordIndex -1) contributes
 * only its character n-grams, as in fastText. N-grams are ids in [0, buckets). Duplicates are kept: fastText
 * averages over the list as it is, so a repeated n-gram weighs more. `names`, when given, receives a readable
 * name for each id (`w:java`, `c:<ja`, `n:java developer`) for tests and inspection.
 */
export function featureIds(
  text: string,
  cfg: FeatureConfig,
  wordIndex: (word: string) => number,
  out: number[] = [],
  names?: string[],
): number[] {
  const toks = tokensOf(text);
  const hashes: number[] = new Array(toks.length);
  for (let t = 0; t < toks.length; t++) {
    const w = toks[t];
    hashes[t] = wordHash(w);
    const wi = wordIndex(w);
    if (wi >= 0) {
      out.push(cfg.buckets + wi);
      names?.push(`w:${w}`);
    }
    forCharNgrams(w, cfg.minn, cfg.maxn, (g) => {
      out.push(charNgramBucket(g, cfg.buckets));
      names?.push(`c:${g}`);
    });
  }
  for (let i = 0; i < toks.length; i++) {
    for (let j = i + 1; j < i + cfg.wordNgrams && j < toks.length; j++) {
      out.push(wordNgramBucket(hashes, i, j, cfg.buckets));
      names?.push(`n:${toks.slice(i, j + 1).join(" ")}`);
    }
  }
  return out;
}

export function validateFeatureConfig(cfg: FeatureConfig): void {
  const int = (name: keyof FeatureConfig, min: number): void => {
    if (!(Number.isInteger(cfg[name]) && cfg[name] >= min)) throw new Error(`fastText config: ${name} must be an integer >= ${min}, got ${cfg[name]}`);
  };
  int("minn", 0);
  int("maxn", 0);
  int("wordNgrams", 1);
  int("buckets", 1);
  if (cfg.maxn > 0 && cfg.minn < 1) throw new Error(`fastText config: minn must be >= 1 when maxn > 0, got ${cfg.minn}`);
  if (cfg.maxn > 0 && cfg.minn > cfg.maxn) throw new Error(`fastText config: minn (${cfg.minn}) > maxn (${cfg.maxn})`);
  // Word ids sit above the buckets and must stay small integers for typed arrays and Maps.
  if (cfg.buckets > 1 << 30) throw new Error(`fastText config: buckets must be <= 2^30, got ${cfg.buckets}`);
}
