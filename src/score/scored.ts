// The score table of distinct titles in typed arrays: per title, each category type's label (an index into its
// classes, Other included) and score, and one score per class (NaN where the method gives none, e.g. rules). The
// types are the three built-in ones, then those of --taxonomy files. Typed arrays travel between worker threads
// without copying and hold a million titles in a few hundred MB.
import { CATEGORY_TYPES, CategoryType, OTHER, ScoreTable } from "../core/types";
import type { Served } from "../experiments/served";
import type { CustomTypeClassifier, ExampleSet } from "../models/representatives/custom-type";
import { classesOf } from "../taxonomy/classes";

export interface ScoreLayout {
  /** The category types, built-in first: their names are the output's label columns. */
  types: string[];
  /** Per category type, the labels a row can get: its classes, then Other. */
  labels: Record<string, string[]>;
  /** The per-class score columns, in each type's class order (Other has none). */
  columns: { type: string; label: string }[];
}

export function scoreLayout(custom: readonly ExampleSet[] = []): ScoreLayout {
  const labels: Record<string, string[]> = {};
  for (const type of CATEGORY_TYPES) labels[type] = [...classesOf(type).filter((c) => c !== OTHER), OTHER];
  for (const set of custom) labels[set.name] = [...[...set.classes.keys()].filter((c) => c !== OTHER), OTHER];
  const types = [...CATEGORY_TYPES, ...custom.map((s) => s.name)];
  const columns = types.flatMap((type) => labels[type].filter((c) => c !== OTHER).map((label) => ({ type, label })));
  return { types, labels, columns };
}

export interface ScoredTitles {
  n: number;
  /** n × types: the label's index in layout.labels[type], types in layout.types order. */
  labels: Int16Array;
  /** n × types: the label's score. */
  scores: Float32Array;
  /** n × layout.columns.length. */
  classScores: Float32Array;
}

export function emptyScored(n: number, layout: ScoreLayout): ScoredTitles {
  const T = layout.types.length;
  return { n, labels: new Int16Array(n * T), scores: new Float32Array(n * T), classScores: new Float32Array(n * layout.columns.length) };
}

/** Copies `part` into `into` from title `at` on. */
export function placeScored(into: ScoredTitles, part: ScoredTitles, at: number): void {
  const T = part.n ? part.labels.length / part.n : 0;
  into.labels.set(part.labels, at * T);
  into.scores.set(part.scores, at * T);
  const columns = part.n ? part.classScores.length / part.n : 0;
  into.classScores.set(part.classScores, at * columns);
}

/** Scores non-empty titles with one served predictor and table per built-in category type, then the custom types. */
export async function scoreTitles(
  served: Record<CategoryType, Pick<Served, "predictor" | "table">>,
  titles: readonly string[],
  layout: ScoreLayout,
  custom: readonly CustomTypeClassifier[] = [],
): Promise<ScoredTitles> {
  const out = emptyScored(titles.length, layout);
  if (titles.length === 0) return out;
  const C = layout.columns.length;
  const T = layout.types.length;
  out.classScores.fill(NaN);
  const place = (t: number, type: string, answers: { label: string; score: number }[], table: ScoreTable | null): void => {
    const names = layout.labels[type];
    answers.forEach((p, i) => {
      const k = names.indexOf(p.label);
      if (k < 0) throw new Error(`the ${type} predictor answered ${JSON.stringify(p.label)}, which is not a ${type} class (${names.join(", ")})`);
      out.labels[i * T + t] = k;
      out.scores[i * T + t] = p.score;
    });
    if (!table) return;
    layout.columns.forEach((col, j) => {
      if (col.type !== type) return;
      const k = table.classes.indexOf(col.label);
      if (k < 0) return;
      for (let i = 0; i < titles.length; i++) out.classScores[i * C + j] = table.scores[i * table.classes.length + k];
    });
  };
  for (const [t, type] of CATEGORY_TYPES.entries()) place(t, type, await served[type].predictor.predict(titles, type), await served[type].table(titles, type));
  for (const [k, c] of custom.entries()) place(CATEGORY_TYPES.length + k, c.set.name, await c.classify(titles), await c.scoreTable(titles));
  return out;
}
