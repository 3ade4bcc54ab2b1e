// The talk's rule for turning a similarity into a class: each class has its most representative example titles;
// a title's score for a class aggregates (max, mean or top-k mean) its similarities to those examples; the class is
// the best-scoring one if its score reaches the threshold (default 0.5), else "Other". Every method uses this.
import { Matrix } from "ml-matrix";
import { LabelledTitle } from "../../datasets/labelled";
import { projectPath } from "../../data/paths";
import { readTsv } from "../../data/tsv";
import { CategoryType, OTHER, parseClass } from "../../taxonomy/classes";
import { normKey } from "../../text/normalize";
import { SimilarityModel } from "./similarity";

/** Class → its representative example titles. */
export type Representatives = Map<string, string[]>;

export type Aggregate = "max" | "mean" | "topk";

export interface ClassifierOptions {
  aggregate?: Aggregate;
  /** k for "topk". */
  k?: number;
  threshold?: number;
}

export interface Prediction {
  /** The best class, or "Other" when its score is below the threshold. */
  label: string;
  score: number;
  /** The best class regardless of the threshold (for coverage curves). */
  best: string;
}

export interface ScoreTable {
  classes: string[];
  /** Row-major [titles × classes]. */
  scores: Float32Array;
}

export class RepresentativeClassifier {
  readonly classes: string[];
  readonly aggregate: Aggregate;
  readonly k: number;
  threshold: number;
  private readonly repRows: Float32Array;
  /** For each class, the range of its examples in repRows. */
  private readonly spans: [number, number][];

  constructor(readonly model: SimilarityModel, readonly representatives: Representatives, opts: ClassifierOptions = {}) {
    this.aggregate = opts.aggregate ?? "max";
    this.k = opts.k ?? 3;
    this.threshold = opts.threshold ?? 0.5;
    this.classes = [...representatives.keys()].filter((c) => c !== OTHER && (representatives.get(c)?.length ?? 0) > 0);
    if (this.classes.length === 0) throw new Error("RepresentativeClassifier: no class has representative examples");
    const titles: string[] = [];
    this.spans = this.classes.map((c) => {
      const start = titles.length;
      titles.push(...representatives.get(c)!);
      return [start, titles.length];
    });
    this.repRows = model.encode(titles);
  }

  /** One score per class per title: the talk's "Engineering Score = Agg{similarity(title, 'Software Engineer'), …}". */
  scoreTable(titles: readonly string[], batch = 4096): ScoreTable {
    const C = this.classes.length;
    const out = new Float32Array(titles.length * C);
    const nReps = this.repRows.length / this.model.dim;
    for (let from = 0; from < titles.length; from += batch) {
      const chunk = titles.slice(from, from + batch);
      const sims = this.model.similarityMatrix(this.model.encode(chunk), this.repRows);
      for (let i = 0; i < chunk.length; i++) {
        const row = sims.subarray(i * nReps, (i + 1) * nReps);
        for (let c = 0; c < C; c++) out[(from + i) * C + c] = this.aggregateSpan(row, this.spans[c]);
      }
    }
    return { classes: this.classes, scores: out };
  }

  private aggregateSpan(row: Float32Array, [s, e]: [number, number]): number {
    if (this.aggregate === "max") {
      let m = -Infinity;
      for (let j = s; j < e; j++) if (row[j] > m) m = row[j];
      return m;
    }
    if (this.aggregate === "mean") {
      let sum = 0;
      for (let j = s; j < e; j++) sum += row[j];
      return sum / (e - s);
    }
    const top = Array.from(row.subarray(s, e)).sort((a, b) => b - a).slice(0, this.k);
    return top.reduce((a, b) => a + b, 0) / top.length;
  }

