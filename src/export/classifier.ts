// A model export in memory → the answers `jtlab classify --run ID` gives for that Siamese run. Pure and
// browser-bundleable: tfjs layers for the title tower, plain TypeScript for the rest (no fs, no worker threads, no
// wasm kernels), so the report's live panel runs this same code.
//
// What it reproduces, per protocol (experiments/served.ts and protocols.ts are the originals):
//   representatives — the talk's rule on the raw title: similarity (the model's own merge + dense + sigmoid) to each
//     class's examples, aggregated per class; the best class at or above the threshold, else Other; a title with no
//     words is Other with score 0.
//   neighbours, head — the title cleaned (text/clean.ts) and gated (a title with no word like the training titles'
//     is Other with the reason); the k nearest labelled training titles' vote (exact top-k over the int8 rows) or the
//     linear probe on the unit row; the top score calibrated as recorded; Other below the operating point.
//   Level — always the representatives rule over the talk's pinned Level groups (a Siamese run has no Level
//     labels to vote with), fed the cleaned, gated title under neighbours and head, the raw title under representatives.
import * as tf from "@tensorflow/tfjs";
import { CategoryType, Evidence, Labelled, OTHER } from "../core/types";
import { calibratedProbability, sigmoid } from "../eval/calibrator";
import { TitleGate } from "../models/abstain/gate";
import { LinearProbe, linearProbeFromJSON, LinearProbeJSON } from "../models/heads/linear-probe";
import { aggregateSpan } from "../models/representatives/aggregate";
import { normalizeRows } from "../models/representatives/similarity";
import { encoderFromJSON, TitleEncoder } from "../models/siamese/encoders";
import { cleanTitle } from "../text/clean";
import { normKey } from "../text/normalize";
import { ClassifierFile, ExportProtocol, LabelledType, ModelExport, VoterSettingsJSON } from "./format";
import { Int8Rows, searchInt8 } from "./quantize";

const TYPES: readonly CategoryType[] = ["role", "level", "industry"];

export interface ExportAnswer extends Labelled {
  protocol: ExportProtocol;
}

export interface ClassifyOptions {
  /** Answer every category type with this protocol instead of the one `jtlab classify` chose per type. */
  protocol?: ExportProtocol;
  /** Training titles returned with each neighbours answer (default 5, as `jtlab classify`). */
  evidence?: number;
}

/** Per class, the row range of its examples among the representative rows. */
interface RepresentativeType {
  classes: string[];
  spans: [number, number][];
  rows: Float32Array;
}

interface NeighbourType {
  candidates: Int32Array;
  classes: string[];
  classOf: Int32Array;
}

export class ExportClassifier {
  private readonly file: ClassifierFile;
  private readonly encoder: TitleEncoder;
  private readonly reps = {} as Record<CategoryType, RepresentativeType>;
  private readonly gate: TitleGate;
  private readonly neighbours?: { rows: Int8Rows; titles: string[]; labels: Record<LabelledType, (string | null)[]>; types: Record<LabelledType, NeighbourType> };
  private readonly heads?: Record<LabelledType, LinearProbe>;

  private constructor(
    readonly exported: ModelExport,
    private readonly tower: tf.LayersModel,
  ) {
    const c = (this.file = exported.classifier);
    this.encoder = encoderFromJSON(c.encoder);
    this.gate = new TitleGate(c.gateWords);
    let at = 0;
    for (const type of TYPES) {
      const spans: [number, number][] = [];
      const start = at;
      for (const titles of c.representatives.types[type].titles) {
        spans.push([at - start, at - start + titles.length]);
        at += titles.length;
      }
      this.reps[type] = { classes: c.representatives.types[type].classes, spans, rows: exported.representatives.subarray(start * c.dim, at * c.dim) };
    }
    if (at * c.dim !== exported.representatives.length) throw new Error(`representatives.f32 holds ${exported.representatives.length / c.dim} rows, classifier.json lists ${at} titles`);
    const n = exported.neighbours;
    if (n && c.protocols.neighbours) {
      const types = {} as Record<LabelledType, NeighbourType>;
      for (const type of ["role", "industry"] as const) types[type] = neighbourType(n[type]);
      this.neighbours = { rows: { n: n.titles.length, dim: c.dim, codes: n.codes, scales: n.scales }, titles: n.titles, labels: { role: n.role, industry: n.industry }, types };
    }
    if (exported.heads) this.heads = { role: linearProbeFromJSON(exported.heads.role as LinearProbeJSON), industry: linearProbeFromJSON(exported.heads.industry as LinearProbeJSON) };
  }

