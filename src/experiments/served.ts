// Any recorded method and protocol as a classifier for `jtlab classify | similar | score`: per category type, the
// protocol best on dev macro-F1 of the run named (every protocol it recorded, not only the one its notebook trained),
// else of the latest run of each method in the registry (a combination recorded as its own method counts too). The model is rebuilt from the run's
// artifacts and its protocol from what the run chose on dev (k, weighting, calibration, trained heads).
import * as fs from "fs";
import * as path from "path";
import { CategoryType, CATEGORY_TYPES, Predictor, ScoreTable, SimilarityModel } from "../core/types";
import { RepresentativeClassifier } from "../models/representatives/classifier";
import { Datasets } from "../datasets/build";
import { loadEmbeddingModel, EmbeddingKind, embeddingSimilarity } from "../models/embeddings/title-vectors";
import { FastTextModel, FastTextJSON } from "../models/fasttext/model";
import { HeuristicClassifier, heuristicPredictor, RuleSet } from "../models/heuristic/classifier";
import { representativePredictor } from "../models/representatives/predictor";
import { charTfidfSimilarity } from "../models/tfidf/similarity";
import { fastTextPredictor, VoteMember, votePredictor } from "./methods";
import { ProtocolMetrics } from "./metrics";
import { headProtocol, LabelledType, neighboursProtocol, ProtocolPredictor, ProtocolRecord } from "./protocols";
import { isIntact, listRuns, RunRecord, runDir, runsDir, verifyRun } from "./registry";
import { loadSiamese } from "./trained-models";
import { latestPerMethod } from "./compare";
import { builtInFixes } from "../taxonomy/fixes";
import { withFixes } from "./fixed";

export interface Choice {
  runId: string;
  method: string;
  protocol: string;
  /** Dev macro-F1 of this method and protocol for the category type the choice is for. */
  devMacroF1: number;
}

/** Methods that cannot answer for a single title (LDA models people, not titles). */
const NOT_SERVABLE = new Set(["lda"]);

/** A run's own protocol and each further one it recorded, with its dev macro-F1 for `type` (NaN when it has none). */
function runChoices(r: RunRecord, type: CategoryType): Choice[] {
  const own = r.metrics.protocol ?? "representatives";
  const out: Choice[] = [{ runId: r.id, method: r.method, protocol: own, devMacroF1: r.metrics.dev?.[type]?.macroF1 ?? NaN }];
  for (const [p, pm] of Object.entries(r.metrics.protocols ?? {})) if (p !== own) out.push({ runId: r.id, method: r.method, protocol: p, devMacroF1: pm.dev[type]?.macroF1 ?? NaN });
  return out;
}

/** Every (run, protocol) the registry holds with a dev figure for `type`, best first. */
export function choicesFor(type: CategoryType, runs: RunRecord[] = listRuns()): Choice[] {
  const out: Choice[] = [];
  // The latest run of each method whose files pass their check: a broken latest run gives way to the one before it.
  let pool = runs.filter((x) => x.status === "ok" && x.metrics.dev);
  let latest = latestPerMethod(pool);
  for (let broken = latest.filter((r) => !isIntact(r)); broken.length; broken = latest.filter((r) => !isIntact(r))) {
    pool = pool.filter((r) => !broken.includes(r));
    latest = latestPerMethod(pool);
  }
  for (const r of latest) {
    if (!NOT_SERVABLE.has(r.method)) out.push(...runChoices(r, type).filter((c) => !Number.isNaN(c.devMacroF1)));
  }
  return out.sort((a, b) => b.devMacroF1 - a.devMacroF1 || (a.method < b.method ? -1 : 1));
}

export interface ServeRequest {
  method?: string;
  protocol?: string;
  run?: string;
  /** Only these protocols may answer (the live panel cannot carry the neighbours protocol's stored titles). */
  among?: readonly string[];
  /** Apply the built-in types' fixes (data/taxonomy, `jtlab fix`); default true. */
  fixes?: boolean;
}

