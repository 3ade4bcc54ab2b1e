// What a run records as its metrics, as one typed schema: written here from evaluation and ranking results, and read
// back through the accessors below by the comparison report, notebook 06 and `jtlab exp compare`, so that no reader
// spells a metric's name as a string or casts what it reads.
import type { EpochRecord } from "../models/siamese/train";
import { CategoryType, CATEGORY_TYPES } from "../core/types";
import { CoveragePoint } from "../eval/classification";
import { MessyMetrics } from "../eval/messy";

export type { MessyMetrics };

export type Split = "dev" | "test";
export const SPLITS: readonly Split[] = ["dev", "test"];

/** One category type evaluated on one split. The optional parts are missing only from records of the first schema. */
export interface TypeMetrics {
  n?: number;
  /** Counting "Other" (below the threshold) as a prediction. */
  accuracy: number;
  macroF1: number;
  /** Share of titles given a class other than Other. */
  coverage: number;
  /** Accuracy of the best class ignoring the threshold. */
  accuracyFullCoverage?: number;
  /** Macro-F1 of the best class ignoring the threshold. */
  macroF1FullCoverage?: number;
  /** Coverage and accuracy on covered titles as the threshold sweeps. */
  curve?: CoveragePoint[];
  confusion?: { labels: string[]; matrix: number[][] };
  /** F1 and gold support of each gold class. */
  perClass?: { label: string; f1: number; support: number }[];
  /** Calibration of the scores (protocols whose scores are probabilities): 10 bins of the best class's probability. */
  reliability?: { lo: number; hi: number; count: number; meanProb: number; accuracy: number }[];
  /** Expected calibration error of those bins. */
  ece?: number;
}

export interface GoldenFailure {
  title: string;
  type: string;
  expect: string;
  label: string;
  got: string;
}

/** The shared suite on one split: role and industry on the split, Level on the gold half of the same name. */
export interface SplitMetrics {
  levelGold: Split;
  role: TypeMetrics;
  industry: TypeMetrics;
  /** Null for methods that do not predict Level (LDA). */
  level: TypeMetrics | null;
  golden: { passed: number; total: number; failures: GoldenFailure[] };
}

/** A ranking benchmark (MELO), scored like trec_eval. */
export interface RankingScores {
  map: number;
  mrr: number;
  p5: number;
  r10: number;
  ndcg10: number;
  seconds: number;
}

export type ThroughputUnit = "words/s" | "pairs/s" | "token-samples/s" | "examples/s";

/** One epoch of a training history, as the Siamese trainer records it. */
export type EpochLog = EpochRecord;

export interface TrainingMetrics {
  seconds: number;
  throughput: number;
  unit: ThroughputUnit;
  bestEpoch?: number;
  history?: EpochLog[];
}

/** One protocol of a method (neighbours, head, ...) evaluated like the method's own row, with what it chose on dev. */
export interface ProtocolMetrics {
  dev: SplitMetrics;
  test: SplitMetrics;
  messy?: MessyMetrics;
  settings: Record<string, unknown>;
  calibration?: Record<string, unknown>;
}

export interface RunMetrics {
  /** The protocol of the top-level dev/test rows ("representatives" for the talk's rule); absent in older records. */
  protocol?: string;
  dev?: SplitMetrics;
  test?: SplitMetrics;
  messy?: MessyMetrics;
  /** The method under other protocols, each evaluated on the same splits. */
  protocols?: Record<string, ProtocolMetrics>;
  melo?: RankingScores;
  /** The same ranking on the dev split's MELO-shaped task (src/datasets/dev-ranking.ts): what settings are chosen on. */
  devRanking?: RankingScores;
  /** The method's scores averaged with char TF-IDF's (fixed equal weights). */
  meloFusion?: RankingScores;
  training?: TrainingMetrics;
  /** Figures only one method has (e.g. LDA's speed against the npm package), named where they are recorded. */
  extra?: Record<string, number | string>;
}

export type TypeStat = "accuracy" | "macroF1" | "coverage" | "accuracyFullCoverage" | "macroF1FullCoverage";

/** One figure of one category type on one split, or null when the run has none. */
export function typeStat(m: RunMetrics, split: Split, type: CategoryType, stat: TypeStat): number | null {
  return typeOf(m, split, type)?.[stat] ?? null;
}

export function typeOf(m: RunMetrics, split: Split, type: CategoryType): TypeMetrics | null {
  return m[split]?.[type] ?? null;
}

/**
 * Every scalar of a run's metrics under a dotted name ("test.role.accuracy", "melo.mrr", "training.throughput",
 * "extra.npm_lda_speedup"): the columns `jtlab exp compare` and the runs table offer. Curves, matrices and lists are
 * left out.
 */
