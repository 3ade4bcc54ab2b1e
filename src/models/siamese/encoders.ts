// Title → integer ids for the Siamese towers: characters (the char-CNN), words (the talk's 1,000-word model), or
// both in one row ([characters | words]) for the word-aware tower.
import { CharEncoder } from "../../text/chars";
import { normalizeTitle } from "../../text/normalize";

export interface TitleEncoder {
  kind: "char" | "word" | "both";
  vocabularySize: number;
  maxLength: number;
  /** Row-major [titles × maxLength] ids, 0 = padding. */
  encodeBatch(titles: readonly string[]): Int32Array;
  toJSON(): Record<string, unknown>;
}

export class CharTitleEncoder implements TitleEncoder {
  readonly kind = "char" as const;
  private readonly enc: CharEncoder;
  constructor(config: { alphabet?: string; maxLength?: number } = {}) {
    this.enc = new CharEncoder(config);
  }
  get vocabularySize(): number {
    return this.enc.vocabularySize;
  }
  get maxLength(): number {
    return this.enc.maxLength;
  }
  encodeBatch(titles: readonly string[]): Int32Array {
    return this.enc.encodeBatch(titles);
  }
  toJSON(): Record<string, unknown> {
    return { kind: "char", ...this.enc.toJSON() };
  }
}

/**
 * The talk's word model: the most frequent words of the training titles, 0 for padding; unknown words are skipped.
 * With `spelling` on (the word-aware tower; the talk's model keeps it off), an unknown word of SPELLING_MIN_LENGTH or
 * more letters is read as the vocabulary word one edit away (a letter dropped, added, changed, or two swapped), the
 * most frequent such word: "Bartendar" is a bartender to the word branch too, not an empty title.
 */
export class WordTitleEncoder implements TitleEncoder {
  readonly kind = "word" as const;
  private readonly index: Map<string, number>;
  private deletes: Map<string, number> | null = null;
  constructor(readonly words: string[], readonly maxLength = 7, readonly spelling = false) {
    this.index = new Map(words.map((w, i) => [w, i + 1]));
  }
  static fromTitles(titles: Iterable<string>, size = 1000, maxLength = 7): WordTitleEncoder {
    const counts = new Map<string, number>();
    for (const t of titles) for (const w of normalizeTitle(t).words) counts.set(w, (counts.get(w) ?? 0) + 1);
    const words = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, size)
      .map(([w]) => w);
    return new WordTitleEncoder(words, maxLength);
  }
  get vocabularySize(): number {
    return this.words.length + 1;
  }
  encodeBatch(titles: readonly string[]): Int32Array {
    const out = new Int32Array(titles.length * this.maxLength);
    titles.forEach((t, i) => {
      let k = 0;
      for (const w of normalizeTitle(t).words) {
        const id = this.index.get(w) ?? (this.spelling ? this.corrected(w) : undefined);
        if (id === undefined) continue;
        if (k >= this.maxLength) break;
        out[i * this.maxLength + k++] = id;
      }
    });
    return out;
  }
  /**
   * The id of the vocabulary word one edit from `w` (symmetric deletes, as SymSpell does: two words are one edit
   * apart when deleting at most one letter from each makes them equal), the most frequent (lowest id) such word.
   */
  private corrected(w: string): number | undefined {
    if (w.length < SPELLING_MIN_LENGTH || !/^[a-z]+$/.test(w)) return undefined;
    if (!this.deletes) {
      this.deletes = new Map();
      for (const [word, id] of this.index) {
        if (word.length < SPELLING_MIN_LENGTH - 1 || !/^[a-z]+$/.test(word)) continue;
        for (const v of [word, ...oneDeleted(word)]) if (!this.deletes.has(v) || this.deletes.get(v)! > id) this.deletes.set(v, id);
      }
    }
    let best: number | undefined;
    for (const v of [w, ...oneDeleted(w)]) {
      const id = this.deletes.get(v);
      if (id !== undefined && (best === undefined || id < best)) best = id;
    }
    return best;
  }
  toJSON(): Record<string, unknown> {
    return { kind: "word", maxLength: this.maxLength, words: this.words, ...(this.spelling ? { spelling: true } : {}) };
  }
}

/** Unknown words shorter than this are never corrected (too many short words are one edit apart). */
export const SPELLING_MIN_LENGTH = 5;

function oneDeleted(w: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
  return out;
}

/** Characters then words in one row: the word-aware tower splits them again (model.ts SliceColumns). */
export class CharWordTitleEncoder implements TitleEncoder {
  readonly kind = "both" as const;
  constructor(readonly chars: CharTitleEncoder, readonly words: WordTitleEncoder) {}
  /** The character vocabulary: the word branch's is `words.vocabularySize`. */
  get vocabularySize(): number {
    return this.chars.vocabularySize;
  }
  get maxLength(): number {
    return this.chars.maxLength + this.words.maxLength;
  }
  encodeBatch(titles: readonly string[]): Int32Array {
    const c = this.chars.encodeBatch(titles);
    const w = this.words.encodeBatch(titles);
    const [lc, lw, L] = [this.chars.maxLength, this.words.maxLength, this.maxLength];
    const out = new Int32Array(titles.length * L);
    for (let i = 0; i < titles.length; i++) {
      out.set(c.subarray(i * lc, i * lc + lc), i * L);
      out.set(w.subarray(i * lw, i * lw + lw), i * L + lc);
    }
    return out;
  }
  toJSON(): Record<string, unknown> {
    return { kind: "both", chars: this.chars.toJSON(), words: this.words.toJSON() };
  }
}

export function encoderFromJSON(j: Record<string, unknown>): TitleEncoder {
  if (j.kind === "char") return new CharTitleEncoder({ alphabet: j.alphabet as string, maxLength: j.maxLength as number });
  if (j.kind === "word") return new WordTitleEncoder(j.words as string[], j.maxLength as number, j.spelling === true);
  if (j.kind === "both") {
    return new CharWordTitleEncoder(encoderFromJSON(j.chars as Record<string, unknown>) as CharTitleEncoder, encoderFromJSON(j.words as Record<string, unknown>) as WordTitleEncoder);
  }
  throw new Error(`unknown title encoder kind ${JSON.stringify(j.kind)}`);
}