const devOf = (c: Choice): number => (Number.isNaN(c.devMacroF1) ? -Infinity : c.devMacroF1);
/** Best dev macro-F1 first; a protocol without a dev figure last; ties keep the recorded order (the run's own first). */
const byDev = (a: Choice, b: Choice): number => (devOf(a) === devOf(b) ? 0 : devOf(b) > devOf(a) ? 1 : -1);

/** The (run, protocol) to answer `type` with: what the user asked for, else the best on dev. */
export function choose(type: CategoryType, req: ServeRequest, runs: RunRecord[] = listRuns()): Choice {
  let cands: Choice[];
  if (req.run) {
    const r = runs.find((x) => x.id === req.run) ?? runs.filter((x) => x.id.startsWith(req.run!) || x.id.endsWith(req.run!)).at(-1);
    if (!r) throw new Error(`no run ${JSON.stringify(req.run)} in ${runsDir()}`);
    if (r.status !== "ok") throw new Error(`run ${r.id} did not finish (status ${r.status})`);
    // The run's protocols ranked as across runs: its own protocol is what its notebook trained, not always its best.
    cands = runChoices(r, type).sort(byDev);
  } else cands = choicesFor(type, runs);
  if (req.among) {
    const known = [...new Set(cands.map((c) => c.protocol))];
    cands = cands.filter((c) => req.among!.includes(c.protocol));
    if (!cands.length) throw new Error(`no recorded protocol among ${req.among.join(", ")} can answer ${type} (recorded: ${known.join(", ") || "none"})`);
  }
  if (req.method) {
    if (NOT_SERVABLE.has(req.method)) throw new Error(`${req.method} models people (a person's titles are one document), not single titles: it cannot classify a title`);
    const known = [...new Set(cands.map((c) => c.method))];
    cands = cands.filter((c) => c.method === req.method);
    if (!cands.length) {
      throw new Error(
        `no finished run of method ${JSON.stringify(req.method)} to serve ${type} (methods with runs: ${known.join(", ") || "none"}); ` +
          "run `npm run reproduce`, or `jtlab train siamese|fasttext|vote|char-tfidf`",
      );
    }
  }
  if (req.protocol) {
    const known = [...new Set(cands.map((c) => c.protocol))];
    cands = cands.filter((c) => c.protocol === req.protocol);
    if (!cands.length) throw new Error(`protocol ${JSON.stringify(req.protocol)} was not recorded for ${req.method ?? "any method"} (recorded: ${known.join(", ") || "none"})`);
  }
  if (!cands.length) throw new Error(`no finished run in ${runsDir()} can classify ${type}: run \`npm run reproduce\` or \`jtlab train <method>\` first`);
  return cands[0];
}

/** Per-class scores of titles for a category type, or null when the method has none (rules). */
export type TableFn = (titles: readonly string[], type: CategoryType) => Promise<ScoreTable | null>;

export interface Served {
  choice: Choice;
  predictor: Predictor & { evidence?: number };
  table: TableFn;
  /** The model's title vectors, for `jtlab similar` (absent for rules and fastText). */
  similarity?: SimilarityModel;
}

function recordOf(r: RunRecord, protocol: string): ProtocolRecord {
  const pm: ProtocolMetrics | undefined = r.metrics.protocols?.[protocol];
  if (!pm) throw new Error(`run ${r.id} records no ${protocol} protocol`);
  return { protocol: protocol as ProtocolRecord["protocol"], settings: pm.settings as ProtocolRecord["settings"], calibration: (pm.calibration ?? {}) as ProtocolRecord["calibration"] };
}

