// Tokens for the bag-of-words methods (LDA, word2vec, Doc2Vec): core words without stop words, then di-grams
// of adjacent kept words joined by "_" ("Account Manager" -> account, manager, account_manager).
import { normalizeTitle } from "./normalize";

export const STOP_WORDS: ReadonlySet<string> = new Set([
  "a", "an", "and", "the", "of", "to", "for", "in", "at", "on", "with", "by", "from", "or", "as",
]);

export interface TokenizeOptions {
  digrams?: boolean;
  /** Keep seniority markers as tokens such as "senior" (off: the talk keeps them as a separate signal). */
  seniorityTokens?: boolean;
}

export function unigrams(title: string, opts: TokenizeOptions = {}): string[] {
  const n = normalizeTitle(title);
  const base = opts.seniorityTokens ? n.words : n.core;
  return base.filter((w) => !STOP_WORDS.has(w));
}

export function tokenize(title: string, opts: TokenizeOptions = {}): string[] {
  const uni = unigrams(title, opts);
  if (opts.digrams === false) return uni;
  const out = uni.slice();
  for (let i = 0; i + 1 < uni.length; i++) out.push(`${uni[i]}_${uni[i + 1]}`);
  return out;
}

/** A skill or software name as one token ("Microsoft Excel" -> "microsoft_excel"). */
export function phraseToken(phrase: string): string {
  return normalizeTitle(phrase).words.join("_");
}
