// The npm `lda` package (0.2.0), wrapped for a side-by-side with our sampler in notebooks and `jtlab bench lda`.
//
// Why it is not our main implementation:
// - it always runs 10,000 Gibbs sweeps (2,000 burn-in, phi/theta averaged every 10th), with no option to change
//   them, on nested JavaScript arrays that allocate per token: minutes on a few thousand profiles;
// - it returns only each topic's top terms, never the document-topic mixes a classifier needs, and cannot fold
//   in new documents;
// - it rewrites the words: lower-cases, strips every character outside [a-z0-9'À-ÿ] (so "account_manager"
//   becomes "accountmanager"), Porter-stems, and drops English stop words and one-letter words.
// Its seeded generator is sin(seed++), fine for reproducibility, not for statistics.
import * as path from "path";

export interface NpmLdaTerm {
  term: string;
  probability: number;
}

type NpmLda = (
  sentences: string[],
  topics: number,
  termsPerTopic: number,
  languages?: string[],
  alpha?: number,
  beta?: number,
  seed?: number,
) => NpmLdaTerm[][];

/** The package's fixed schedule, for timing it: token samples = tokens × SWEEPS. */
export const NPM_LDA_SWEEPS = 10000;

export interface NpmLdaOptions {
  topics: number;
  /** Terms listed per topic (it omits terms under 2% probability). Default 10. */
  terms?: number;
  alpha?: number;
  beta?: number;
  /** Non-zero: reproducible runs (0 would make it use Math.random). Default 1. */
  seed?: number;
}

export interface NpmLdaResult {
  topics: NpmLdaTerm[][];
  /** Tokens it sampled, after its own filtering (see npmLdaTokenCount). */
  tokens: number;
  seconds: number;
  tokenSamplesPerSecond: number;
}

function load<T>(id: string): T {
  return require(id) as T;
}

/**
 * Runs the npm package on tokenized documents, each passed as one space-joined sentence. Slow: keep the corpus
 * to a few hundred documents.
 */
export function runNpmLda(docs: readonly (readonly string[])[], opts: NpmLdaOptions): NpmLdaResult {
  if (!(Number.isInteger(opts.topics) && opts.topics >= 1)) throw new Error(`runNpmLda: topics must be an integer >= 1, got ${opts.topics}`);
  const sentences = docs.map((d) => d.join(" "));
  const tokens = npmLdaTokenCount(sentences);
  if (tokens === 0) throw new Error("runNpmLda: no token survives the npm package's filtering");
  // Not require("lda"): inside a notebook, tslab first looks for a compiled local module of that name next to this
  // file, and finds our own lda.ts.
  const lda = load<NpmLda>("lda/lib/lda");
  const t0 = performance.now();
  const topics = lda(sentences, opts.topics, opts.terms ?? 10, ["en"], opts.alpha ?? 0.1, opts.beta ?? 0.01, opts.seed ?? 1);
  const seconds = (performance.now() - t0) / 1000;
  return { topics, tokens, seconds, tokenSamplesPerSecond: (tokens * NPM_LDA_SWEEPS) / seconds };
}

/** Topic k as the talk's slide prints topics (`0.066*"term" + ...`), for comparison with LdaModel.formatTopic. */
export function formatNpmTopic(terms: readonly NpmLdaTerm[]): string {
  return terms.map((t) => `${t.probability.toFixed(3)}*"${t.term}"`).join(" + ");
}

/**
 * How many tokens the package samples for these sentences: its own splitting and filtering rules, replayed with
 * its own stemmer and stop-word list, since it reports nothing about its corpus.
 */
export function npmLdaTokenCount(sentences: readonly string[]): number {
  const dir = path.dirname(require.resolve("lda"));
  const stem = load<(w: string) => string>(require.resolve("stem-porter", { paths: [dir] }));
  const stop = new Set(load<{ stop_words: string[] }>(path.join(dir, "stopwords_en.js")).stop_words);
  let n = 0;
  for (const s of sentences) {
    if (s === "") continue;
    for (const raw of s.split(/[\s,"]+/)) {
      const w = raw.toLowerCase().replace(/[^a-z'A-Z0-9\u00C0-\u00ff ]+/g, "");
      const st = stem(w);
      if (w === "" || !st || w.length === 1 || stop.has(w.replace("'", "")) || stop.has(st) || w.indexOf("http") === 0) continue;
      n++;
    }
  }
  return n;
}
