// A category type of the user's own, defined by a taxonomy file's representative examples (taxonomy-file.ts) and
// answered by any title-similarity model without retraining: the talk's "almost the same code for other tasks". Each
// class scores a title by its closest example (times the example's weight); below the threshold the title is Other.
import { OTHER, ScoreTable, SimilarityModel } from "../../core/types";
import { buildIndex, encodeTitles } from "../neighbours/vector-index";
import { DEFAULT_VOTER, NeighbourVoter } from "../neighbours/voter";
import { normalizeRows } from "./similarity";
import { exampleKey } from "../../taxonomy/taxonomy-file";
import { sameTitles } from "../../util/same-titles";
import { RepresentativeClassifier } from "./classifier";

/** What a taxonomy file gives: a name, per class its examples with their weights, and titles pinned to a class. */
export interface ExampleSet {
  name: string;
  classes: Map<string, { title: string; weight: number }[]>;
  pins?: readonly { title: string; cls: string }[];
  /** Labelled titles: when given, a title takes the class its nearest labelled titles and examples vote for. */
  labelledTitles?: { titles: readonly string[]; labels: readonly string[] };
}

/** The vote of a type with labelled titles: the neighbours protocol's default (no dev set to tune it on). */
const VOTE = DEFAULT_VOTER;

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
    private readonly voter: NeighbourVoter | null,
    /** Each example by its title: a title that is an example scores its weight for the class, whatever the model's self-similarity. */
    private readonly own: Map<string, { cls: string; title: string; weight: number }>,
  ) {}

  /** The vote of the last titles asked about: `jtlab score` asks for a chunk's labels, then for its table. */
  private lastVote: { titles: readonly string[]; table: Promise<ScoreTable> } | null = null;

  /**
   * The examples the model cannot encode: their vector is all zeros (no word in a word model's vocabulary, no
   * character n-gram a TF-IDF model knows), so they match no title and their class loses them silently.
   */
  unencodable(): { cls: string; title: string }[] {
    const out: { cls: string; title: string }[] = [];
    const dim = this.model.dim;
    for (const [cls, xs] of this.set.classes) {
      const rows = this.exampleRows.get(cls)!;
      xs.forEach((x, i) => {
        if (rows.subarray(i * dim, (i + 1) * dim).every((v) => v === 0)) out.push({ cls, title: x.title });
      });
    }
    return out;
  }

  /** How the type answers: its examples (the talk's rule) or, with labelled titles, a vote of the nearest. */
  get protocol(): "representatives" | "neighbours" {
    return this.voter ? "neighbours" : "representatives";
  }

  static async create(model: SimilarityModel, set: ExampleSet, opts: { threshold?: number } = {}): Promise<CustomTypeClassifier> {
    const reps = new Map([...set.classes].map(([c, xs]) => [c, xs.map((x) => x.title)]));
    const weights = new Map([...set.classes].map(([c, xs]) => [c, xs.map((x) => x.weight)]));
    const classifier = await RepresentativeClassifier.create(model, reps, { aggregate: "max", threshold: opts.threshold ?? 0.5, weights });
    const exampleRows = new Map<string, Float32Array>();
    for (const [c, titles] of reps) exampleRows.set(c, await model.encode(titles));
    const pins = new Map((set.pins ?? []).map((p) => [exampleKey(p.title), p] as const));
    for (const p of pins.values()) if (!reps.has(p.cls) && p.cls !== OTHER) throw new Error(`${set.name}: ${JSON.stringify(p.title)} is pinned to ${JSON.stringify(p.cls)}, which has no examples`);
    let voter: NeighbourVoter | null = null;
    if (set.labelledTitles) {
      // The examples vote too: they are the type's most representative labelled titles.
      const titles = [...[...reps].flatMap(([, xs]) => xs), ...set.labelledTitles.titles];
      const labels = [...[...reps].flatMap(([c, xs]) => xs.map(() => c)), ...set.labelledTitles.labels];
      voter = new NeighbourVoter(buildIndex(await encodeTitles(model, titles)), titles, labels, [...new Set([...reps.keys(), ...labels])]);
    }
    // A learned similarity (the Siamese merge) need not give a title 1 with itself: an example's own title is matched
    // by its key, so that a title added as an example (jtlab fix) always gets its class unless a weight says otherwise.
    const own = new Map([...set.classes].flatMap(([cls, xs]) => xs.map((x) => [exampleKey(x.title), { cls, title: x.title, weight: x.weight }] as const)));
    return new CustomTypeClassifier(set, model, classifier, exampleRows, pins, voter, own);
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
    const table = this.voter ? await this.voteTable(titles) : await this.classifier.scoreTable(titles);
    const K = table.classes.length;
    // A copy: the classifier keeps its last table for the next call.
    const scores = Float32Array.from(table.scores);
    titles.forEach((t, i) => {
      const o = this.voter ? undefined : this.own.get(exampleKey(t));
      if (o) {
        const k = i * K + table.classes.indexOf(o.cls);
        scores[k] = Math.max(scores[k], o.weight);
      }
      const p = this.pins.get(exampleKey(t));
      // Pinned to Other: no class column to raise (the label says Other).
      if (p && p.cls !== OTHER) scores[i * K + table.classes.indexOf(p.cls)] = 1;
    });
    return { ...table, scores };
  }

  /** The vote over the voter's classes (the file's, and Other when a labelled title says so), with its evidence. */
  private votes(titles: readonly string[]): Promise<ScoreTable> {
    const last = this.lastVote;
    if (last && sameTitles(last.titles, titles)) return last.table;
    const v = this.voter!;
    const table = (async () => v.table(await v.search(normalizeRows(await this.model.encode(titles), this.model.dim), VOTE.k), VOTE, VOTE.k))();
    this.lastVote = { titles: titles.slice(), table };
    return table;
  }

  /** The vote's table over the file's classes (a vote for Other lowers every class's share). */
  private async voteTable(titles: readonly string[]): Promise<ScoreTable> {
    const v = this.voter!;
    const t = await this.votes(titles);
    const classes = this.classes;
    const C = v.classes.length;
    const scores = new Float32Array(titles.length * classes.length);
    classes.forEach((c, j) => {
      const k = v.classes.indexOf(c);
      for (let i = 0; i < titles.length; i++) scores[i * classes.length + j] = t.scores[i * C + k];
    });
    return { classes, scores };
  }

  private async vote(titles: readonly string[]): Promise<CustomAnswer[]> {
    const v = this.voter!;
    const t = await this.votes(titles);
    const C = v.classes.length;
    return titles.map((_, i) => {
      let b = 0;
      for (let c = 1; c < C; c++) if (t.scores[i * C + c] > t.scores[i * C + b]) b = c;
      const best = v.classes[b];
      const score = t.scores[i * C + b];
      const near = t.evidence![i].find((e) => e.label === best) ?? { title: "", similarity: 0 };
      return { label: score >= this.threshold ? best : OTHER, score, best, nearest: { title: near.title, similarity: near.similarity } };
    });
  }

  async classify(titles: readonly string[]): Promise<CustomAnswer[]> {
    if (this.voter) return this.pinned(titles, await this.vote(titles));
    return this.pinned(titles, await this.byExamples(titles));
  }

  private pinned(titles: readonly string[], answers: CustomAnswer[]): CustomAnswer[] {
    return answers.map((a, i) => {
      const pin = this.pins.get(exampleKey(titles[i]));
      return pin ? { label: pin.cls, score: 1, best: pin.cls, nearest: { title: pin.title, similarity: 1 }, pinned: true } : a;
    });
  }

  private async byExamples(titles: readonly string[]): Promise<CustomAnswer[]> {
    const rows = await this.model.encode(titles);
    const preds = this.classifier.predictRows(titles, rows);
    const dim = this.model.dim;
    return preds.map((p, i) => {
      const own = this.own.get(exampleKey(titles[i]));
      if (own && own.weight >= p.score) return { label: own.weight >= this.threshold ? own.cls : OTHER, score: own.weight, best: own.cls, nearest: { title: own.title, similarity: 1 } };
      const examples = this.set.classes.get(p.best);
      if (!examples) return { ...p, nearest: { title: "", similarity: 0 } };
      const sims = this.model.similarityMatrix(rows.subarray(i * dim, (i + 1) * dim), this.exampleRows.get(p.best)!);
      let j = 0;
      for (let k = 1; k < sims.length; k++) if (sims[k] > sims[j]) j = k;
      return { label: p.label, score: p.score, best: p.best, nearest: { title: examples[j].title, similarity: sims[j] } };
    });
  }
}
