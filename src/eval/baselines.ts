// The trivial baselines every results table shows beside the methods, computed on the same split by the same suite:
// always answering the training split's biggest class (majority), and drawing a class at random in proportion to the
// training split's class shares (stratified random, seeded: the same title always draws the same class). A method
// that does not beat the majority baseline has learned nothing a count would not tell.
import { CategoryType, Labelled, Predictor } from "../core/types";
import { Datasets } from "../datasets/build";
import { LabelledTitle } from "../datasets/labelled";
import { hashUnit } from "../util/random";

export type BaselineKind = "majority" | "stratified";
export const BASELINES: readonly BaselineKind[] = ["majority", "stratified"];

/** Class counts of a category type on the training titles; Level has no labelled training titles, so its gold half. */
export function classShares(d: Datasets, type: CategoryType): [string, number][] {
  const counts = new Map<string, number>();
  const add = (label: string | null): void => {
    if (label) counts.set(label, (counts.get(label) ?? 0) + 1);
  };
  if (type === "level") for (const g of d.levelDev) add(g.level);
  else for (const t of d.train as LabelledTitle[]) add(t[type]);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  // Biggest first, then by name, so that the majority class never depends on insertion order.
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c, n]) => [c, n / total]);
}

/** A baseline as a method of the shared suite. `seed` makes the stratified draw repeatable. */
export function baselinePredictor(kind: BaselineKind, d: Datasets, seed = 20170901): Predictor {
  const shares = { role: classShares(d, "role"), industry: classShares(d, "industry"), level: classShares(d, "level") };
  return {
    name: kind === "majority" ? "baseline: majority class" : "baseline: stratified random",
    predict(titles, type): Labelled[] {
      const s = shares[type];
      if (kind === "majority") return titles.map(() => ({ label: s[0][0], score: s[0][1] }));
      return titles.map((t) => {
        // A hash of the title, not a generator's next draw: the same title draws the same class in any batch.
        let u = hashUnit(`${type}\u0000${t}`, seed);
        for (const [c, p] of s) {
          if (u < p) return { label: c, score: p };
          u -= p;
        }
        return { label: s[s.length - 1][0], score: s[s.length - 1][1] };
      });
    },
  };
}
