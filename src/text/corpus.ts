// Corpus preparation shared by the bag-of-words methods.

/**
 * Drops tokens that occur in more than `maxDocShare` of the documents: on profiles, the office software everyone
 * lists (microsoft_word, microsoft_excel) would otherwise sit at the top of every topic and say nothing about it.
 */
export function pruneCommonTokens(docs: readonly (readonly string[])[], maxDocShare: number): { docs: string[][]; removed: { token: string; share: number }[] } {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const limit = maxDocShare * docs.length;
  const removed = [...df.entries()].filter(([, n]) => n > limit).sort((a, b) => b[1] - a[1]);
  const drop = new Set(removed.map(([t]) => t));
  return { docs: docs.map((d) => d.filter((t) => !drop.has(t))), removed: removed.map(([token, n]) => ({ token, share: n / docs.length })) };
}