export function scalarMetrics(m: RunMetrics): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  const splits = (prefix: string, sm: Partial<Record<Split, SplitMetrics>>, messy?: MessyMetrics): void => {
    for (const split of SPLITS) {
      const s = sm[split];
      if (!s) continue;
      for (const type of CATEGORY_TYPES) {
        const t = s[type];
        if (!t) continue;
        for (const stat of ["accuracy", "macroF1", "coverage", "accuracyFullCoverage", "macroF1FullCoverage", "ece"] as const) {
          const v = t[stat];
          if (v !== undefined) out[`${prefix}${split}.${type}.${stat}`] = v;
        }
      }
      out[`${prefix}${split}.golden.passed`] = s.golden.passed;
      out[`${prefix}${split}.golden.total`] = s.golden.total;
    }
    if (messy) for (const k of ["role", "industry", "level", "otherWhenExpected"] as const) out[`${prefix}messy.${k}`] = messy[k];
  };
  splits("", m, m.messy);
  for (const [p, pm] of Object.entries(m.protocols ?? {})) splits(`protocols.${p}.`, pm, pm.messy);
  for (const key of ["melo", "meloFusion", "devRanking"] as const) {
    const r = m[key];
    if (r) for (const stat of ["map", "mrr", "p5", "r10", "ndcg10", "seconds"] as const) out[`${key}.${stat}`] = r[stat];
  }
  if (m.training) {
    out["training.seconds"] = m.training.seconds;
    out["training.throughput"] = m.training.throughput;
    out["training.unit"] = m.training.unit;
    if (m.training.bestEpoch !== undefined) out["training.bestEpoch"] = m.training.bestEpoch;
  }
  for (const [k, v] of Object.entries(m.extra ?? {})) out[`extra.${k}`] = v;
  return out;
}

/** Merges metrics recorded in steps: later sections replace earlier ones, `extra` accumulates. */
export function mergeMetrics(a: RunMetrics, b: RunMetrics): RunMetrics {
  const out: RunMetrics = { ...a, ...b };
  if (a.extra || b.extra) out.extra = { ...a.extra, ...b.extra };
  return out;
}

/**
 * Metrics of a record written before the typed schema (flat names such as role_test_accuracy, curve_role_test,
 * melo_mrr), in today's shape, so that runs made by earlier versions still list, compare and report. Names that
 * map to nothing here are kept under `extra` when they are scalars.
 */
export function fromLegacyMetrics(flat: Record<string, unknown> = {}): RunMetrics {
  const used = new Set<string>();
  const num = (k: string): number | undefined => {
    if (typeof flat[k] !== "number") return undefined;
    used.add(k);
    return flat[k] as number;
  };
  const any = <T>(k: string): T | undefined => {
    if (flat[k] === undefined) return undefined;
    used.add(k);
    return flat[k] as T;
  };
  const m: RunMetrics = {};
  for (const split of SPLITS) {
    const type = (prefix: string, curveKey: string, confusionKey?: string): TypeMetrics | null => {
      const accuracy = num(`${prefix}_accuracy`);
      const macroF1 = num(`${prefix}_macro_f1`);
      if (accuracy === undefined || macroF1 === undefined) return null;
      return {
        accuracy,
        macroF1,
        coverage: num(`${prefix}_coverage`) ?? 1,
        accuracyFullCoverage: num(`${prefix}_accuracy_full_coverage`),
        curve: any<CoveragePoint[]>(curveKey),
        confusion: confusionKey ? any<{ labels: string[]; matrix: number[][] }>(confusionKey) : undefined,
      };
    };
    const role = type(`role_${split}`, `curve_role_${split}`, `confusion_role_${split}`);
    const industry = type(`industry_${split}`, `curve_industry_${split}`);
    if (!role || !industry) continue;
    m[split] = {
      levelGold: split,
      role,
      industry,
      level: type(`level_gold_${split}`, `curve_level_${split}`),
      golden: { passed: num("golden_passed") ?? 0, total: num("golden_total") ?? 0, failures: any<GoldenFailure[]>(`golden_failures_${split}`) ?? [] },
    };
  }
  // Level figures recorded for the other gold half (the heuristic's level on gold dev beside role on test).
  for (const split of SPLITS) {
    const other = m[split === "dev" ? "test" : "dev"];
    if (m[split] || !other || num(`level_gold_${split}_accuracy`) === undefined) continue;
    other.level ??= { accuracy: num(`level_gold_${split}_accuracy`)!, macroF1: num(`level_gold_${split}_macro_f1`) ?? 0, coverage: 1, curve: any(`curve_level_${split}`) };
  }
  const ranking = (prefix: string): RankingScores | undefined => {
    const mrr = num(`${prefix}_mrr`);
    if (mrr === undefined) return undefined;
    return { map: num(`${prefix}_map`) ?? 0, mrr, p5: num(`${prefix}_p5`) ?? 0, r10: num(`${prefix}_r10`) ?? 0, ndcg10: num(`${prefix}_ndcg10`) ?? 0, seconds: num(`${prefix}_seconds`) ?? 0 };
  };
  m.melo = ranking("melo");
  m.meloFusion = ranking("melo_fusion");
  const speeds: [string, ThroughputUnit][] = [["words_per_second", "words/s"], ["train_pairs_per_second", "pairs/s"], ["token_samples_per_second", "token-samples/s"]];
  for (const [k, unit] of speeds) {
    const v = num(k);
    if (v !== undefined) m.training = { seconds: num("train_seconds") ?? 0, throughput: v, unit, bestEpoch: num("best_epoch"), history: any<EpochLog[]>("history") };
  }
  const extra: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(flat)) if (!used.has(k) && (typeof v === "number" || typeof v === "string")) extra[k] = v;
  if (Object.keys(extra).length) m.extra = extra;
  for (const k of Object.keys(m) as (keyof RunMetrics)[]) if (m[k] === undefined) delete m[k];
  return m;
}

