// The protocols that turn any similarity method into labels beside the talk's representative examples: a vote of the
// nearest labelled training titles (neighbours), a linear softmax head on the method's frozen vectors (head), and a
// vote of several methods' probabilities (vote). Each one's settings are chosen on dev and its scores calibrated on
// dev, so that "Other" (below a calibrated 0.5) means the method more likely errs than not. Level has no labelled
// training titles beyond its gold set, so every protocol answers Level with the talk's pinned groups (or rules).
import { sameTitles } from "../util/same-titles";
import { CategoryType, Evidence, Labelled, OTHER, ParamValue, Predictor, Protocol, ScoreTable, SimilarityModel } from "../core/types";
import { Datasets } from "../datasets/build";
import { LabelledTitle } from "../datasets/labelled";
import { TitleGate } from "../models/abstain/gate";
import { normalizeRows } from "../models/representatives/similarity";
import { cleanTitle } from "../text/clean";
import { LinearProbe, linearProbeFromJSON, LinearProbeJSON, trainLinearProbe } from "../models/heads/linear-probe";
import { buildIndex, denseRows, encodeTitles, Hits, TitleRows } from "../models/neighbours/vector-index";
import { argmaxLabels, NeighbourVoter, VoterSettings, voterGrid } from "../models/neighbours/voter";
import { Calibrator, calibratorFromJSON, CalibratorJSON, fitCalibrator } from "../eval/calibration";
import { classificationReport } from "../eval/classification";

export type LabelledType = "role" | "industry";
export const LABELLED_TYPES: readonly LabelledType[] = ["role", "industry"];

/** Per-class scores of titles for a category type with labelled training titles, with up to `evidence` neighbours each. */
export type ClassScorer = (titles: readonly string[], type: LabelledType, evidence: number) => Promise<ScoreTable>;

/** What a run records about a protocol, enough to rebuild its predictor from the run's model. */
export interface ProtocolRecord {
  protocol: Protocol;
  settings: Record<string, ParamValue>;
  calibration: Partial<Record<LabelledType, CalibratorJSON>>;
}

export interface ProtocolPredictor extends Predictor {
  record: ProtocolRecord;
  scorer: ClassScorer;
  /** Neighbours (or examples) returned with each answer; 0 while evaluating, for speed. */
  evidence: number;
}

/** Calibrated probability at or above which a class is answered; below it the answer is Other. */
export const OPERATING_POINT = 0.5;

/** Training titles with a label for the category type, and their labels. */
export function labelledRows(titles: readonly LabelledTitle[], type: LabelledType): { ids: number[]; titles: string[]; labels: string[] } {
  const ids: number[] = [];
  titles.forEach((t, i) => {
    if (t[type]) ids.push(i);
  });
  return { ids, titles: ids.map((i) => titles[i].title), labels: ids.map((i) => titles[i][type]!) };
}

/** A gate of the training titles' words, shared by every protocol of a run. */
export function trainingGate(d: Datasets): TitleGate {
  return new TitleGate(d.train.map((t) => t.title));
}

/**
 * The scorer's best class and a calibrated probability per title; titles the gate refuses, and titles whose
 * probability is under the operating point, are Other. Level goes to `level`.
 */
