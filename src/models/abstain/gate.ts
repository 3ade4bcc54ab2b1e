// When a title cannot be classified at all, whatever a model's scores say. The labelled titles are English, so a
// title in another script, or one none of whose words any training title uses ("Have!", "10/6;", "asdfgh"), has no
// evidence behind any class: a model would still rank the classes (its scores never sum to nothing), and on such
// input its confidence is noise. Calibration fitted on dev cannot catch this, since dev holds only real titles.
import { words } from "../../text/normalize";

/** Words too common in titles to show that a title is about a job ("the", "of", "and", ...). */
const STOPWORDS = new Set(["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with", "my", "i", "me", "we", "you", "is", "be", "have", "has", "not", "no", "n", "na", "none"]);

export interface GateOptions {
  /** Least share of a title's letters that must be Latin (default 0.5). */
  minLatinShare?: number;
  /** Least share of an unseen word's letter trigrams that training words must contain (default 0.7). */
  minTrigramShare?: number;
}

export class TitleGate {
  private readonly vocabulary = new Set<string>();
  private readonly trigrams = new Set<string>();
  readonly minLatinShare: number;
  readonly minTrigramShare: number;

  /** The vocabulary is every word of the labelled training titles. */
  constructor(trainingTitles: Iterable<string>, opts: GateOptions = {}) {
    for (const t of trainingTitles) for (const w of words(t)) if (isContentWord(w)) this.vocabulary.add(w);
    for (const w of this.vocabulary) for (const g of trigramsOf(w)) this.trigrams.add(g);
    this.minLatinShare = opts.minLatinShare ?? 0.5;
    this.minTrigramShare = opts.minTrigramShare ?? 0.7;
  }

  /**
   * A word the training titles use, or one that looks like one: most of its letter trigrams occur in their words.
   * That lets typos and unseen forms through ("sofware", "enginer") and stops keyboard mashing ("asdfgh").
   */
  recognizes(word: string): boolean {
    if (this.vocabulary.has(word)) return true;
    const gs = trigramsOf(word);
    if (word.length < 3) return false;
    return gs.filter((g) => this.trigrams.has(g)).length / gs.length >= this.minTrigramShare;
  }

  get size(): number {
    return this.vocabulary.size;
  }

  /** Null when the title can be classified, else the reason it cannot (shown to the user beside "Other"). */
  check(title: string): string | null {
    const letters = [...title].filter((ch) => /\p{L}/u.test(ch));
    if (letters.length === 0) return "no letters";
    const latin = letters.filter((ch) => /\p{Script=Latin}/u.test(ch)).length;
    if (latin / letters.length < this.minLatinShare) return "not in Latin script (the labelled titles are English)";
    const content = words(title).filter(isContentWord);
    if (!content.some((w) => this.recognizes(w))) return "no word like those of the labelled titles";
    return null;
  }
}

/** A word that can carry meaning: two or more characters, not only digits, not a stopword. */
function isContentWord(w: string): boolean {
  return w.length >= 2 && !/^\d+$/.test(w) && !STOPWORDS.has(w);
}

/** Letter trigrams of a word with "<" and ">" marking its ends, as fastText's character n-grams have them. */
function trigramsOf(w: string): string[] {
  const s = `<${w}>`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= s.length; i++) out.push(s.slice(i, i + 3));
  return out;
}
