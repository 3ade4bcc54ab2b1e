// Title → integer ids for the Siamese towers: characters (the char-CNN) or words (the talk's 1,000-word model).
import { CharEncoder } from "../../text/chars";
import { normalizeTitle } from "../../text/normalize";

export interface TitleEncoder {
  kind: "char" | "word";
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

/** The talk's word model: the most frequent words of the training titles, 0 for padding; unknown words are skipped. */
export class WordTitleEncoder implements TitleEncoder {
  readonly kind = "word" as const;
  private readonly index: Map<string, number>;
  constructor(readonly words: string[], readonly maxLength = 7) {
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
        const id = this.index.get(w);
        if (id === undefined) continue;
        if (k >= this.maxLength) break;
        out[i * this.maxLength + k++] = id;
      }
    });
    return out;
  }
  toJSON(): Record<string, unknown> {
    return { kind: "word", maxLength: this.maxLength, words: this.words };
  }
}

export function encoderFromJSON(j: Record<string, unknown>): TitleEncoder {
  if (j.kind === "char") return new CharTitleEncoder({ alphabet: j.alphabet as string, maxLength: j.maxLength as number });
  if (j.kind === "word") return new WordTitleEncoder(j.words as string[], j.maxLength as number);
  throw new Error(`unknown title encoder kind ${JSON.stringify(j.kind)}`);
}