  predict(titles: readonly string[]): Prediction[] {
    const { classes, scores } = this.scoreTable(titles);
    const C = classes.length;
    return titles.map((t, i) => {
      let best = 0;
      for (let c = 1; c < C; c++) if (scores[i * C + c] > scores[i * C + best]) best = c;
      const score = scores[i * C + best];
      // A title with no words has nothing to compare: it is Other whatever the model's bias says.
      const empty = normKey(t) === "";
      return { label: !empty && score >= this.threshold ? classes[best] : OTHER, score: empty ? 0 : score, best: classes[best] };
    });
  }
}

export interface ChooseOptions {
  perClass?: number;
  /** "frequent": listed under the most occupations/groups; "medoid": most similar on average to its class. */
  method?: "frequent" | "medoid";
  /** Needed for "medoid". */
  model?: SimilarityModel;
  /** Candidates per class considered by "medoid" (the most frequent ones). */
  candidates?: number;
}

/**
 * Picks each class's representative examples from training titles. "frequent" (the default) ranks the titles with
 * one unambiguous label by how many occupations and groups list them, then by shortness: widely used, plain titles
 * ("Software Engineer") rather than rare, specific ones. "medoid" re-ranks those candidates by their mean similarity
 * to the rest of the class under a model.
 */
export function chooseRepresentatives(train: readonly LabelledTitle[], type: "role" | "industry", opts: ChooseOptions = {}): Representatives {
  const perClass = opts.perClass ?? 10;
  const byClass = new Map<string, LabelledTitle[]>();
  for (const t of train) {
    const label = t[type];
    if (!label || label === OTHER) continue;
    let l = byClass.get(label);
    if (!l) byClass.set(label, (l = []));
    l.push(t);
  }
  const out: Representatives = new Map();
  for (const [label, titles] of [...byClass.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const ranked = titles
      .slice()
      .sort((a, b) => b.groups.length - a.groups.length || b.sources.length - a.sources.length || a.title.length - b.title.length || (a.norm < b.norm ? -1 : 1));
    if (opts.method === "medoid") {
      if (!opts.model) throw new Error("chooseRepresentatives: the medoid method needs a model");
      const cands = ranked.slice(0, opts.candidates ?? 200).map((t) => t.title);
      out.set(label, medoids(cands, opts.model, perClass));
    } else {
      out.set(label, ranked.slice(0, perClass).map((t) => t.title));
    }
  }
  return out;
}

/** The k candidates with the highest mean similarity to the others (pairwise similarities via ml-matrix). */
function medoids(titles: string[], model: SimilarityModel, k: number): string[] {
  const X = model.encode(titles);
  const rows = Array.from({ length: titles.length }, (_, i) => Array.from(X.subarray(i * model.dim, (i + 1) * model.dim)));
  const M = new Matrix(rows);
  const S = M.mmul(M.transpose());
  const mean = titles.map((_, i) => (S.getRow(i).reduce((a, b) => a + b, 0) - S.get(i, i)) / Math.max(1, titles.length - 1));
  return titles
    .map((t, i) => ({ t, m: mean[i] }))
    .sort((a, b) => b.m - a.m)
    .slice(0, k)
    .map((x) => x.t);
}

export const LEVEL_REPRESENTATIVES_FILE = projectPath("data", "representatives", "level.tsv");

/** A pinned list: a TSV `<class column>\ttitle`, one example per row. Unknown classes are refused. */
export function loadRepresentatives(file: string, type: CategoryType): Representatives {
  const column = type === "level" ? "level" : type;
  const out: Representatives = new Map();
  for (const r of readTsv(file, { header: [column, "title"] })) {
    const label = parseClass(type, r.cells[0], `${file}:${r.line}`);
    const title = r.cells[1].trim();
    if (!title) throw new Error(`${file}:${r.line}: empty title`);
    let l = out.get(label);
    if (!l) out.set(label, (l = []));
    l.push(title);
  }
  return out;
}

/** The talk's Level groups (max{CEO, …, Founder}, max{CFO, COO, …}, …), hand-pinned in data/representatives/level.tsv. */
export function levelRepresentatives(): Representatives {
  return loadRepresentatives(LEVEL_REPRESENTATIVES_FILE, "level");
}
