// "Did you mean": the closest known name to a typo, for unknown commands, subcommands and options.

/**
 * Damerau–Levenshtein distance (optimal string alignment): insertions, deletions, substitutions and swaps of two
 * neighbouring characters each cost 1, so "clasify" → "classify" and "lsit" → "list" are both 1 away.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Beyond this distance a "suggestion" is a guess that misleads more often than it helps. */
export const MAX_SUGGEST_DISTANCE = 2;

/** A short word two edits away from a name is as close to many others ("re" → "run"): one edit per three letters. */
function allowedDistance(typo: string): number {
  return Math.max(1, Math.min(MAX_SUGGEST_DISTANCE, Math.floor(typo.length / 3)));
}

/**
 * The known name a typo most likely meant: the nearest within MAX_SUGGEST_DISTANCE edits (fewer for short words;
 * case ignored), else the only
 * name the typo is a prefix of ("comp" → "compare"), else null. Ties go to the earlier name in `known`.
 */
export function suggest(typo: string, known: readonly string[]): string | null {
  const t = typo.toLowerCase();
  let best: string | null = null;
  let bestDistance = allowedDistance(t) + 1;
  for (const k of known) {
    const d = editDistance(t, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  if (best !== null) return best;
  const prefixed = t.length >= 2 ? known.filter((k) => k.toLowerCase().startsWith(t)) : [];
  return prefixed.length === 1 ? prefixed[0] : null;
}

/** `; did you mean "x"?` when there is a likely name, else "" (quote: how the name is written, e.g. "--json"). */
export function didYouMean(typo: string, known: readonly string[], quote = (s: string): string => JSON.stringify(s)): string {
  const s = suggest(typo, known);
  return s === null ? "" : `; did you mean ${quote(s)}?`;
}
