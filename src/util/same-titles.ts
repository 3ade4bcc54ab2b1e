// A batch's last answers are kept for the next call on the same titles (a command asks for a chunk's labels, then its
// table): this says whether a batch is that one.

/** The same titles in the same order (each category type filters the batch into a new array of the same titles). */
export function sameTitles(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
