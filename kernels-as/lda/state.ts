// The sampler's configuration and random state, one set per instance. The caller (src/models/lda/kernel.ts) lays
// out every array in the imported memory and passes byte addresses; nothing here allocates.
//
// Layouts are chosen so that the sweep needs few base registers (V8's wasm compiler spills the rest to the stack):
// a token is one 8-byte record, a topic one 32-byte record.

export let K: i32 = 0;
export let D: i32 = 0;
export let alpha: f64 = 0;
export let beta: f64 = 0;
/** Per token, documents back to back: word id (i32) at +0, topic (i32) at +4. */
export let tokens: usize = 0;
/**
 * i32 × (D + 1): document d is tokens start[d] .. start[d + 1]. Within a document, the tokens of words seen more
 * than once come first, up to split[d] (i32 × D), and the words seen once (hapaxes) after them.
 */
export let start: usize = 0;
export let split: usize = 0;
/** i32 n_dk, D × K, document-major. */
export let ndk: usize = 0;
/**
 * Per topic: 1/(n_k + Vβ) (f64) at +0, 1/(n_k - 1 + Vβ) (f64, meaningful while n_k > 0) at +8, the current
 * document's (n_dk + α)/(n_k + Vβ) (f64) at +16, n_k (i32) at +24.
 */
export let topics: usize = 0;
/** i32 × 2V: word w's (topic, count) pairs start at wList[wMeta[2w]]; wMeta[2w + 1] pairs, largest count first. */
export let wMeta: usize = 0;
export let wList: usize = 0;
/** Scratch, i32 × K: the current document's topics. */
export let dTopics: usize = 0;
/** f64 × (N + 1): 1/(n + Vβ) for every count n a topic can hold, so that a move divides nothing. */
export let invTable: usize = 0;

export function configure(
  K_: i32, D_: i32, alpha_: f64, beta_: f64,
  tokens_: usize, start_: usize, split_: usize, ndk_: usize, topics_: usize, wMeta_: usize, wList_: usize, dTopics_: usize,
  invTable_: usize,
): void {
  K = K_;
  D = D_;
  alpha = alpha_;
  beta = beta_;
  tokens = tokens_;
  start = start_;
  split = split_;
  ndk = ndk_;
  topics = topics_;
  wMeta = wMeta_;
  wList = wList_;
  dTopics = dTopics_;
  invTable = invTable_;
}

// SplitMix64 (Steele, Lea & Flood 2014): one 64-bit word of state, so the sweep keeps it in a register; passes
// BigCrush. The sweep steps it in a local; this global carries it from one sweep to the next.
export let rngState: u64 = 0;

/** Seeds the generator from two 32-bit words (the caller draws them from its seeded Rng). */
export function seed(lo: u32, hi: u32): void {
  rngState = (<u64>hi << 32) | lo;
}

/** Where a sweep leaves the generator (imported bindings are read-only in the sweep's module). */
@inline export function saveRng(s: u64): void {
  rngState = s;
}
