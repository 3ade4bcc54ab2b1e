// The messy-titles set (data/gold/messy-titles.tsv): titles as people type them — abbreviations, locations, shifts,
// company names, typos, several roles in one — and things that are not titles or not in Latin script, where the
// right answer is Other. The suite reports every method's accuracy on it beside the clean splits.
import { CATEGORY_TYPES, OTHER, Predictor } from "../core/types";
import { MessyTitle } from "../datasets/messy";

/** The hand-made messy titles (data/gold/messy-titles.tsv): accuracy per category type, and Other where expected. */
export interface MessyMetrics {
  n: number;
  role: number;
  industry: number;
  level: number;
  /** Rows expected Other for every type (non-titles, non-Latin scripts): share answered Other for all three. */
  otherWhenExpected: number;
  /** Accuracy on the rows of each kind (abbreviation, typo, ...), all three types pooled. */
  byKind: Record<string, number>;
  /** The first MESSY_FAILURES_KEPT wrong answers (title, type, expected, got); failuresTotal counts them all. */
  failures: { title: string; type: string; expected: string; got: string }[];
  failuresTotal?: number;
}

export const MESSY_FAILURES_KEPT = 25;

/** Kinds whose rows expect Other for every category type. */
export const UNREADABLE_KINDS = new Set(["non-title", "non-english"]);

export async function evaluateMessy(p: Predictor, items: readonly MessyTitle[]): Promise<MessyMetrics> {
  const titles = items.map((x) => x.title);
  const types = CATEGORY_TYPES.filter((t) => !p.types || p.types.includes(t));
  const got: Record<string, string[]> = {};
  for (const type of types) got[type] = (await p.predict(titles, type)).map((l) => l.label);
  const acc = (type: "role" | "industry" | "level"): number => (got[type] ? items.filter((x, i) => got[type][i] === x[type]).length / items.length : 0);
  const unreadable = items.map((x, i) => ({ x, i })).filter(({ x }) => UNREADABLE_KINDS.has(x.kind));
  const otherWhenExpected = unreadable.length ? unreadable.filter(({ i }) => types.every((t) => got[t][i] === OTHER)).length / unreadable.length : 0;
  const byKind: Record<string, number> = {};
  for (const kind of [...new Set(items.map((x) => x.kind))]) {
    const rows = items.map((x, i) => ({ x, i })).filter(({ x }) => x.kind === kind);
    let right = 0;
    for (const { x, i } of rows) for (const t of types) if (got[t][i] === x[t]) right++;
    byKind[kind] = round(right / (rows.length * types.length));
  }
  const failures: MessyMetrics["failures"] = [];
  let failed = 0;
  items.forEach((x, i) => {
    for (const t of types) {
      if (got[t][i] === x[t]) continue;
      // The first ones only: a run records this for every protocol; evaluateMessy on the served predictor lists all.
      if (failed++ < MESSY_FAILURES_KEPT) failures.push({ title: x.title, type: t, expected: x[t], got: got[t][i] });
    }
  });
  return { n: items.length, role: round(acc("role")), industry: round(acc("industry")), level: round(acc("level")), otherWhenExpected: round(otherWhenExpected), byKind, failures, failuresTotal: failed };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