export function calibratedPredictor(
  name: string,
  record: ProtocolRecord,
  scorer: ClassScorer,
  calibrators: Record<LabelledType, Calibrator>,
  gate: TitleGate,
  level: Predictor,
): ProtocolPredictor {
  // Titles as people type them ("Sr. SWE @ Acme - Boston, MA") are read as the clean titles the labels hold. The
  // last batch is remembered: role, level and industry of one batch are asked one after the other.
  let last: { titles: readonly string[]; cleaned: string[]; reasons: (string | null)[] } | null = null;
  const prepare = (titles: readonly string[]): { cleaned: string[]; reasons: (string | null)[] } => {
    if (!last || !sameTitles(last.titles, titles)) {
      const cleaned = titles.map((t) => cleanTitle(t));
      last = { titles: titles.slice(), cleaned, reasons: cleaned.map((t) => gate.check(t)) };
    }
    return last;
  };
  const p: ProtocolPredictor = {
    name,
    record,
    scorer,
    evidence: 0,
    calibrated: true,
    async predict(titles, type: CategoryType): Promise<Labelled[]> {
      const { cleaned, reasons } = prepare(titles);
      if (type === "level") {
        // A title no class can be given is Other for Level too, whatever the rules or pinned groups would match.
        const answers = await level.predict(cleaned.map((c, i) => c || titles[i]), type);
        return answers.map((a, i) => (reasons[i] !== null ? { label: OTHER, score: 0, best: OTHER, abstained: reasons[i]! } : a));
      }
      const open = cleaned.filter((_, i) => reasons[i] === null);
      const table = open.length ? await scorer(open, type, p.evidence) : null;
      const best = table ? argmaxLabels(table) : [];
      let j = 0;
      return titles.map((_, i): Labelled => {
        if (reasons[i] !== null) return { label: OTHER, score: 0, best: OTHER, abstained: reasons[i]!, evidence: p.evidence ? [] : undefined };
        const b = best[j];
        const ev: Evidence[] | undefined = table!.evidence?.[j];
        j++;
        const prob = calibrators[type].apply(b.score);
        const read = cleaned[i] !== titles[i].trim() ? { cleaned: cleaned[i] } : {};
        return { label: prob >= OPERATING_POINT ? b.label : OTHER, score: prob, best: b.label, evidence: ev, ...read };
      });
    },
  };
  return p;
}

function devItems(d: Datasets, type: LabelledType): { titles: string[]; gold: string[] } {
  const items = d.dev.filter((t) => t[type] !== null);
  return { titles: items.map((t) => t.title), gold: items.map((t) => t[type]!) };
}

/** Calibrators fitted on dev: the raw top score against whether the top class is right. */
export async function fitCalibrators(scorer: ClassScorer, d: Datasets): Promise<Record<LabelledType, Calibrator>> {
  const out = {} as Record<LabelledType, Calibrator>;
  for (const type of LABELLED_TYPES) {
    const { titles, gold } = devItems(d, type);
    const best = argmaxLabels(await scorer(titles, type, 0));
    out[type] = fitCalibrator("isotonic", best.map((b) => b.score), best.map((b, i) => b.label === gold[i]));
  }
  return out;
}

function calibratorsFrom(record: ProtocolRecord): Record<LabelledType, Calibrator> {
  const out = {} as Record<LabelledType, Calibrator>;
  for (const type of LABELLED_TYPES) {
    const c = record.calibration[type];
    if (!c) throw new Error(`protocol ${record.protocol}: the run records no calibration for ${type}`);
    out[type] = calibratorFromJSON(c);
  }
  return out;
}

export interface ProtocolOptions {
  /** The method's name in tables ("siamese-char"); the protocol is added. */
  name: string;
  /** How the protocol answers Level (the talk's pinned groups or the rules). */
  level: Predictor;
  gate?: TitleGate;
  /** The training titles already encoded by the model (shared by neighbours and head). */
  rows?: TitleRows;
  log?: (line: string) => void;
  threads?: number;
}


/**
 * The model's encode, remembering its last answer: the three category types of one batch (classify, score) are
 * asked with the same array of titles, which is then encoded once.
 */
export function encodeOnce(model: SimilarityModel): (titles: readonly string[]) => Promise<Float32Array> {
  let last: { titles: readonly string[]; n: number; rows: Promise<Float32Array> } | null = null;
  return (titles) => {
    if (!last || !sameTitles(last.titles, titles)) last = { titles: titles.slice(), n: titles.length, rows: model.encode(titles) };
    return last.rows;
  };
}

