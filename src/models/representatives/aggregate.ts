// The talk's class score from a title's similarities to one class's examples (a span of a row): max, mean or the mean
// of the top k, each similarity counted times its example's weight when weights are given. Pure, with no imports, so
// that the in-process classifier and the browser-bundled export classifier (src/export/classifier.ts) score alike.

export type Aggregate = "max" | "mean" | "topk";

export function aggregateSpan(row: Float32Array, [s, e]: readonly [number, number], aggregate: Aggregate, k: number, weights: Float32Array | null = null): number {
  if (aggregate === "max") {
    let m = -Infinity;
    for (let j = s; j < e; j++) {
      const x = weights ? weights[j] * row[j] : row[j];
      if (x > m) m = x;
    }
    return m;
  }
  if (aggregate === "mean") {
    let sum = 0;
    let total = 0;
    for (let j = s; j < e; j++) {
      sum += (weights ? weights[j] : 1) * row[j];
      total += weights ? weights[j] : 1;
    }
    return sum / total;
  }
  const top = Array.from(row.subarray(s, e), (x, j) => (weights ? weights[s + j] * x : x)).sort((a, b) => b - a).slice(0, k);
  return top.reduce((a, b) => a + b, 0) / top.length;
}
