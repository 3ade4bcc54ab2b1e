// The score table of distinct titles in typed arrays: per title, each category type's label (an index into its
// classes, Other included) and score, and one score per class (NaN where the method gives none, e.g. rules). Typed
// arrays travel between worker threads without copying and hold a million titles in a few hundred MB.
import { CATEGORY_TYPES, CategoryType, OTHER, ScoreTable } from "../core/types";
import type { Served } from "../experiments/served";
import { classesOf } from "../taxonomy/classes";

export interface ScoreLayout {
  /** Per category type, the labels a row can get: its classes, then Other. */
  labels: Record<CategoryType, string[]>;
  /** The per-class score columns, in the taxonomy's order (Other has none). */
  columns: { type: CategoryType; label: string }[];
}

export function scoreLayout(): ScoreLayout {
  const labels = {} as Record<CategoryType, string[]>;
  for (const type of CATEGORY_TYPES) labels[type] = [...classesOf(type).filter((c) => c !== OTHER), OTHER];
  const columns = CATEGORY_TYPES.flatMap((type) => labels[type].filter((c) => c !== OTHER).map((label) => ({ type, label })));
  return { labels, columns };
}

export interface ScoredTitles {
  n: number;
  /** n × 3: the label's index in layout.labels[type], types in CATEGORY_TYPES order. */
  labels: Int16Array;
  /** n × 3: the label's score. */
  scores: Float32Array;
  /** n × layout.columns.length. */
  classScores: Float32Array;
}

export function emptyScored(n: number, layout: ScoreLayout): ScoredTitles {
  return { n, labels: new Int16Array(n * 3), scores: new Float32Array(n * 3), classScores: new Float32Array(n * layout.columns.length) };
}

/** Copies `part` into `into` from title `at` on. */
export function placeScored(into: ScoredTitles, part: ScoredTitles, at: number): void {
  into.labels.set(part.labels, at * 3);
  into.scores.set(part.scores, at * 3);
  const columns = part.n ? part.classScores.length / part.n : 0;
  into.classScores.set(part.classScores, at * columns);
}

/** Scores non-empty titles with one served predictor and table per category type. */
export async function scoreTitles(served: Record<CategoryType, Pick<Served, "predictor" | "table">>, titles: readonly string[], layout: ScoreLayout): Promise<ScoredTitles> {
  const out = emptyScored(titles.length, layout);
  if (titles.length === 0) return out;
  const C = layout.columns.length;
  out.classScores.fill(NaN);
  for (const [t, type] of CATEGORY_TYPES.entries()) {
    const preds = await served[type].predictor.predict(titles, type);
    const names = layout.labels[type];
    preds.forEach((p, i) => {
      const k = names.indexOf(p.label);
      if (k < 0) throw new Error(`the ${type} predictor answered ${JSON.stringify(p.label)}, which is not a ${type} class (${names.join(", ")})`);
      out.labels[i * 3 + t] = k;
      out.scores[i * 3 + t] = p.score;
    });
    const table: ScoreTable | null = await served[type].table(titles, type);
    if (!table) continue;
    layout.columns.forEach((col, j) => {
      if (col.type !== type) return;
      const k = table.classes.indexOf(col.label);
      if (k < 0) return;
      for (let i = 0; i < titles.length; i++) out.classScores[i * C + j] = table.scores[i * table.classes.length + k];
    });
  }
  return out;
}
