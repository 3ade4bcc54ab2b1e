// MELO's char TF-IDF baseline, reproduced exactly: scikit-learn's TfidfVectorizer(analyzer="char",
// ngram_range=(1, 3)) with its defaults (whitespace runs collapsed to one space, raw counts, smooth idf
// ln((1+N)/(1+df))+1, L2-normalized rows), fitted on the corpus; similarity is the dot product (cosine).
// Scoring walks an inverted index, so a query touches only documents sharing one of its n-grams.

export interface CharTfidfOptions {
  minN?: number;
  maxN?: number;
}

// Offsets of the 1-, 2- and 3-character ASCII key ranges in the flat table (keys are base-128 numbers).
const ASCII_OFFSET = [0, 0, 128, 128 + 128 ** 2, 128 + 128 ** 2 + 128 ** 3];

export class CharTfidf {
  readonly minN: number;
  readonly maxN: number;
  private vocab = new Map<string, number>();
  private idf = new Float64Array(0);
  // Inverted index in CSR form: postings of term t are docs[start[t]..start[t+1]) with weights.
  private start = new Int32Array(0);
  private docs = new Int32Array(0);
  private weights = new Float64Array(0);
  private nDocs = 0;

  constructor(opts: CharTfidfOptions = {}) {
    this.minN = opts.minN ?? 1;
    this.maxN = opts.maxN ?? 3;
  }

  /** The n-grams of one text, as scikit-learn's `_char_ngrams` yields them. */
  ngrams(text: string): string[] {
    const s = text.replace(/\s\s+/g, " ");
    const out: string[] = [];
    // Python slices by code point; substring is the same whenever there are no surrogate pairs (the common case).
    if (!/[\ud800-\udfff]/.test(s)) {
      for (let n = this.minN; n <= Math.min(this.maxN, s.length); n++) {
        for (let i = 0; i + n <= s.length; i++) out.push(s.substring(i, i + n));
      }
      return out;
    }
    const chars = [...s];
    for (let n = this.minN; n <= Math.min(this.maxN, chars.length); n++) {
      for (let i = 0; i + n <= chars.length; i++) out.push(chars.slice(i, i + n).join(""));
    }
    return out;
  }

  // ASCII n-grams of length <= 3 are looked up by number in a flat table instead of hashing strings: fitting
  // MELO's corpus touches about three million n-grams. Other n-grams go through the string map.
  private asciiIds = new Int32Array(0);

  private termId(g: string, grow: boolean): number {
    let key = -1;
    if (g.length <= 3) {
      key = 0;
      for (let i = 0; i < g.length; i++) {
        const c = g.charCodeAt(i);
        if (c >= 128) {
          key = -1;
          break;
        }
        key = key * 128 + c;
      }
      if (key >= 0) key += ASCII_OFFSET[g.length];
    }
    if (key >= 0) {
      if (this.asciiIds.length === 0) this.asciiIds = new Int32Array(ASCII_OFFSET[4]).fill(-1);
      const id = this.asciiIds[key];
      if (id >= 0 || !grow) return id;
      const fresh = this.vocab.size;
      this.vocab.set(g, fresh);
      this.asciiIds[key] = fresh;
      return fresh;
    }
    const id = this.vocab.get(g);
    if (id !== undefined || !grow) return id ?? -1;
    const fresh = this.vocab.size;
    this.vocab.set(g, fresh);
    return fresh;
  }

  /** Term ids and counts of one text, sorted by id; unknown n-grams are added when `grow`, else skipped. */
  private counts(text: string, grow: boolean): { ids: Int32Array; tf: Float64Array } {
    const grams = this.ngrams(text.toLowerCase());
    const raw = new Int32Array(grams.length);
    let n = 0;
    for (const g of grams) {
      const id = this.termId(g, grow);
      if (id >= 0) raw[n++] = id;
    }
    const sorted = raw.subarray(0, n).sort();
    const ids = new Int32Array(n);
    const tf = new Float64Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (m > 0 && ids[m - 1] === sorted[i]) tf[m - 1]++;
      else {
        ids[m] = sorted[i];
        tf[m++] = 1;
      }
    }
    return { ids: ids.subarray(0, m), tf: tf.subarray(0, m) };
  }

  fit(corpus: readonly string[]): this {
    const docCounts = corpus.map((t) => this.counts(t, true));
    const V = this.vocab.size;
    const df = new Int32Array(V);
    for (const c of docCounts) for (let i = 0; i < c.ids.length; i++) df[c.ids[i]]++;
    this.nDocs = corpus.length;
    this.idf = new Float64Array(V);
    for (let t = 0; t < V; t++) this.idf[t] = Math.log((1 + this.nDocs) / (1 + df[t])) + 1;
    this.start = new Int32Array(V + 1);
    for (let t = 0; t < V; t++) this.start[t + 1] = this.start[t] + df[t];
    const fill = this.start.slice(0, V);
    this.docs = new Int32Array(this.start[V]);
    this.weights = new Float64Array(this.start[V]);
    docCounts.forEach((c, d) => {
      this.weigh(c);
      for (let i = 0; i < c.ids.length; i++) {
        const p = fill[c.ids[i]]++;
        this.docs[p] = d;
        this.weights[p] = c.tf[i];
      }
    });
    return this;
  }

  /** tf -> tf * idf, L2-normalized, in place. */
  private weigh(c: { ids: Int32Array; tf: Float64Array }): void {
    let norm = 0;
    for (let i = 0; i < c.ids.length; i++) {
      c.tf[i] *= this.idf[c.ids[i]];
      norm += c.tf[i] * c.tf[i];
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < c.ids.length; i++) c.tf[i] /= norm;
  }

  get vocabularySize(): number {
    return this.vocab.size;
  }

  /** The L2-normalized TF-IDF vector of a text over the fitted vocabulary, as sorted term ids and weights. */
  transform(text: string): { ids: Int32Array; weights: Float64Array } {
    const c = this.counts(text, false);
    this.weigh(c);
    return { ids: c.ids, weights: c.tf };
  }

  /** Cosine similarity of the query to every fitted document, written into `out` (length = corpus size). */
  scoreAll(query: string, out: Float64Array = new Float64Array(this.nDocs)): Float64Array {
    out.fill(0);
    const q = this.counts(query, false);
    this.weigh(q);
    const { start, docs, weights } = this;
    for (let i = 0; i < q.ids.length; i++) {
      const id = q.ids[i];
      const qw = q.tf[i];
      for (let p = start[id], e = start[id + 1]; p < e; p++) out[docs[p]] += qw * weights[p];
    }
    return out;
  }
}
