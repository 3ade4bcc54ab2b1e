// The talk's rule for turning a similarity into a class: each class has its most representative example titles;
// a title's score for a class aggregates (max, mean or top-k mean) its similarities to those examples; the class is
// the best-scoring one if its score reaches the threshold (default 0.5), else "Other". Every method uses this.
import { sameTitles } from "../../util/same-titles";
import { CategoryType, OTHER, ScoreTable, SimilarityModel } from "../../core/types";
import { LabelledTitle } from "../../datasets/labelled";
import { readBuiltInTaxonomy } from "../../taxonomy/fixes";
import { readTsv } from "../../data/tsv";
import { parseClass } from "../../taxonomy/classes";
import { normKey } from "../../text/normalize";

/** Class → its representative example titles. */
export type Representatives = Map<string, string[]>;

import { Aggregate, aggregateSpan } from "./aggregate";

export type { Aggregate };

export interface ClassifierOptions {
  aggregate?: Aggregate;
  /** k for "topk". */
  k?: number;
  threshold?: number;
  /**
   * Per class, one weight per example (in the representatives' order; default 1): a taxonomy file's `weight`. Under
   * max and topk an example's similarity counts times its weight; under mean the weights weigh the average.
   */
  weights?: Map<string, number[]>;
}

export interface Prediction {
  /** The best class, or "Other" when its score is below the threshold. */
  label: string;
  score: number;
  /** The best class regardless of the threshold (for coverage curves). */
  best: string;
}

export type { ScoreTable } from "../../core/types";

export class RepresentativeClassifier {
  readonly aggregate: Aggregate;
  readonly k: number;
  threshold: number;
  /** The last batch's table: score and classify ask for a batch's labels (predict) and its table, one tower pass each. */
  private last: { titles: readonly string[]; table: ScoreTable } | null = null;

  private constructor(
    readonly model: SimilarityModel,
    readonly representatives: Representatives,
    readonly classes: string[],
    /** For each class, the range of its examples in repRows. */
    private readonly spans: [number, number][],
    private readonly repRows: Float32Array,
    opts: ClassifierOptions,
    /** One weight per row of repRows, or null when every weight is 1. */
    private readonly repWeights: Float32Array | null = null,
  ) {
    this.aggregate = opts.aggregate ?? "max";
    this.k = opts.k ?? 3;
    this.threshold = opts.threshold ?? 0.5;
  }

  /** Encodes the representative examples once; the classifier then scores any number of titles against them. */
  static async create(model: SimilarityModel, representatives: Representatives, opts: ClassifierOptions = {}): Promise<RepresentativeClassifier> {
    // A k below 1 would average no similarities and make every score NaN, silently labelling everything Other.
    if (opts.aggregate === "topk" && opts.k !== undefined && !(Number.isInteger(opts.k) && opts.k >= 1)) {
      throw new Error(`RepresentativeClassifier: topk's k must be a positive integer, got ${opts.k}`);
    }
    const classes = [...representatives.keys()].filter((c) => c !== OTHER && (representatives.get(c)?.length ?? 0) > 0);
    if (classes.length === 0) throw new Error("RepresentativeClassifier: no class has representative examples");
    const titles: string[] = [];
    const spans = classes.map((c): [number, number] => {
      const start = titles.length;
      titles.push(...representatives.get(c)!);
      return [start, titles.length];
    });
    let weights: Float32Array | null = null;
    if (opts.weights) {
      weights = new Float32Array(titles.length).fill(1);
      classes.forEach((c, i) => {
        const w = opts.weights!.get(c);
        if (!w) return;
        if (w.length !== spans[i][1] - spans[i][0]) throw new Error(`RepresentativeClassifier: class ${JSON.stringify(c)} has ${spans[i][1] - spans[i][0]} examples but ${w.length} weights`);
        w.forEach((x, j) => {
          if (!(Number.isFinite(x) && x > 0)) throw new Error(`RepresentativeClassifier: weight ${x} of an example of ${JSON.stringify(c)} is not a positive number`);
          weights![spans[i][0] + j] = x;
        });
      });
    }
    return new RepresentativeClassifier(model, representatives, classes, spans, await model.encode(titles), opts, weights);
  }

