// What a fix moved: the dev titles whose label changed, and the dev figures before and after, so that a fix that
// mends one title never silently breaks others. The figures are those the registry records (classificationReport).
import { CategoryType, SimilarityModel } from "../core/types";
import { CustomAnswer, CustomTypeClassifier, ExampleSet } from "../models/representatives/custom-type";
import type { Datasets } from "../datasets/build";
import { classificationReport } from "../eval/classification";

export interface Moved {
  title: string;
  before: string;
  after: string;
  /** The title's gold label, or null when the set has none for it. */
  gold: string | null;
}

export interface Figures {
  accuracy: number;
  macroF1: number;
}

export interface FixEffect {
  /** Titles compared, and how many of them have a gold label. */
  titles: number;
  labelled: number;
  /** Now wrong first (what the fix broke), then now right, then the rest; each in the set's order. */
  moved: Moved[];
  broken: number;
  mended: number;
  before: Figures | null;
  after: Figures | null;
}

const figures = (gold: string[], pred: string[]): Figures => {
  const r = classificationReport(gold, pred);
  return { accuracy: r.accuracy, macroF1: r.macroF1 };
};

export function fixEffect(titles: readonly string[], before: readonly string[], after: readonly string[], gold: readonly (string | null)[] | null): FixEffect {
  if (before.length !== titles.length || after.length !== titles.length || (gold && gold.length !== titles.length)) throw new Error("fixEffect: titles, answers and gold differ in length");
  const moved: Moved[] = [];
  titles.forEach((title, i) => {
    if (before[i] !== after[i]) moved.push({ title, before: before[i], after: after[i], gold: gold?.[i] ?? null });
  });
  const rank = (m: Moved): number => (m.gold === null ? 2 : m.before === m.gold ? 0 : m.after === m.gold ? 1 : 2);
  const ordered = moved.map((m, i) => ({ m, i })).sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i).map((x) => x.m);
  const idx = gold ? titles.map((_, i) => i).filter((i) => gold[i] !== null) : [];
  const g = idx.map((i) => gold![i]!);
  return {
    titles: titles.length,
    labelled: idx.length,
    moved: ordered,
    broken: moved.filter((m) => m.gold !== null && m.before === m.gold).length,
    mended: moved.filter((m) => m.gold !== null && m.after === m.gold).length,
    before: idx.length ? figures(g, idx.map((i) => before[i])) : null,
    after: idx.length ? figures(g, idx.map((i) => after[i])) : null,
  };
}

/** A built-in type's dev titles and gold, as the evaluation suite scores dev (role: titles with a role; level: the Level gold's dev half). */
export function devSet(d: Datasets, type: CategoryType): { titles: string[]; gold: string[] } {
  if (type === "level") return { titles: d.levelDev.map((g) => g.title), gold: d.levelDev.map((g) => g.level) };
  const items = d.dev.filter((t) => t.role !== null && (type === "role" || t.industry !== null));
  return { titles: items.map((t) => t.title), gold: items.map((t) => (type === "role" ? t.role! : t.industry!)) };
}

/**
 * A fix to a type of one's own: the dev titles answered under the taxonomy before and after it (same vectors, same
 * threshold), and the answers for `extra` titles (the fixed ones) under both.
 */
export async function customTypeFixEffect(
  model: SimilarityModel,
  before: ExampleSet,
  after: ExampleSet,
  dev: { titles: readonly string[]; gold: readonly (string | null)[] | null },
  opts: { threshold?: number; extra?: readonly string[] } = {},
): Promise<{ effect: FixEffect; extra: { before: CustomAnswer; after: CustomAnswer }[] }> {
  const [b, a] = await Promise.all([CustomTypeClassifier.create(model, before, opts), CustomTypeClassifier.create(model, after, opts)]);
  const titles = [...dev.titles, ...(opts.extra ?? [])];
  const [ab, aa] = [await b.classify(titles), await a.classify(titles)];
  const n = dev.titles.length;
  const effect = fixEffect(dev.titles, ab.slice(0, n).map((x) => x.label), aa.slice(0, n).map((x) => x.label), dev.gold);
  return { effect, extra: ab.slice(n).map((x, i) => ({ before: x, after: aa[n + i] })) };
}
