// What each lever of the Siamese model does, and where it goes wrong: notebook 04's ablation and error analysis.
//
// Ablation: the configuration is trained again with one lever turned off at a time, and each model is measured the
// way the registry measures the full one — MRR on the dev split's MELO-shaped ranking task, dev macro-F1 under the
// neighbours protocol (k and weighting tuned on dev), MELO MRR and MAP, and the invariance suite. Dev decides; MELO
// and the suite are reported, never tuned on.
//
// Errors: the dev titles whose nearest labelled training title has another Role, most similar first (the pairs the
// model is most sure of and most wrong about), and the invariance pairs it fails worst.
import { ParamValue, Predictor, RankingMethod, SimilarityModel } from "../core/types";
import { loadMelo, RankingBenchmark } from "../data/melo";
import { Datasets } from "../datasets/build";
import { InvariancePair, loadInvariances } from "../datasets/invariances";
import { devRankingBenchmark } from "../datasets/dev-ranking";
import { evaluateInvariances } from "../eval/invariances";
import { runRanking } from "../eval/ranking-run";
import { evaluateSuite } from "../eval/suite";
import { heuristicPredictor, HeuristicClassifier } from "../models/heuristic/classifier";
import { TitleGate } from "../models/abstain/gate";
import { buildIndex } from "../models/neighbours/vector-index";
import { SiameseRunConfig, withOverrides } from "../models/siamese/config";
import { siameseRanking } from "../models/siamese/ranking";
import { fitSiamese } from "./methods";
import { encodeTraining, neighboursProtocol, trainingGate } from "./protocols";

export interface Lever {
  /** What is turned off. */
  name: string;
  overrides: Record<string, ParamValue>;
}

/** The levers of issue 13, each as the overrides that turn it off. */
export const SIAMESE_LEVERS: readonly Lever[] = [
  { name: "word branch (characters only)", overrides: { variant: "char" } },
  { name: "word2vec start (random word embedding)", overrides: { pretrained: false } },
  { name: "augmentation", overrides: { augmentShare: 0 } },
  { name: "mined hard negatives", overrides: { mineShare: 0 } },
  { name: "O*NET and ONS positives (the talk's same-person pairs only)", overrides: { occupationShare: 0, occupationTitleShare: 0, onsShare: 0 } },
];

export interface SimilarityScore {
  /** MRR on the dev split's MELO-shaped ranking task (src/datasets/dev-ranking.ts). */
  devRankingMrr: number;
  devRoleMacroF1: number;
  devIndustryMacroF1: number;
  meloMrr: number;
  meloMap: number;
  invarianceSimilar: number;
  invarianceAuc: number;
}

export interface AblationRow extends SimilarityScore {
  lever: string;
  trainSeconds: number;
}

/** What every row is measured against, loaded once for the whole ablation. */
interface Yardsticks {
  level: Predictor;
  gate: TitleGate;
  devRanking: RankingBenchmark;
  melo: RankingBenchmark;
  invariances: readonly InvariancePair[];
}

function yardsticks(d: Datasets): Yardsticks {
  return {
    // Level is not what these levers change: the talk's rules answer it, the same for every row.
    level: heuristicPredictor(new HeuristicClassifier({ ruleSet: "priority", trainingTitles: d.train.map((t) => t.title) })),
    gate: trainingGate(d),
    devRanking: devRankingBenchmark(d),
    melo: loadMelo(),
    invariances: loadInvariances(),
  };
}

/** A similarity model measured as the ablation measures it (see the module comment). */
async function scoreSimilarity(sim: SimilarityModel, d: Datasets, ranking: RankingMethod, y: Yardsticks): Promise<SimilarityScore> {
  const p = await neighboursProtocol(sim, d, { name: sim.name, level: y.level, gate: y.gate, rows: await encodeTraining(sim, d) });
  const dev = await evaluateSuite(p, d, { split: "dev", levelSplit: "dev" });
  const devRanking = await runRanking(y.devRanking, ranking);
  const melo = await runRanking(y.melo, ranking);
  const invariance = await evaluateInvariances(sim, y.invariances, { method: sim.name });
  return {
    devRankingMrr: devRanking.mrr,
    devRoleMacroF1: dev.role.macroF1AtFullCoverage ?? dev.role.macroF1,
    devIndustryMacroF1: dev.industry.macroF1AtFullCoverage ?? dev.industry.macroF1,
    meloMrr: melo.mrr,
    meloMap: melo.map,
    invarianceSimilar: invariance.similarPassRate,
    invarianceAuc: invariance.auc,
  };
}