  /** Loads the tower from the export's model.json and weights (tf.loadLayersModel, from memory). */
  static async create(exported: ModelExport): Promise<ExportClassifier> {
    const m = exported.model;
    const tower = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: m.modelTopology, weightSpecs: m.weightSpecs as tf.io.WeightsManifestEntry[], weightData: m.weightData }));
    return new ExportClassifier(exported, tower);
  }

  /** The protocols this export can answer with. */
  get protocols(): ExportProtocol[] {
    return ["representatives", ...(this.neighbours ? ["neighbours" as const] : []), ...(this.heads && this.file.protocols.head ? ["head" as const] : [])];
  }

  /** The protocol each category type is answered with unless one is asked for. */
  get served(): Record<CategoryType, ExportProtocol> {
    return { ...this.file.served };
  }

  /** Role, level and industry of each title, as `jtlab classify --run` answers them. */
  async classify(titles: readonly string[], opts: ClassifyOptions = {}): Promise<Record<CategoryType, ExportAnswer>[]> {
    const out = titles.map(() => ({}) as Record<CategoryType, ExportAnswer>);
    for (const type of TYPES) {
      const protocol = opts.protocol ?? this.file.served[type];
      if (!this.protocols.includes(protocol)) throw new Error(`this export has no ${protocol} protocol (it has ${this.protocols.join(", ")})`);
      const answers = protocol === "representatives" ? await this.representatives(titles, type) : await this.calibrated(titles, type, protocol, opts.evidence ?? 5);
      answers.forEach((a, i) => (out[i][type] = { ...a, protocol }));
    }
    return out;
  }

  /** Tower rows of titles: row-major [titles × dim], as the trained model's encode gives them. */
  async encode(titles: readonly string[]): Promise<Float32Array> {
    const dim = this.file.dim;
    const out = new Float32Array(titles.length * dim);
    const L = this.encoder.maxLength;
    const batch = 1024;
    for (let from = 0; from < titles.length; from += batch) {
      const chunk = titles.slice(from, from + batch);
      const ids = this.encoder.encodeBatch(chunk);
      const inputs = this.file.inputs.length === 1 ? [tf.tensor2d(ids, [chunk.length, L], "int32")] : splitIds(ids, chunk.length, L, this.file.charLength);
      const y = this.tower.predict(inputs.length === 1 ? inputs[0] : inputs) as tf.Tensor;
      out.set((await y.data()) as Float32Array, from * dim);
      tf.dispose([...inputs, y]);
    }
    return out;
  }

  /** The trained model's similarity of every row of A to every row of B (merge + dense + sigmoid). */
  similarityMatrix(A: Float32Array, B: Float32Array): Float32Array {
    const dim = this.file.dim;
    const { merge, w, b } = this.file.similarity;
    const nA = A.length / dim;
    const nB = B.length / dim;
    const out = new Float32Array(nA * nB);
    const ua = merge === "cosine" ? unitRows(A, dim) : A;
    const ub = merge === "cosine" ? unitRows(B, dim) : B;
    for (let i = 0; i < nA; i++) {
      for (let k = 0; k < nB; k++) {
        let s = 0;
        for (let j = 0; j < dim; j++) {
          const x = ua[i * dim + j];
          const y = ub[k * dim + j];
          s += merge === "product" ? w[j] * x * y : merge === "absdiff" ? w[j] * Math.abs(x - y) : x * y;
        }
        out[i * nB + k] = sigmoid((merge === "cosine" ? w[0] * s : s) + b);
      }
    }
    return out;
  }

  /** The talk's rule (models/representatives/classifier.ts) on the raw titles. */
  private async representatives(titles: readonly string[], type: CategoryType): Promise<Labelled[]> {
    const rep = this.reps[type];
    const { aggregate, k, threshold } = this.file.representatives.settings;
    const sims = this.similarityMatrix(await this.encode(titles), rep.rows);
    const nReps = rep.rows.length / this.file.dim;
    return titles.map((t, i): Labelled => {
      if (normKey(t) === "") return { label: OTHER, score: 0, best: OTHER };
      const row = sims.subarray(i * nReps, (i + 1) * nReps);
      let best = 0;
      let bestScore = -Infinity;
      rep.spans.forEach((span, c) => {
        const s = aggregateSpan(row, span, aggregate, k);
        if (c === 0 || s > bestScore) [best, bestScore] = [c, s];
      });
      return { label: bestScore >= threshold ? rep.classes[best] : OTHER, score: bestScore, best: rep.classes[best] };
    });
  }

  /** The neighbours or head protocol (experiments/protocols.ts calibratedPredictor) on cleaned, gated titles. */
  private async calibrated(titles: readonly string[], type: CategoryType, protocol: ExportProtocol, evidence: number): Promise<Labelled[]> {
    const cleaned = titles.map((t) => cleanTitle(t));
    const reasons = cleaned.map((t) => this.gate.check(t));
    if (type === "level") {
      const answers = await this.representatives(cleaned.map((c, i) => c || titles[i]), type);
      return answers.map((a, i) => (reasons[i] !== null ? { label: OTHER, score: 0, best: OTHER, abstained: reasons[i]! } : a));
    }
    const open = cleaned.filter((_, i) => reasons[i] === null);
    const scored = open.length ? await this.scoreOpen(open, type, protocol, evidence) : [];
    const calibration = protocol === "neighbours" ? this.file.protocols.neighbours!.calibration[type] : this.file.protocols.head!.calibration[type];
    let j = 0;
    return titles.map((t, i): Labelled => {
      if (reasons[i] !== null) return { label: OTHER, score: 0, best: OTHER, abstained: reasons[i]!, evidence: protocol === "neighbours" && evidence ? [] : undefined };
      const b = scored[j++];
      const prob = calibratedProbability(calibration, b.score);
      const read = cleaned[i] !== t.trim() ? { cleaned: cleaned[i] } : {};
      return { label: prob >= this.file.operatingPoint ? b.label : OTHER, score: prob, best: b.label, evidence: b.evidence, ...read };
    });
  }

  /** The best class and its raw score per title, with the evidence the protocol gives. */
  private async scoreOpen(titles: string[], type: LabelledType, protocol: ExportProtocol, evidence: number): Promise<{ label: string; score: number; evidence?: Evidence[] }[]> {
    const dim = this.file.dim;
    const rows = unitRows(await this.encode(titles), dim);
    if (protocol === "head") {
      const head = this.heads![type];
      const P = head.predictProba(rows);
      const C = head.classes.length;
      return titles.map((_, i) => {
        let b = 0;
        for (let c = 1; c < C; c++) if (P[i * C + c] > P[i * C + b]) b = c;
        return { label: head.classes[b], score: P[i * C + b] };
      });
    }
    const nb = this.neighbours!;
    const settings = this.file.protocols.neighbours!.settings;
    const k = Math.max(settings.role.k, settings.industry.k, evidence);
    const t = nb.types[type];
    return titles.map((_, i) => {
      const hits = searchInt8(nb.rows, rows.subarray(i * dim, (i + 1) * dim), t.candidates, k);
      const scores = vote(hits.indices, hits.scores, t, settings[type]);
      let b = 0;
      for (let c = 1; c < t.classes.length; c++) if (scores[c] > scores[b]) b = c;
      const ev: Evidence[] | undefined = evidence > 0 ? [] : undefined;
      for (let j = 0; ev && j < Math.min(evidence, hits.indices.length); j++) {
        const p = hits.indices[j];
        if (p < 0) break;
        const r = t.candidates[p];
        ev.push({ title: nb.titles[r], label: nb.labels[type][r]!, similarity: Math.round(hits.scores[j] * 10000) / 10000 });
      }
      return { label: t.classes[b], score: scores[b], evidence: ev };
    });
  }

  dispose(): void {
    this.tower.dispose();
  }
}

