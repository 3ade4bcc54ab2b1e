// Distinct titles in order of first appearance: a score table of millions of rows where most titles repeat is scored
// once per distinct title, and memory grows with the distinct titles, not with the rows.
import { titleKey } from "./title-key";

export class DistinctTitles {
  private readonly index = new Map<string, number>();
  /** Keys in order of first appearance; a key's position is its index. */
  readonly keys: string[] = [];
  /** Rows per key (how often add() met it). */
  readonly counts: number[] = [];

  /** The index of the title's key (a new one when first seen); -1 for an empty or blank title (nothing to score). */
  add(title: string): number {
    return this.addKey(titleKey(title));
  }

  /** add() for a title already turned into its key. */
  addKey(key: string): number {
    if (key === "") return -1;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.keys.length;
      this.index.set(key, i);
      this.keys.push(key);
      this.counts.push(0);
    }
    this.counts[i]++;
    return i;
  }

  /** The index of a title seen before (-1 for a blank one); an unseen title is a programming error. */
  indexOf(title: string): number {
    const key = titleKey(title);
    if (key === "") return -1;
    const i = this.index.get(key);
    if (i === undefined) throw new Error(`title ${JSON.stringify(title)} was not in the first pass`);
    return i;
  }

  get size(): number {
    return this.keys.length;
  }
}