/** Rebuilds the chosen run's model and protocol. */
export async function serve(choice: Choice, d: Datasets, log: (line: string) => void = () => undefined): Promise<Served> {
  const r = listRuns().find((x) => x.id === choice.runId);
  if (!r) throw new Error(`no run ${choice.runId} in ${runsDir()}`);
  verifyRun(r);
  const dir = runDir(r.id);
  const artifact = (name: string): string => {
    const rel = r.artifacts[name];
    const file = rel ? path.join(dir, rel) : "";
    if (!rel || !fs.existsSync(file)) throw new Error(`run ${r.id} (${r.method}) has no ${name} artifact on disk${rel ? ` (${file})` : ""}: retrain it`);
    return file;
  };
  // Read only by the methods that need the training titles, so that a served Siamese run under the representatives
  // protocol never touches the datasets (see lazyDatasets).
  const trainTitles = (): string[] => d.train.map((t) => t.title);
  const rules = (): HeuristicClassifier => new HeuristicClassifier({ ruleSet: ((r.params.ruleSet as RuleSet) ?? "priority"), trainingTitles: trainTitles() });
  let similarity: SimilarityModel | undefined;
  let main: Predictor;
  let mainTable: TableFn = async () => null;
  const repTable = (cs: Record<CategoryType, RepresentativeClassifier>): TableFn => (titles, type) => cs[type].scoreTable(titles);
  if (r.method.startsWith("heuristic")) main = heuristicPredictor(rules());
  else if (r.method === "fasttext") {
    const j = JSON.parse(fs.readFileSync(artifact("model"), "utf8")) as Record<"role" | "industry", FastTextJSON>;
    const p = await fastTextPredictor({ models: { role: FastTextModel.fromJSON(j.role), industry: FastTextModel.fromJSON(j.industry) }, rules: rules() }, d, recordOf(r, "head"));
    main = p;
    mainTable = async (titles, type) => (type === "level" ? null : p.scorer(titles, type, 0));
  } else if (r.method === "vote") {
    // The vote's members rebuilt from their own records (settings, calibration) and the run's artifacts.
    const rec = recordOf(r, "vote");
    const members = rec.settings.members as unknown as Record<VoteMember, ProtocolRecord>;
    const j = JSON.parse(fs.readFileSync(artifact("model"), "utf8")) as Record<"role" | "industry", FastTextJSON>;
    const heuristic = rules();
    const level = heuristicPredictor(heuristic);
    const tfidf = charTfidfSimilarity(trainTitles());
    similarity = tfidf;
    const heads = JSON.parse(fs.readFileSync(artifact("heads"), "utf8"));
    const built: Partial<Record<VoteMember, ProtocolPredictor>> = {
      fasttext: await fastTextPredictor({ models: { role: FastTextModel.fromJSON(j.role), industry: FastTextModel.fromJSON(j.industry) }, rules: heuristic }, d, members.fasttext),
      "tfidf-neighbours": await neighboursProtocol(tfidf, d, { name: "char-tfidf", level, log, record: members["tfidf-neighbours"] }),
      "tfidf-head": await headProtocol(tfidf, d, { name: "char-tfidf", level, log, record: members["tfidf-head"], heads }),
    };
    if (members["doc2vec-neighbours"]) {
      const id = r.params.doc2vecRun as string;
      const dr = listRuns().find((x) => x.id === id);
      if (!dr?.artifacts.model || !fs.existsSync(path.join(runDir(id), dr.artifacts.model))) throw new Error(`vote run ${r.id} needs Doc2Vec run ${id}, which is not in ${runsDir()} with its model: rerun notebook 03, then the vote`);
      const sim = embeddingSimilarity("doc2vec", loadEmbeddingModel("doc2vec", path.join(runDir(id), dr.artifacts.model)), (dr.params.inferEpochs as number) ?? 20);
      built["doc2vec-neighbours"] = await neighboursProtocol(sim, d, { name: "doc2vec", level, log, record: members["doc2vec-neighbours"] });
    }
    const weights = rec.settings.weights as unknown as Record<LabelledType, Partial<Record<VoteMember, number>>>;
    const alpha = (rec.settings.priorAdjustment ?? { role: 0, industry: 0 }) as unknown as Record<LabelledType, number>;
    const p = await votePredictor(built, weights, alpha, d, level, rec);
    main = p;
    mainTable = async (titles, type) => (type === "level" ? null : p.scorer(titles, type, 0));
  } else if (r.method === "char-tfidf") {
    similarity = charTfidfSimilarity(trainTitles());
    const p = await representativePredictor(similarity, d.train, { name: "char-tfidf", threshold: r.params.threshold as number, perClass: r.params.perClass as number });
    main = p;
    mainTable = repTable(p.classifiers);
  } else if (r.method === "word2vec" || r.method === "doc2vec") {
    similarity = embeddingSimilarity(r.method as EmbeddingKind, loadEmbeddingModel(r.method as EmbeddingKind, artifact("model")), (r.params.inferEpochs as number) ?? 20);
    const p = await representativePredictor(similarity, d.train);
    main = p;
    mainTable = repTable(p.classifiers);
  } else if (r.method.startsWith("siamese")) {
    const { trained } = await loadSiamese(r.id, log);
    similarity = trained.similarity;
    main = trained.predictor(r.method);
    mainTable = repTable(trained.classifiers);
  } else throw new Error(`method ${r.method} (run ${r.id}) cannot classify single titles`);
  const mainProtocol = r.metrics.protocol ?? "representatives";
  if (choice.protocol === mainProtocol) return { choice, predictor: main, similarity, table: mainTable };
  if (!similarity) throw new Error(`method ${r.method} has no title vectors for the ${choice.protocol} protocol`);
  const base = { name: r.method, level: main, log };
  const withTable = (p: ProtocolPredictor): Served => ({
    choice,
    similarity,
    predictor: p,
    table: (titles, type) => (type === "level" ? mainTable(titles, type) : p.scorer(titles, type, 0)),
  });
  if (choice.protocol === "neighbours") return withTable(await neighboursProtocol(similarity, d, { ...base, record: recordOf(r, "neighbours") }));
  if (choice.protocol === "head") {
    const heads = JSON.parse(fs.readFileSync(artifact("heads"), "utf8"));
    return withTable(await headProtocol(similarity, d, { ...base, record: recordOf(r, "head"), heads }));
  }
  throw new Error(`protocol ${choice.protocol} cannot be rebuilt for ${r.method}`);
}