/** The training titles encoded once by a model, for its neighbours and head protocols. */
export function encodeTraining(model: SimilarityModel, d: Datasets): Promise<TitleRows> {
  return encodeTitles(model, d.train.map((t) => t.title));
}

/**
 * The neighbours protocol for a similarity model: every labelled training title indexed; k and the weighting chosen
 * on dev by macro-F1 (then accuracy, then the smaller k), unless `settings` (from a run's record) are given.
 */
export async function neighboursProtocol(
  model: SimilarityModel,
  d: Datasets,
  opts: ProtocolOptions & { record?: ProtocolRecord },
): Promise<ProtocolPredictor> {
  const rows = opts.rows ?? (await encodeTraining(model, d));
  const gate = opts.gate ?? trainingGate(d);
  const voters = {} as Record<LabelledType, NeighbourVoter>;
  // Row r of the training titles is row typeRow[type][r] of that type's voter (-1: no label of that type).
  const typeRow = {} as Record<LabelledType, Int32Array>;
  for (const type of LABELLED_TYPES) {
    const l = labelledRows(d.train, type);
    voters[type] = new NeighbourVoter(buildIndex(rows, l.ids, { threads: opts.threads }), l.titles, l.labels);
    typeRow[type] = new Int32Array(rows.n).fill(-1);
    l.ids.forEach((r, i) => (typeRow[type][r] = i));
  }
  // One search over every training title serves both category types: the first k titles of a type's own search are
  // the first k of that type among the shared hits, which hold k + SLACK titles; a title whose shared hits hold
  // fewer than k of the type (rare: 4–6% of the titles lack one label) is searched again in the type's own index.
  const SLACK = 16;
  const shared = buildIndex(rows, undefined, { threads: opts.threads });
  let lastShared: { titles: readonly string[]; k: number; hits: Promise<Hits> } | null = null;
  const sharedHits = (titles: readonly string[], queries: Float32Array, k: number): Promise<Hits> => {
    if (!lastShared || lastShared.k < k || !sameTitles(lastShared.titles, titles)) lastShared = { titles: titles.slice(), k, hits: shared.search(queries, k + SLACK) };
    return lastShared.hits;
  };
  const searchType = async (titles: readonly string[], queries: Float32Array, type: LabelledType, k: number): Promise<Hits> => {
    const all = await sharedHits(titles, queries, k);
    const nq = titles.length;
    const indices = new Int32Array(nq * k).fill(-1);
    const scores = new Float32Array(nq * k);
    const again: number[] = [];
    for (let q = 0; q < nq; q++) {
      let m = 0;
      for (let j = 0; j < all.k && m < k; j++) {
        const r = all.indices[q * all.k + j];
        if (r < 0) break;
        const tr = typeRow[type][r];
        if (tr < 0) continue;
        indices[q * k + m] = tr;
        scores[q * k + m] = all.scores[q * all.k + j];
        m++;
      }
      if (m < k && all.indices[q * all.k + all.k - 1] >= 0) again.push(q);
    }
    if (again.length) {
      const dim = rows.dim;
      const sub = new Float32Array(again.length * dim);
      again.forEach((q, i) => sub.set(queries.subarray(q * dim, (q + 1) * dim), i * dim));
      const h = await voters[type].search(sub, k);
      again.forEach((q, i) => {
        indices.set(h.indices.subarray(i * k, (i + 1) * k), q * k);
        scores.set(h.scores.subarray(i * k, (i + 1) * k), q * k);
      });
    }
    return { k, indices, scores };
  };
  const chosen = {} as Record<LabelledType, VoterSettings>;
  let calibrators: Record<LabelledType, Calibrator>;
  if (opts.record) {
    for (const type of LABELLED_TYPES) chosen[type] = opts.record.settings[type] as unknown as VoterSettings;
    calibrators = calibratorsFrom(opts.record);
  } else {
    calibrators = {} as Record<LabelledType, Calibrator>;
    for (const type of LABELLED_TYPES) {
      const { titles, gold } = devItems(d, type);
      // One search of dev at the largest k serves every setting tried and the calibration of the chosen one.
      const hits = await voters[type].search(await model.encode(titles), 50);
      let best: { s: VoterSettings; f1: number; acc: number } | null = null;
      for (const s of voterGrid(50)) {
        const r = classificationReport(gold, argmaxLabels(voters[type].table(hits, s)).map((b) => b.label));
        if (!best || r.macroF1 > best.f1 + 1e-12 || (Math.abs(r.macroF1 - best.f1) <= 1e-12 && r.accuracy > best.acc)) best = { s, f1: r.macroF1, acc: r.accuracy };
      }
      chosen[type] = best!.s;
      const top = argmaxLabels(voters[type].table(hits, best!.s));
      calibrators[type] = fitCalibrator("isotonic", top.map((b) => b.score), top.map((b, i) => b.label === gold[i]));
      opts.log?.(`${opts.name} neighbours ${type}: k=${best!.s.k} ${best!.s.weighting}${best!.s.temperature ? ` τ=${best!.s.temperature}` : ""} (dev macro-F1 ${best!.f1.toFixed(3)}, accuracy ${best!.acc.toFixed(3)})`);
    }
  }
  const kmax = Math.max(chosen.role.k, chosen.industry.k);
  const encode = encodeOnce(model);
  const scorer: ClassScorer = async (titles, type, evidence) => {
    const k = Math.max(kmax, evidence);
    return voters[type].table(await searchType(titles, await encode(titles), type, k), chosen[type], evidence);
  };
  const record: ProtocolRecord = {
    protocol: "neighbours",
    settings: { role: { ...chosen.role }, industry: { ...chosen.industry }, rows: rows.n, index: rows.dense ? "dense exact" : "sparse postings" },
    calibration: { role: calibrators.role.toJSON(), industry: calibrators.industry.toJSON() },
  };
  return calibratedPredictor(`${opts.name} · neighbours`, record, scorer, calibrators, gate, opts.level);
}