/** The rows with a label of the type, and the type's classes (sorted, as NeighbourVoter has them). */
function neighbourType(labels: (string | null)[]): NeighbourType {
  const candidates: number[] = [];
  labels.forEach((l, r) => {
    if (l) candidates.push(r);
  });
  const classes = [...new Set(candidates.map((r) => labels[r]!))].sort();
  const id = new Map(classes.map((c, i) => [c, i]));
  return { candidates: Int32Array.from(candidates), classes, classOf: Int32Array.from(candidates, (r) => id.get(labels[r]!)!) };
}

/** models/neighbours/voter.ts's table for one title: vote shares times the mean similarity of the k nearest. */
function vote(indices: Int32Array, sims: Float32Array, t: NeighbourType, s: VoterSettingsJSON): Float32Array {
  const scores = new Float32Array(t.classes.length);
  const k = Math.min(s.k, indices.length);
  const tau = s.temperature ?? 0.05;
  let total = 0;
  let simSum = 0;
  let m = 0;
  for (let j = 0; j < k; j++) {
    const p = indices[j];
    if (p < 0) break;
    const sim = sims[j];
    const w = s.weighting === "uniform" ? 1 : s.weighting === "similarity" ? Math.max(sim, 0) : Math.exp((sim - 1) / tau);
    scores[t.classOf[p]] += w;
    total += w;
    simSum += Math.max(sim, 0);
    m++;
  }
  const closeness = m ? simSum / m : 0;
  if (total > 0) for (let c = 0; c < scores.length; c++) scores[c] = (scores[c] / total) * closeness;
  return scores;
}

/** A copy with each row scaled to length 1 (zero rows stay zero). */
function unitRows(X: Float32Array, dim: number): Float32Array {
  return normalizeRows(Float32Array.from(X), dim);
}

function splitIds(ids: Int32Array, n: number, L: number, lc: number): tf.Tensor[] {
  const chars = new Int32Array(n * lc);
  const words = new Int32Array(n * (L - lc));
  for (let i = 0; i < n; i++) {
    chars.set(ids.subarray(i * L, i * L + lc), i * lc);
    words.set(ids.subarray(i * L + lc, (i + 1) * L), i * (L - lc));
  }
  return [tf.tensor2d(chars, [n, lc], "int32"), tf.tensor2d(words, [n, L - lc], "int32")];
}