/** Methods whose runs give title vectors (what `jtlab similar` and --taxonomy types compare titles with). */
export const hasTitleVectors = (m: string): boolean => m === "char-tfidf" || m === "word2vec" || m === "doc2vec" || m.startsWith("siamese");

/** The method with title vectors that scored best on dev role macro-F1 (any protocol). */
export function bestWithVectors(runs: RunRecord[] = listRuns()): Choice {
  const c = choicesFor("role", runs).find((x) => hasTitleVectors(x.method));
  if (!c) throw new Error("no run with title vectors in the registry: run `npm run reproduce`, or `jtlab train siamese`");
  return c;
}

/**
 * The title vectors a --taxonomy type is answered with: those of the run that answers role, or, when its method has
 * none (rules, fastText), those of the best method with vectors on dev.
 */
export async function taxonomyVectors(served: Record<CategoryType, Served>, d: Datasets, log?: (line: string) => void): Promise<{ similarity: SimilarityModel; choice: Choice }> {
  if (served.role.similarity) return { similarity: served.role.similarity, choice: served.role.choice };
  const choice = bestWithVectors();
  const s = await serve({ ...choice, protocol: "representatives" }, d, log);
  return { similarity: s.similarity!, choice };
}

/**
 * Datasets loaded on first use: a scoring worker thread serves the representatives protocol without them (about
 * 150 MB a thread), and loads them only when its method or protocol reads the labelled titles.
 */
export function lazyDatasets(load: () => Datasets): Datasets {
  let d: Datasets | null = null;
  return new Proxy({} as Datasets, { get: (_, key) => (d ??= load())[key as keyof Datasets] });
}

/**
 * One served predictor per category type, loading each (run, protocol) once, with the built-in types' fixes applied
 * unless `req.fixes` is false.
 */
export async function servePerType(req: ServeRequest, d: Datasets, log?: (line: string) => void): Promise<Record<CategoryType, Served>> {
  const runs = listRuns();
  const cache = new Map<string, Promise<Served>>();
  const out = {} as Record<CategoryType, Served>;
  for (const type of CATEGORY_TYPES) {
    const c = choose(type, req, runs);
    const key = `${c.runId}\u0000${c.protocol}`;
    if (!cache.has(key)) cache.set(key, serve(c, d, log));
    const s = await cache.get(key)!;
    out[type] = { ...s, choice: c };
  }
  if (req.fixes === false) return out;
  return withFixes(out, builtInFixes(), async () => (await taxonomyVectors(out, d, log)).similarity);
}