  /** One score per class per title: the talk's "Engineering Score = Agg{similarity(title, 'Software Engineer'), …}". */
  async scoreTable(titles: readonly string[], batch = 4096): Promise<ScoreTable> {
    if (!(Number.isInteger(batch) && batch >= 1)) throw new Error(`scoreTable: batch must be a positive integer, got ${batch}`);
    const last = this.last;
    if (last && sameTitles(last.titles, titles)) return { classes: this.classes, scores: last.table.scores.slice() };
    const parts: Float32Array[] = [];
    for (let from = 0; from < titles.length; from += batch) parts.push(this.scoreRows(await this.model.encode(titles.slice(from, from + batch))).scores);
    const out = new Float32Array(titles.length * this.classes.length);
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    this.last = { titles: titles.slice(), table: { classes: this.classes, scores: out.slice() } };
    return { classes: this.classes, scores: out };
  }

  /** Scores of titles already encoded by this classifier's model (rows of `model.encode`). */
  scoreRows(rows: Float32Array): ScoreTable {
    const C = this.classes.length;
    const n = rows.length / this.model.dim;
    const out = new Float32Array(n * C);
    const nReps = this.repRows.length / this.model.dim;
    const sims = this.model.similarityMatrix(rows, this.repRows);
    for (let i = 0; i < n; i++) {
      const row = sims.subarray(i * nReps, (i + 1) * nReps);
      for (let c = 0; c < C; c++) out[i * C + c] = aggregateSpan(row, this.spans[c], this.aggregate, this.k, this.repWeights);
    }
    return { classes: this.classes, scores: out };
  }

  async predict(titles: readonly string[]): Promise<Prediction[]> {
    return this.predictFromTable(titles, await this.scoreTable(titles));
  }

  /** Predictions for titles already encoded (`rows`), so several classifiers can share one encoding. */
  predictRows(titles: readonly string[], rows: Float32Array): Prediction[] {
    return this.predictFromTable(titles, this.scoreRows(rows));
  }

  /**
   * Labels from a score table: the best class if its score reaches the threshold, else Other. Classes that tie for
   * the best score go to the one listed first in `classes` (the order of the representatives map), so the same
   * scores always give the same label.
   */
  predictFromTable(titles: readonly string[], { classes, scores }: ScoreTable): Prediction[] {
    const C = classes.length;
    return titles.map((t, i) => {
      // A title with no words has nothing to compare: it is Other whatever the model's bias says, even ignoring the threshold.
      if (normKey(t) === "") return { label: OTHER, score: 0, best: OTHER };
      let best = 0;
      for (let c = 1; c < C; c++) if (scores[i * C + c] > scores[i * C + best]) best = c;
      const score = scores[i * C + best];
      return { label: score >= this.threshold ? classes[best] : OTHER, score, best: classes[best] };
    });
  }
}

/**
 * Examples per role/industry class unless a method says otherwise: the talk's rule. More examples cover more of the
 * big classes' variety at a cost in speed (notebook 06 gives the dev figures behind the choice).
 */
export const DEFAULT_PER_CLASS = 50;

/**
 * Picks each class's representative examples from training titles: the titles with one unambiguous label ranked
 * by how many occupations and groups list them, then by shortness — widely used, plain titles ("Software
 * Engineer") rather than rare, specific ones.
 */
export function chooseRepresentatives(train: readonly LabelledTitle[], type: "role" | "industry", opts: { perClass?: number } = {}): Representatives {
  const perClass = opts.perClass ?? DEFAULT_PER_CLASS;
  const out: Representatives = new Map();
  for (const [label, ranked] of rankedByClass(train, type)) out.set(label, ranked.slice(0, perClass).map((t) => t.title));
  return out;
}

function rankedByClass(train: readonly LabelledTitle[], type: "role" | "industry"): Map<string, LabelledTitle[]> {
  const byClass = new Map<string, LabelledTitle[]>();
  for (const t of train) {
    const label = t[type];
    if (!label || label === OTHER) continue;
    let l = byClass.get(label);
    if (!l) byClass.set(label, (l = []));
    l.push(t);
  }
  const out = new Map<string, LabelledTitle[]>();
  for (const [label, titles] of [...byClass.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    out.set(
      label,
      titles.slice().sort((a, b) => b.groups.length - a.groups.length || b.sources.length - a.sources.length || a.title.length - b.title.length || (a.norm < b.norm ? -1 : 1)),
    );
  }
  return out;
}

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

/**
 * The talk's Level groups (max{CEO, …, Founder}, max{CFO, COO, …}, …), hand-pinned in the taxonomy file
 * data/taxonomy/level.tsv; each class must be one of the Level classes the evaluation knows.
 */
export function levelRepresentatives(): Representatives {
  // Examples added by `jtlab fix` are examples like the others; pins are not (they override answers when served).
  const t = readBuiltInTaxonomy("level");
  return new Map([...t.classes].map(([cls, examples]) => [cls, examples.map((x) => x.title)]));
}
