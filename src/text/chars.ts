// Character encoding for the char-level CNN: a fixed alphabet, 0 for padding, 1 for any unknown symbol, and a
// maximum length (longer titles are cut, shorter ones padded at the end).
import { foldText } from "./normalize";

export const PAD = 0;
export const UNKNOWN = 1;
export const DEFAULT_ALPHABET = " abcdefghijklmnopqrstuvwxyz0123456789&/-.,+#'()";
export const DEFAULT_MAX_LENGTH = 32;

export interface CharEncoderConfig {
  alphabet: string;
  maxLength: number;
}

export class CharEncoder {
  readonly alphabet: string;
  readonly maxLength: number;
  private readonly index = new Map<string, number>();

  constructor(config: Partial<CharEncoderConfig> = {}) {
    this.alphabet = config.alphabet ?? DEFAULT_ALPHABET;
    this.maxLength = config.maxLength ?? DEFAULT_MAX_LENGTH;
    if (this.maxLength < 1) throw new Error(`CharEncoder: maxLength must be at least 1, got ${this.maxLength}`);
    [...this.alphabet].forEach((ch, i) => {
      if (this.index.has(ch)) throw new Error(`CharEncoder: alphabet repeats ${JSON.stringify(ch)}`);
      this.index.set(ch, i + 2);
    });
  }

  /** Vocabulary size including padding and unknown. */
  get vocabularySize(): number {
    return this.alphabet.length + 2;
  }

  /** The text the model sees: folded, lower-case, whitespace collapsed. */
  prepare(title: string): string {
    return foldText(title).replace(/\s+/g, " ").trim();
  }

  encodeInto(title: string, out: Int32Array, offset = 0): void {
    const s = [...this.prepare(title)];
    const n = Math.min(s.length, this.maxLength);
    for (let i = 0; i < n; i++) out[offset + i] = this.index.get(s[i]) ?? UNKNOWN;
    for (let i = n; i < this.maxLength; i++) out[offset + i] = PAD;
  }

  encode(title: string): Int32Array {
    const out = new Int32Array(this.maxLength);
    this.encodeInto(title, out);
    return out;
  }

  encodeBatch(titles: readonly string[]): Int32Array {
    const out = new Int32Array(titles.length * this.maxLength);
    titles.forEach((t, i) => this.encodeInto(t, out, i * this.maxLength));
    return out;
  }

  toJSON(): CharEncoderConfig {
    return { alphabet: this.alphabet, maxLength: this.maxLength };
  }
}
