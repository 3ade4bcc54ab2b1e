// The built-in types' fixes (taxonomy/fixes.ts) over whatever run and protocol answers a type, without retraining.
// A pinned title gets its class, score 1. An example added as a fix works as a representative example does under the
// talk's max rule: it claims a title whose similarity to it (times its weight) reaches the talk's 0.5 threshold and
// beats the score of the title's current answer. Under the representatives protocol that is exactly adding the
// example; under neighbours or a head it lets the fix win where it is more sure than the model. The similarity is
// that of the title vectors --taxonomy types use (the run answering role, or the best method with vectors).
import { CategoryType, Evidence, Labelled, OTHER, Predictor, ScoreTable, SimilarityModel } from "../core/types";
import { exampleKey, Provenance } from "../taxonomy/taxonomy-file";
import { countFixes, Fixes } from "../taxonomy/fixes";
import { sameTitles } from "../util/same-titles";
import type { Served } from "./served";

/** The similarity an added example needs to claim a title: the talk's threshold. */
export const EXAMPLE_FIX_REACH = 0.5;

/** An answer that a fix gave: which fix, where it is written, and who made it. */
export interface FixedBy extends Provenance {
  title: string;
  file: string;
  line: number | null;
}

export type FixedLabelled = Labelled & { fixedBy?: FixedBy };

interface ExampleRows {
  classes: string[];
  /** Per example: its class's index, title, weight and provenance. */
  examples: { cls: number; title: string; weight: number; fix: FixedBy }[];
  rows: Float32Array;
}

/** Per title, the best-scoring added example of each class (its score is similarity × weight). */
interface Claims {
  titles: readonly string[];
  /** [titles × classes]: the class's best example score; -Infinity when the class has none. */
  scores: Float32Array;
  /** [titles × classes]: which example gave it. */
  which: Int32Array;
}

class FixLayer {
  private rows: Promise<ExampleRows> | null = null;
  private last: { titles: readonly string[]; claims: Promise<Claims> } | null = null;

  constructor(
    readonly fixes: Fixes,
    private readonly vectors: () => Promise<SimilarityModel>,
  ) {}


  private exampleRows(): Promise<ExampleRows> {
    return (this.rows ??= (async () => {
      const classes = [...this.fixes.examples.keys()];
      const examples = classes.flatMap((cls, c) =>
        this.fixes.examples.get(cls)!.map((x) => ({ cls: c, title: x.title, weight: x.weight, fix: { ...x.fix, title: x.title, file: this.fixes.file, line: x.line } })),
      );
      const model = await this.vectors();
      return { classes, examples, rows: await model.encode(examples.map((x) => x.title)) };
    })());
  }

  claims(titles: readonly string[]): Promise<Claims> {
    if (this.last && sameTitles(this.last.titles, titles)) return this.last.claims;
    const claims = (async () => {
      const ex = await this.exampleRows();
      const model = await this.vectors();
      const C = ex.classes.length;
      const scores = new Float32Array(titles.length * C).fill(-Infinity);
      const which = new Int32Array(titles.length * C).fill(-1);
      if (titles.length && ex.examples.length) {
        const sims = model.similarityMatrix(await model.encode(titles), ex.rows);
        const E = ex.examples.length;
        // A learned similarity (the Siamese merge) need not give a title 1 with itself: the example's own title is
        // matched as a pin is, so that a fix always fixes the title it was made for.
        const own = new Map(ex.examples.map((x, j) => [exampleKey(x.title), j] as const));
        for (let i = 0; i < titles.length; i++) {
          const self = own.get(exampleKey(titles[i]));
          for (let j = 0; j < E; j++) {
            const { cls, weight } = ex.examples[j];
            const s = (j === self ? 1 : sims[i * E + j]) * weight;
            if (s > scores[i * C + cls]) {
              scores[i * C + cls] = s;
              which[i * C + cls] = j;
            }
          }
        }
      }
      return { titles: titles.slice(), scores, which };
    })();
    this.last = { titles: titles.slice(), claims };
    return claims;
  }