/** A JSON object (not null, not an array). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * The first place a run's metrics depart from the schema above (a dotted path and what was expected), or null. The
 * registry refuses such a record by name, so that every reader can trust the types it reads.
 */
export function metricsProblem(m: unknown): string | null {
  const isObj = isPlainObject;
  const num = (x: unknown): boolean => typeof x === "number";
  const want = (path: string, ok: boolean, what: string): string | null => (ok ? null : `${path} must be ${what}`);
  const first = (...problems: (string | null)[]): string | null => problems.find((p) => p !== null) ?? null;
  const typeProblem = (p: string, t: unknown): string | null => {
    if (!isObj(t)) return `${p} must be an object`;
    return first(
      ...(["accuracy", "macroF1", "coverage"] as const).map((k) => want(`${p}.${k}`, num(t[k]), "a number")),
      ...(["n", "accuracyFullCoverage", "macroF1FullCoverage", "ece"] as const).map((k) => want(`${p}.${k}`, t[k] === undefined || num(t[k]), "a number")),
      ...(["curve", "perClass", "reliability"] as const).map((k) => want(`${p}.${k}`, t[k] === undefined || Array.isArray(t[k]), "an array")),
      want(`${p}.confusion`, t.confusion === undefined || (isObj(t.confusion) && Array.isArray(t.confusion.labels) && Array.isArray(t.confusion.matrix)), "{ labels, matrix }"),
    );
  };
  const splitProblem = (p: string, s: unknown): string | null => {
    if (!isObj(s)) return `${p} must be an object`;
    const g = s.golden;
    return first(
      typeProblem(`${p}.role`, s.role),
      typeProblem(`${p}.industry`, s.industry),
      s.level === null || s.level === undefined ? null : typeProblem(`${p}.level`, s.level),
      want(`${p}.golden`, isObj(g) && num(g.passed) && num(g.total) && (g.failures === undefined || Array.isArray(g.failures)), "{ passed, total, failures }"),
    );
  };
  const rankingProblem = (p: string, r: unknown): string | null =>
    !isObj(r) ? `${p} must be an object` : first(...(["map", "mrr", "p5", "r10", "ndcg10", "seconds"] as const).map((k) => want(`${p}.${k}`, num(r[k]), "a number")));
  if (!isObj(m)) return "metrics must be an object";
  return first(
    want("metrics.protocol", m.protocol === undefined || typeof m.protocol === "string", "a string"),
    ...SPLITS.map((s) => (m[s] === undefined ? null : splitProblem(`metrics.${s}`, m[s]))),
    want("metrics.messy", m.messy === undefined || isObj(m.messy), "an object"),
    ...(["melo", "devRanking", "meloFusion"] as const).map((k) => (m[k] === undefined ? null : rankingProblem(`metrics.${k}`, m[k]))),
    m.protocols === undefined
      ? null
      : !isObj(m.protocols)
        ? "metrics.protocols must be an object"
        : first(
            ...Object.entries(m.protocols).map(([name, pm]) =>
              !isObj(pm)
                ? `metrics.protocols.${name} must be an object`
                : first(
                    splitProblem(`metrics.protocols.${name}.dev`, pm.dev),
                    splitProblem(`metrics.protocols.${name}.test`, pm.test),
                    want(`metrics.protocols.${name}.settings`, pm.settings === undefined || isObj(pm.settings), "an object"),
                    want(`metrics.protocols.${name}.calibration`, pm.calibration === undefined || isObj(pm.calibration), "an object"),
                    want(`metrics.protocols.${name}.messy`, pm.messy === undefined || isObj(pm.messy), "an object"),
                  ),
            ),
          ),
    m.training === undefined
      ? null
      : !isObj(m.training)
        ? "metrics.training must be an object"
        : first(
            want("metrics.training.seconds", num(m.training.seconds), "a number"),
            want("metrics.training.throughput", num(m.training.throughput), "a number"),
            want("metrics.training.unit", typeof m.training.unit === "string", "a string"),
            want("metrics.training.bestEpoch", m.training.bestEpoch === undefined || num(m.training.bestEpoch), "a number"),
            want("metrics.training.history", m.training.history === undefined || (Array.isArray(m.training.history) && m.training.history.every(isObj)), "an array of epochs"),
          ),
    m.extra === undefined ? null : want("metrics.extra", isObj(m.extra) && Object.values(m.extra).every((v) => typeof v === "number" || typeof v === "string"), "an object of numbers and strings"),
  );
}
