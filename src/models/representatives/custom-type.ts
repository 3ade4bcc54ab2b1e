// A category type of the user's own, defined by a taxonomy file's representative examples (taxonomy-file.ts) and
// answered by any title-similarity model without retraining: the talk's "almost the same code for other tasks". Each
// class scores a title by its closest example (times the example's weight); below the threshold the title is Other.
import { OTHER, SimilarityModel } from "../../core/types";
import { exampleKey } from "../../taxonomy/taxonomy-file";
import { RepresentativeClassifier } from "./classifier";

/** What a taxonomy file gives: a name, per class its examples with their weights, and titles pinned to a class. */
export interface ExampleSet {
  name: string;
  classes: Map<string, { title: string; weight: number }[]>;
  pins?: readonly { title: string; cls: string }[];
}

/** A pin matches a title as the taxonomy's duplicate check does (case and runs of spaces folded). */
const pinKey = exampleKey;

export interface CustomAnswer {
  label: string;
  score: number;
  /** The best class regardless of the threshold. */
  best: string;
  /** The example of the best class the title is closest to, and their similarity (for a pinned title, the pin). */
  nearest: { title: string; similarity: number };
  /** The title is pinned to its class by the taxonomy file. */
  pinned?: true;
}

export class CustomTypeClassifier {
  private constructor(
    readonly set: ExampleSet,
    private readonly model: SimilarityModel,
    private readonly classifier: RepresentativeClassifier,
    private readonly exampleRows: Map<string, Float32Array>,
    private readonly pins: Map<string, { title: string; cls: string }>,
  ) {}

  static async create(model: SimilarityModel, set: ExampleSet, opts: { threshold?: number } = {}): Promise<CustomTypeClassifier> {
    const reps = new Map([...set.classes].map(([c, xs]) => [c, xs.map((x) => x.title)]));
    const weights = new Map([...set.classes].map(([c, xs]) => [c, xs.map((x) => x.weight)]));
    const classifier = await RepresentativeClassifier.create(model, reps, { aggregate: "max", threshold: opts.threshold ?? 0.5, weights });
    const exampleRows = new Map<string, Float32Array>();
    for (const [c, titles] of reps) exampleRows.set(c, await model.encode(titles));
    const pins = new Map((set.pins ?? []).map((p) => [pinKey(p.title), p] as const));
    for (const p of pins.values()) if (!reps.has(p.cls) && p.cls !== OTHER) throw new Error(`${set.name}: ${JSON.stringify(p.title)} is pinned to ${JSON.stringify(p.cls)}, which has no examples`);
    return new CustomTypeClassifier(set, model, classifier, exampleRows, pins);
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

  /** One score per class per title (the classes in the file's order); a pinned title scores 1 for its class. */
  async scoreTable(titles: readonly string[]) {
    const table = await this.classifier.scoreTable(titles);
    if (!this.pins.size) return table;
    const K = table.classes.length;
    // A copy: the classifier keeps its last table for the next call.
    const scores = Float32Array.from(table.scores);
    titles.forEach((t, i) => {
      const p = this.pins.get(pinKey(t));
      // Pinned to Other: no class column to raise (the label says Other).
      if (p && p.cls !== OTHER) scores[i * K + table.classes.indexOf(p.cls)] = 1;
    });
    return { ...table, scores };
  }

  async classify(titles: readonly string[]): Promise<CustomAnswer[]> {
    const rows = await this.model.encode(titles);
    const preds = this.classifier.predictRows(titles, rows);
    const dim = this.model.dim;
    return preds.map((p, i) => {
      const pin = this.pins.get(pinKey(titles[i]));
      if (pin) return { label: pin.cls, score: 1, best: pin.cls, nearest: { title: pin.title, similarity: 1 }, pinned: true };
      const examples = this.set.classes.get(p.best);
      if (!examples) return { ...p, nearest: { title: "", similarity: 0 } };
      const sims = this.model.similarityMatrix(rows.subarray(i * dim, (i + 1) * dim), this.exampleRows.get(p.best)!);
      let j = 0;
      for (let k = 1; k < sims.length; k++) if (sims[k] > sims[j]) j = k;
      return { label: p.label, score: p.score, best: p.best, nearest: { title: examples[j].title, similarity: sims[j] } };
    });
  }
}
