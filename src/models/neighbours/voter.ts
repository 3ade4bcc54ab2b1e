// The neighbours protocol: a title takes the class its k most similar labelled training titles vote for. Where the
// talk compares a title with 50 hand-picked examples per class, this uses every labelled title (55k), which is what a
// practitioner with labels would do first. k and the vote weighting are settings chosen on dev (tuneVoter).
import { Evidence, ScoreTable } from "../../core/types";
import { Hits, VectorIndex } from "./vector-index";

export type Weighting = "uniform" | "similarity" | "softmax";
export const WEIGHTINGS: readonly Weighting[] = ["uniform", "similarity", "softmax"];

export interface VoterSettings {
  k: number;
  weighting: Weighting;
  /** For "softmax": weight exp((similarity - 1) / temperature); smaller is closer to "the nearest title decides". */
  temperature?: number;
}

export const DEFAULT_VOTER: VoterSettings = { k: 10, weighting: "similarity" };

/** Labelled rows of one category type: the index's row i is titles[i] with label labels[i]. */
export class NeighbourVoter {
  readonly classes: string[];
  private readonly classOf: Int32Array;

  constructor(
    readonly index: VectorIndex,
    readonly titles: readonly string[],
    readonly labels: readonly string[],
    classes?: readonly string[],
  ) {
    if (titles.length !== index.n || labels.length !== index.n) throw new Error(`NeighbourVoter: ${index.n} rows, ${titles.length} titles, ${labels.length} labels`);
    this.classes = classes ? [...classes] : [...new Set(labels)].sort();
    const id = new Map(this.classes.map((c, i) => [c, i]));
    this.classOf = Int32Array.from(labels, (l) => {
      const c = id.get(l);
      if (c === undefined) throw new Error(`NeighbourVoter: label ${JSON.stringify(l)} is not one of the classes`);
      return c;
    });
  }

  search(queryRows: Float32Array, k: number): Promise<Hits> {
    return this.index.search(queryRows, k);
  }

  /**
   * Class scores from the hits: each class's share of the vote times the mean similarity of the k neighbours, so
   * that a title whose nearest labelled titles are all far away scores low even when they agree. `evidence` keeps
   * that many neighbours per title.
   */
  table(hits: Hits, s: VoterSettings, evidence = 0): ScoreTable {
    const C = this.classes.length;
    const nq = hits.indices.length / hits.k;
    const k = Math.min(s.k, hits.k);
    const scores = new Float32Array(nq * C);
    const ev: Evidence[][] | undefined = evidence > 0 ? [] : undefined;
    const tau = s.temperature ?? 0.05;
    for (let q = 0; q < nq; q++) {
      let total = 0;
      let simSum = 0;
      let m = 0;
      for (let j = 0; j < k; j++) {
        const r = hits.indices[q * hits.k + j];
        if (r < 0) break;
        const sim = hits.scores[q * hits.k + j];
        const w = s.weighting === "uniform" ? 1 : s.weighting === "similarity" ? Math.max(sim, 0) : Math.exp((sim - 1) / tau);
        scores[q * C + this.classOf[r]] += w;
        total += w;
        simSum += Math.max(sim, 0);
        m++;
      }
      const closeness = m ? simSum / m : 0;
      if (total > 0) for (let c = 0; c < C; c++) scores[q * C + c] = (scores[q * C + c] / total) * closeness;
      if (ev) {
        const list: Evidence[] = [];
        for (let j = 0; j < Math.min(evidence, hits.k); j++) {
          const r = hits.indices[q * hits.k + j];
          if (r < 0) break;
          list.push({ title: this.titles[r], label: this.labels[r], similarity: round4(hits.scores[q * hits.k + j]) });
        }
        ev.push(list);
      }
    }
    return { classes: this.classes, scores, evidence: ev };
  }
}

/** The settings tried on dev: k from 1 to 50, each weighting (softmax at two temperatures). */
export function voterGrid(maxK = 50): VoterSettings[] {
  const out: VoterSettings[] = [];
  for (const k of [1, 3, 5, 7, 10, 15, 20, 30, 50].filter((x) => x <= maxK)) {
    out.push({ k, weighting: "uniform" }, { k, weighting: "similarity" }, { k, weighting: "softmax", temperature: 0.02 }, { k, weighting: "softmax", temperature: 0.05 });
  }
  return out;
}

/** The argmax class of each row of a table (ties to the first class). */
export function argmaxLabels(t: ScoreTable): { label: string; score: number }[] {
  const C = t.classes.length;
  const out: { label: string; score: number }[] = [];
  for (let i = 0; i < t.scores.length / C; i++) {
    let b = 0;
    for (let c = 1; c < C; c++) if (t.scores[i * C + c] > t.scores[i * C + b]) b = c;
    out.push({ label: t.classes[b], score: t.scores[i * C + b] });
  }
  return out;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}
