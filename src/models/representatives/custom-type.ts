// A category type of the user's own, defined by a taxonomy file's representative examples (taxonomy-file.ts) and
// answered by any title-similarity model without retraining: the talk's "almost the same code for other tasks". Each
// class scores a title by its closest example (times the example's weight); below the threshold the title is Other.
import type { SimilarityModel } from "../../core/types";
import { RepresentativeClassifier } from "./classifier";

/** What a taxonomy file gives: a name and, per class, its examples with their weights. */
export interface ExampleSet {
  name: string;
  classes: Map<string, { title: string; weight: number }[]>;
}

export interface CustomAnswer {
  label: string;
  score: number;
  /** The best class regardless of the threshold. */
  best: string;
  /** The example of the best class the title is closest to, and their similarity. */
  nearest: { title: string; similarity: number };
}

export class CustomTypeClassifier {
  private constructor(
    readonly set: ExampleSet,
    private readonly model: SimilarityModel,
    private readonly classifier: RepresentativeClassifier,
    private readonly exampleRows: Map<string, Float32Array>,
  ) {}

  static async create(model: SimilarityModel, set: ExampleSet, opts: { threshold?: number } = {}): Promise<CustomTypeClassifier> {
    const reps = new Map([...set.classes].map(([c, xs]) => [c, xs.map((x) => x.title)]));
    const weights = new Map([...set.classes].map(([c, xs]) => [c, xs.map((x) => x.weight)]));
    const classifier = await RepresentativeClassifier.create(model, reps, { aggregate: "max", threshold: opts.threshold ?? 0.5, weights });
    const exampleRows = new Map<string, Float32Array>();
    for (const [c, titles] of reps) exampleRows.set(c, await model.encode(titles));
    return new CustomTypeClassifier(set, model, classifier, exampleRows);
  }

  get threshold(): number {
    return this.classifier.threshold;
  }

  set threshold(t: number) {
    this.classifier.threshold = t;
  }

  get classes(): string[] {
    return this.classifier.classes;
  }

  /** One score per class per title (the classes in the file's order). */
  scoreTable(titles: readonly string[]) {
    return this.classifier.scoreTable(titles);
  }

  async classify(titles: readonly string[]): Promise<CustomAnswer[]> {
    const rows = await this.model.encode(titles);
    const preds = this.classifier.predictRows(titles, rows);
    const dim = this.model.dim;
    return preds.map((p, i) => {
      const examples = this.set.classes.get(p.best);
      if (!examples) return { ...p, nearest: { title: "", similarity: 0 } };
      const sims = this.model.similarityMatrix(rows.subarray(i * dim, (i + 1) * dim), this.exampleRows.get(p.best)!);
      let j = 0;
      for (let k = 1; k < sims.length; k++) if (sims[k] > sims[j]) j = k;
      return { label: p.label, score: p.score, best: p.best, nearest: { title: examples[j].title, similarity: sims[j] } };
    });
  }
}