  async predict(titles: readonly string[], base: Labelled[]): Promise<FixedLabelled[]> {
    const hasExamples = this.fixes.examples.size > 0;
    const c = hasExamples ? await this.claims(titles) : null;
    const ex = hasExamples ? await this.exampleRows() : null;
    return base.map((a, i) => {
      const pin = this.fixes.pins.get(exampleKey(titles[i]));
      if (pin) return { label: pin.cls, score: 1, evidence: [{ title: pin.title, label: pin.cls, similarity: 1 }], fixedBy: { ...pin.fix, title: pin.title, file: this.fixes.file, line: pin.line } };
      if (!c || !ex) return a;
      const C = ex.classes.length;
      let k = 0;
      for (let j = 1; j < C; j++) if (c.scores[i * C + j] > c.scores[i * C + k]) k = j;
      const s = c.scores[i * C + k];
      if (!(s >= EXAMPLE_FIX_REACH && (s > a.score || a.label === OTHER))) return a;
      const x = ex.examples[c.which[i * C + k]];
      const evidence: Evidence[] = [{ title: x.title, label: ex.classes[k], similarity: s }, ...(a.evidence ?? [])];
      return { label: ex.classes[k], score: s, evidence, fixedBy: x.fix };
    });
  }

  /** The table with each pinned title's class at 1 and each class at least its best added example's score. */
  async table(titles: readonly string[], base: ScoreTable | null): Promise<ScoreTable | null> {
    if (!base) return base;
    const K = base.classes.length;
    const scores = Float32Array.from(base.scores);
    if (this.fixes.examples.size) {
      const c = await this.claims(titles);
      const ex = await this.exampleRows();
      ex.classes.forEach((cls, j) => {
        const k = base.classes.indexOf(cls);
        if (k < 0) return;
        for (let i = 0; i < titles.length; i++) scores[i * K + k] = Math.max(scores[i * K + k], c.scores[i * ex.classes.length + j]);
      });
    }
    titles.forEach((t, i) => {
      const pin = this.fixes.pins.get(exampleKey(t));
      const k = pin ? base.classes.indexOf(pin.cls) : -1;
      if (k >= 0) scores[i * K + k] = 1;
    });
    return { ...base, scores };
  }
}

/**
 * The served types with their fixes applied (a type without fixes is served as it was). `vectors` is called only
 * when some type has examples added as fixes.
 */
export function withFixes(
  served: Record<CategoryType, Served>,
  fixes: Record<CategoryType, Fixes>,
  vectors: () => Promise<SimilarityModel>,
): Record<CategoryType, Served> {
  let model: Promise<SimilarityModel> | null = null;
  const shared = (): Promise<SimilarityModel> => (model ??= vectors());
  const out = {} as Record<CategoryType, Served>;
  for (const type of Object.keys(served) as CategoryType[]) {
    const s = served[type];
    const f = fixes[type];
    if (!f || countFixes(f) === 0) {
      out[type] = s;
      continue;
    }
    const layer = new FixLayer(f, shared);
    const inner = s.predictor;
    const predictor: Predictor & { evidence?: number } = {
      name: inner.name,
      types: inner.types,
      calibrated: inner.calibrated,
      predict: async (titles, t) => (t === type ? layer.predict(titles, await inner.predict(titles, t)) : inner.predict(titles, t)),
    };
    // `jtlab classify --evidence N` sets the inner predictor's evidence count through the wrapper.
    if ("evidence" in inner) Object.defineProperty(predictor, "evidence", { get: () => inner.evidence, set: (v: number) => (inner.evidence = v), enumerable: true });
    out[type] = { ...s, predictor, table: async (titles, t) => (t === type ? layer.table(titles, await s.table(titles, t)) : s.table(titles, t)) };
  }
  return out;
}

/** One type's answers with `fixes` laid over `base` (the answers of the same titles without them). */
export function applyFixes(fixes: Fixes, vectors: () => Promise<SimilarityModel>, titles: readonly string[], base: Labelled[]): Promise<FixedLabelled[]> {
  return new FixLayer(fixes, vectors).predict(titles, base);
}