/**
 * The configuration with each lever off in turn (levers already off in `cfg` are skipped), trained and scored.
 * `budget` (e.g. fewer pairs and epochs, to keep a notebook quick) applies to every row alike, so the configuration
 * with all its levers is trained again under it and leads the table; with no budget, `full` (the score of the model
 * already trained) leads instead.
 */
export async function siameseAblation(
  cfg: SiameseRunConfig,
  d: Datasets,
  opts: { levers?: readonly Lever[]; budget?: Record<string, ParamValue>; full?: AblationRow; log?: (line: string) => void; onRow?: (row: AblationRow) => void } = {},
): Promise<AblationRow[]> {
  const budgeted = Object.keys(opts.budget ?? {}).length > 0;
  const base = withOverrides(cfg, opts.budget ?? {});
  const rows: AblationRow[] = [];
  const y = yardsticks(d);
  const train = async (name: string, c: SiameseRunConfig): Promise<void> => {
    opts.log?.(`ablation: ${name}`);
    const fitted = await fitSiamese(c, d, { verbose: false });
    const score = await scoreSimilarity(fitted.trained.similarity, d, siameseRanking(fitted.trained), y);
    const row: AblationRow = { lever: name, trainSeconds: fitted.training.seconds, ...score };
    fitted.trained.model.model.dispose();
    rows.push(row);
    opts.onRow?.(row);
  };
  if (budgeted) await train("all levers on", base);
  else if (opts.full) rows.push(opts.full);
  for (const lever of opts.levers ?? SIAMESE_LEVERS) {
    const off = withOverrides(base, lever.overrides);
    if (JSON.stringify(off) === JSON.stringify(base)) continue;
    await train(`${lever.name} off`, off);
  }
  return rows;
}

/** Table rows for notebooks: one per configuration, figures rounded (percent with one decimal, metrics with three). */
export function ablationTable(rows: readonly AblationRow[]): Record<string, string | number>[] {
  return rows.map((r) => ({
    configuration: r.lever,
    "dev ranking MRR": round(r.devRankingMrr, 3),
    "dev role macro-F1": round(r.devRoleMacroF1, 3),
    "dev industry macro-F1": round(r.devIndustryMacroF1, 3),
    "MELO MRR": round(r.meloMrr, 3),
    "MELO MAP": round(r.meloMap, 3),
    "invariance similar pass %": round(r.invarianceSimilar * 100, 1),
    "invariance AUC": round(r.invarianceAuc, 3),
    "train s": Math.round(r.trainSeconds),
  }));
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

// A type, not an interface, so that rows go straight into showTable (a Row has an index signature).
export type ConfidentError = {
  title: string;
  role: string;
  nearest: string;
  nearestRole: string;
  similarity: number;
};

/** Dev titles whose nearest labelled training title (by the model) has another Role, most similar first. */
export async function confidentErrors(sim: SimilarityModel, d: Datasets, n = 15): Promise<ConfidentError[]> {
  const labelled = d.train.map((t, i) => ({ t, i })).filter((x) => x.t.role);
  const rows = await encodeTraining(sim, d);
  const index = buildIndex(rows, labelled.map((x) => x.i));
  const dev = d.dev.filter((t) => t.role);
  const hits = await index.search(await sim.encode(dev.map((t) => t.title)), 1);
  const out: ConfidentError[] = [];
  dev.forEach((t, q) => {
    const r = hits.indices[q];
    if (r < 0) return;
    const near = labelled[r].t;
    if (near.role !== t.role) out.push({ title: t.title, role: t.role!, nearest: near.title, nearestRole: near.role!, similarity: round(hits.scores[q], 3) });
  });
  return out.sort((a, b) => b.similarity - a.similarity).slice(0, n);
}