export interface HeadPredictor extends ProtocolPredictor {
  heads: Record<LabelledType, LinearProbe>;
}

/** A linear softmax head per category type on the model's frozen title vectors (a linear probe), seeded. */
export async function headProtocol(
  model: SimilarityModel,
  d: Datasets,
  opts: ProtocolOptions & { seed?: number; epochs?: number; record?: ProtocolRecord; heads?: Record<LabelledType, LinearProbeJSON> },
): Promise<HeadPredictor> {
  const gate = opts.gate ?? trainingGate(d);
  const seed = opts.seed ?? 1;
  const epochs = opts.epochs ?? 10;
  const heads = {} as Record<LabelledType, LinearProbe>;
  if (opts.heads) for (const type of LABELLED_TYPES) heads[type] = linearProbeFromJSON(opts.heads[type]);
  else {
    const rows = opts.rows ?? (await encodeTraining(model, d));
    for (const type of LABELLED_TYPES) {
      const l = labelledRows(d.train, type);
      const classes = [...new Set(l.labels)].sort();
      const t0 = performance.now();
      heads[type] = trainLinearProbe(denseRows(rows, l.ids), rows.dim, l.labels, classes, { seed, epochs });
      opts.log?.(`${opts.name} head ${type}: trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  const encode = encodeOnce(model);
  const scorer: ClassScorer = async (titles, type) => {
    // The probe saw unit rows in training (encodeTitles normalizes), so queries are normalized the same way.
    const X = normalizeRows(Float32Array.from(await encode(titles)), model.dim);
    return { classes: [...heads[type].classes], scores: heads[type].predictProba(X) };
  };
  const calibrators = opts.record ? calibratorsFrom(opts.record) : await fitCalibrators(scorer, d);
  const record: ProtocolRecord = {
    protocol: "head",
    settings: { kind: "linear softmax (probe)", seed, epochs },
    calibration: { role: calibrators.role.toJSON(), industry: calibrators.industry.toJSON() },
  };
  return { ...calibratedPredictor(`${opts.name} · head`, record, scorer, calibrators, gate, opts.level), heads };
}

/** A scorer that already gives probabilities (fastText's softmax) as a calibrated protocol. */
export async function probabilityProtocol(
  protocol: Protocol,
  scorer: ClassScorer,
  d: Datasets,
  opts: { name: string; level: Predictor; gate?: TitleGate; settings?: Record<string, ParamValue>; record?: ProtocolRecord },
): Promise<ProtocolPredictor> {
  const calibrators = opts.record ? calibratorsFrom(opts.record) : await fitCalibrators(scorer, d);
  const record: ProtocolRecord = {
    protocol,
    settings: opts.settings ?? {},
    calibration: { role: calibrators.role.toJSON(), industry: calibrators.industry.toJSON() },
  };
  return calibratedPredictor(opts.name, record, scorer, calibrators, opts.gate ?? trainingGate(d), opts.level);
}

/**
 * A vote of several protocols: their class scores, each row scaled to sum to 1, averaged with weights. Evidence
 * comes from the first member that gives any.
 */
export function voteScorer(members: { scorer: ClassScorer; weight: number }[]): ClassScorer {
  return async (titles, type, evidence) => {
    const tables = await Promise.all(members.map((m) => m.scorer(titles, type, evidence)));
    const classes = [...new Set(tables.flatMap((t) => t.classes))].sort();
    const C = classes.length;
    const col = new Map(classes.map((c, i) => [c, i]));
    const scores = new Float32Array(titles.length * C);
    const wsum = members.reduce((a, m) => a + m.weight, 0);
    tables.forEach((t, m) => {
      const tc = t.classes.length;
      for (let i = 0; i < titles.length; i++) {
        let z = 0;
        for (let c = 0; c < tc; c++) z += Math.max(t.scores[i * tc + c], 0);
        if (z <= 0) continue;
        for (let c = 0; c < tc; c++) scores[i * C + col.get(t.classes[c])!] += (members[m].weight / wsum) * (Math.max(t.scores[i * tc + c], 0) / z);
      }
    });
    return { classes, scores, evidence: tables.find((t) => t.evidence)?.evidence };
  };
}

/**
 * Scores divided by each class's training share to the power alpha, rows rescaled to sum to 1 (logit adjustment,
 * Menon et al. 2021): alpha 0 leaves the scores as they are; larger alphas trade some accuracy on big classes for
 * recall on small ones, which macro-F1 rewards. The alpha is chosen on dev.
 */
export function priorAdjusted(scorer: ClassScorer, shares: Record<LabelledType, Map<string, number>>, alpha: Record<LabelledType, number>): ClassScorer {
  return async (titles, type, evidence) => {
    const t = await scorer(titles, type, evidence);
    const a = alpha[type];
    if (a === 0) return t;
    const C = t.classes.length;
    const factor = t.classes.map((c) => Math.pow(Math.max(shares[type].get(c) ?? 0, 1e-6), -a));
    const scores = new Float32Array(t.scores.length);
    for (let i = 0; i < titles.length; i++) {
      let z = 0;
      for (let c = 0; c < C; c++) z += (scores[i * C + c] = t.scores[i * C + c] * factor[c]);
      if (z > 0) for (let c = 0; c < C; c++) scores[i * C + c] /= z;
    }
    return { ...t, scores };
  };
}

/** Each class's share of the labelled training titles of a category type. */
export function trainingShares(d: Datasets): Record<LabelledType, Map<string, number>> {
  const out = {} as Record<LabelledType, Map<string, number>>;
  for (const type of LABELLED_TYPES) {
    const { labels } = labelledRows(d.train, type);
    const m = new Map<string, number>();
    for (const l of labels) m.set(l, (m.get(l) ?? 0) + 1);
    for (const [k, v] of m) m.set(k, v / labels.length);
    out[type] = m;
  }
  return out;
}
