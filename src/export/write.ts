// A Siamese run → an export folder (format.ts gives the layout). Node only. Everything is computed in memory, then
// written to a fresh folder that is renamed into place whole (io/atomic.ts); a folder already at --out that is not
// empty is refused unless forced, and then kept once beside it as <out>.prev.
import * as tf from "@tensorflow/tfjs";
import * as fs from "fs";
import * as path from "path";
import { CATEGORY_TYPES, CategoryType, OTHER } from "../core/types";
import { Datasets } from "../datasets/build";
import { writeDirAtomic } from "../io/atomic";
import { fileDigests } from "../io/integrity";
import { denseIndex, denseRows, encodeTitles } from "../models/neighbours/vector-index";
import { SiameseModel, towerDim } from "../models/siamese/model";
import { TrainedSiamese } from "../models/siamese/trained";
import { words } from "../text/normalize";
import { codeVersion } from "../util/git";
import { Rng } from "../util/random";
import { choose } from "../experiments/served";
import { findRun, RunRecord, runDir } from "../experiments/registry";
import { isSiameseMethod, loadSiamese } from "../experiments/trained-models";
import { CalibratorJSON, ClassifierFile, EncoderJSON, EXPORT_FORMAT, EXPORT_VERSION, ExportManifest, ExportProtocol, FILES, Int8Figures, LabelledType, NeighboursFile, VoterSettingsJSON } from "./format";
import { modelCard } from "./model-card";
import { dequantizeRows, Int8Rows, quantizeRows, worstCaseBound } from "./quantize";

export interface ExportOptions {
  run: string;
  out: string;
  force?: boolean;
  /** Labelled training titles kept for the neighbours protocol: all when absent, none at 0, else a seeded stratified subset. */
  neighbours?: number;
  /** The protocols that may answer (best on dev among them per category type): all the run recorded when absent. */
  protocols?: readonly ExportProtocol[];
  seed?: number;
  log?: (line: string) => void;
}

/** Refuses a non-empty --out unless forced (then moved to <out>.prev); never writes into a user's folder. */
export function checkOut(out: string, force: boolean): void {
  if (!fs.existsSync(out)) return;
  if (!fs.statSync(out).isDirectory()) throw new Error(`--out ${out} is a file, not a folder: choose another path`);
  if (fs.readdirSync(out).length === 0) return;
  if (!force) throw new Error(`--out ${out} is not empty: choose an empty or new folder, or add --force (the old folder is kept as ${out}.prev)`);
}

/**
 * The title tower with standard layers only: the word-aware tower splits one id row with a custom layer, which
 * tf.loadLayersModel (and the Keras converter) cannot rebuild; here each branch gets its own input instead.
 */
export function standardTower(m: SiameseModel): { model: tf.LayersModel; inputs: string[] } {
  const c = m.config;
  const layer = (name: string): tf.layers.Layer => m.tower.getLayer(name);
  const branch = (widths: number[], input: tf.SymbolicTensor, prefix: string): tf.SymbolicTensor[] => {
    const emb = layer(`${prefix}embedding`).apply(input) as tf.SymbolicTensor;
    return widths.map((w) => layer(`${prefix}maxpool_w${w}`).apply(layer(`${prefix}conv_w${w}`).apply(emb)) as tf.SymbolicTensor);
  };
  if (!c.word) {
    const ids = tf.input({ shape: [c.seqLength], dtype: "int32", name: "ids" });
    const pooled = branch(c.widths, ids, "");
    const out = pooled.length > 1 ? (layer("concat").apply(pooled) as tf.SymbolicTensor) : pooled[0];
    return { model: tf.model({ inputs: ids, outputs: out, name: "title_tower" }), inputs: ["ids"] };
  }
  const chars = tf.input({ shape: [c.seqLength], dtype: "int32", name: "chars" });
  const wordIds = tf.input({ shape: [c.word.seqLength], dtype: "int32", name: "words" });
  const out = layer("concat").apply([...branch(c.widths, chars, ""), ...branch(c.word.widths, wordIds, "word_")]) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: [chars, wordIds], outputs: out, name: "title_tower" }), inputs: ["chars", "words"] };
}

async function towerFiles(m: SiameseModel): Promise<{ json: string; weights: Uint8Array; inputs: string[] }> {
  const { model, inputs } = standardTower(m);
  let json = "";
  let weights = new Uint8Array();
  await model.save(
    tf.io.withSaveHandler(async (art) => {
      weights = new Uint8Array(art.weightData as ArrayBuffer);
      const file = { format: "layers-model", generatedBy: art.generatedBy, convertedBy: null, modelTopology: art.modelTopology, weightsManifest: [{ paths: [path.basename(FILES.weights)], weights: art.weightSpecs }] };
      json = JSON.stringify(file);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes: weights.length } };
    }),
  );
  return { json, weights, inputs };
}

/** Row numbers of a seeded subset of `n` titles, stratified by role (titles without a role form one stratum). */
export function stratifiedSubset(d: Datasets, n: number, seed: number): number[] {
  const strata = new Map<string, number[]>();
  d.train.forEach((t, i) => {
    const key = t.role ?? "";
    if (!strata.has(key)) strata.set(key, []);
    strata.get(key)!.push(i);
  });
  const rng = new Rng(seed);
  const out: number[] = [];
  const total = d.train.length;
  for (const key of [...strata.keys()].sort()) {
    const rows = strata.get(key)!;
    const take = Math.max(1, Math.round((n * rows.length) / total));
    for (let i = rows.length - 1; i > 0; i--) {
      const j = rng.nextUint32() % (i + 1);
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    out.push(...rows.slice(0, take));
  }
  return out.sort((a, b) => a - b);
}

/** Recall@k of the int8 search against the exact float32 search over the same rows, on the dev titles. */
async function measureInt8(rows: Float32Array, q: Int8Rows, queries: Float32Array, k: number): Promise<Int8Figures> {
  const dim = q.dim;
  const exact = await denseIndex(rows, dim).search(queries, k);
  const approx = await denseIndex(dequantizeRows(q), dim).search(queries, k);
  const nq = queries.length / dim;
  let found = 0;
  let wanted = 0;
  let maxError = 0;
  for (let i = 0; i < nq; i++) {
    const truth = new Set<number>();
    for (let j = 0; j < k; j++) if (exact.indices[i * k + j] >= 0) truth.add(exact.indices[i * k + j]);
    wanted += truth.size;
    for (let j = 0; j < k; j++) {
      const r = approx.indices[i * k + j];
      if (r < 0) continue;
      if (truth.has(r)) found++;
      let s = 0;
      let qn = 0;
      for (let d = 0; d < dim; d++) qn += queries[i * dim + d] ** 2;
      for (let d = 0; d < dim; d++) s += (queries[i * dim + d] / Math.sqrt(qn || 1)) * rows[r * dim + d];
      maxError = Math.max(maxError, Math.abs(s - approx.scores[i * k + j]));
    }
  }
  return { scheme: "int8 symmetric, one scale per row", k, queries: nq, recallAtK: wanted ? found / wanted : 1, similarityBound: worstCaseBound(q), measuredMaxError: maxError };
}

function servedProtocols(r: RunRecord, among?: readonly ExportProtocol[]): Record<CategoryType, ExportProtocol> {
  const out = {} as Record<CategoryType, ExportProtocol>;
  for (const type of CATEGORY_TYPES) {
    const p = choose(type, { run: r.id, ...(among ? { among } : {}) }).protocol;
    if (p !== "representatives" && p !== "neighbours" && p !== "head") throw new Error(`run ${r.id} answers ${type} with the ${p} protocol, which the export cannot carry`);
    out[type] = p;
  }
  return out;
}

function representativesOf(t: TrainedSiamese): { types: ClassifierFile["representatives"]["types"]; titles: string[] } {
  const types = {} as ClassifierFile["representatives"]["types"];
  const all: string[] = [];
  for (const type of CATEGORY_TYPES) {
    // The classes in the order RepresentativeClassifier.create keeps them (Other and empty classes left out).
    const classes = [...t.representatives[type].keys()].filter((c) => c !== OTHER && (t.representatives[type].get(c)?.length ?? 0) > 0);
    const titles = classes.map((c) => t.representatives[type].get(c)!);
    types[type] = { classes, titles };
    for (const ts of titles) all.push(...ts);
  }
  return { types, titles: all };
}

export interface ExportResult {
  dir: string;
  manifest: ExportManifest;
}

export async function exportRun(opts: ExportOptions, d: Datasets): Promise<ExportResult> {
  const log = opts.log ?? (() => undefined);
  const r = findRun(opts.run);
  if (!isSiameseMethod(r.method)) throw new Error(`run ${r.id} is a ${r.method} run: only Siamese runs export for now`);
  checkOut(opts.out, !!opts.force);
  const { trained } = await loadSiamese(r.id, log);
  const dim = towerDim(trained.model.config);
  const tower = await towerFiles(trained.model);
  const dense = trained.model.model.getLayer("similarity");
  const [kernel, bias] = (await Promise.all(dense.getWeights().map((w) => w.data()))) as Float32Array[];
  const reps = representativesOf(trained);
  // Encoded as one batch per category type, as RepresentativeClassifier.create does.
  const repRows: Float32Array[] = [];
  for (const type of CATEGORY_TYPES) repRows.push(await trained.similarity.encode(reps.types[type].titles.flat()));
  const served = servedProtocols(r, opts.protocols);
  const recorded = r.metrics.protocols ?? {};
  const files = new Map<string, Uint8Array | string>();
  const classifier: ClassifierFile = {
    inputs: tower.inputs,
    charLength: trained.model.config.seqLength,
    dim,
    encoder: trained.encoder.toJSON() as EncoderJSON,
    similarity: { merge: trained.model.config.merge, w: Array.from(kernel), b: bias[0] },
    representatives: { settings: { ...trained.settings }, types: reps.types },
    served,
    protocols: {},
    operatingPoint: 0.5,
    gateWords: [...new Set(d.train.flatMap((t) => words(t.title)))].sort(),
  };
  let int8: Int8Figures | null = null;
  let neighbourRows: { rows: number; subset: boolean } | null = null;
  const nb = recorded.neighbours;
  if (nb && opts.neighbours !== 0) {
    const ids = opts.neighbours !== undefined && opts.neighbours < d.train.length ? stratifiedSubset(d, opts.neighbours, opts.seed ?? 1) : d.train.map((_, i) => i);
    log(`encoding ${ids.length} training titles for the neighbours protocol`);
    const rows = denseRows(await encodeTitles(trained.similarity, ids.map((i) => d.train[i].title)));
    const q = quantizeRows(rows, dim);
    const settings = nb.settings as unknown as Record<LabelledType, VoterSettingsJSON>;
    const k = Math.max(settings.role.k, settings.industry.k);
    const devRows = denseRows(await encodeTitles(trained.similarity, d.dev.map((t) => t.title)));
    int8 = await measureInt8(rows, q, devRows, k);
    log(`int8 recall@${k} on ${int8.queries} dev titles: ${int8.recallAtK.toFixed(4)}`);
    classifier.protocols.neighbours = { settings, calibration: nb.calibration as Record<LabelledType, CalibratorJSON>, rows: ids.length, subset: ids.length < d.train.length };
    const n: NeighboursFile = { titles: ids.map((i) => d.train[i].title), role: ids.map((i) => d.train[i].role), industry: ids.map((i) => d.train[i].industry) };
    files.set(FILES.neighbours, JSON.stringify(n));
    files.set(FILES.neighbourCodes, new Uint8Array(q.codes.buffer));
    files.set(FILES.neighbourScales, new Uint8Array(q.scales.buffer));
    neighbourRows = { rows: ids.length, subset: ids.length < d.train.length };
  }
  const headsRel = r.artifacts.heads;
  if (recorded.head && headsRel && fs.existsSync(path.join(runDir(r.id), headsRel))) {
    classifier.protocols.head = { calibration: recorded.head.calibration as Record<LabelledType, CalibratorJSON> };
    files.set(FILES.heads, fs.readFileSync(path.join(runDir(r.id), headsRel), "utf8"));
  }
  for (const type of CATEGORY_TYPES) if (!(served[type] === "representatives" || classifier.protocols[served[type] as "neighbours" | "head"])) throw new Error(`run ${r.id} answers ${type} with ${served[type]}, which it did not record`);
  files.set(FILES.modelJson, tower.json);
  files.set(FILES.weights, tower.weights);
  files.set(FILES.classifier, JSON.stringify(classifier));
  const repAll = new Float32Array(repRows.reduce((a, x) => a + x.length, 0));
  let at = 0;
  for (const x of repRows) repAll.set(x, (at += x.length) - x.length);
  files.set(FILES.representatives, new Uint8Array(repAll.buffer));
  files.set(FILES.card, modelCard({ run: r, served, splits: { train: d.train.length, dev: d.dev.length, test: d.test.length }, neighbours: neighbourRows, int8 }));
  const manifest = writeExport(opts, r, files, int8);
  log(`exported run ${r.id} to ${opts.out} (${(manifest.bytes / 1e6).toFixed(1)} MB)`);
  return { dir: opts.out, manifest };
}

function writeExport(opts: ExportOptions, r: RunRecord, files: Map<string, Uint8Array | string>, int8: Int8Figures | null): ExportManifest {
  let manifest: ExportManifest | null = null;
  if (fs.existsSync(opts.out) && fs.readdirSync(opts.out).length > 0) {
    const prev = `${opts.out}.prev`;
    fs.rmSync(prev, { recursive: true, force: true });
    fs.renameSync(opts.out, prev);
  }
  writeDirAtomic(opts.out, (tmp) => {
    for (const [rel, data] of files) {
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, rel), data);
    }
    const names = [...files.keys()].sort();
    const bytes = names.reduce((a, f) => a + fs.statSync(path.join(tmp, f)).size, 0);
    const code = codeVersion();
    manifest = { format: EXPORT_FORMAT, version: EXPORT_VERSION, run: r.id, method: r.method, created: new Date().toISOString(), code, runCode: r.git, files: fileDigests(tmp, names), ...(int8 ? { int8 } : {}), bytes };
    fs.writeFileSync(path.join(tmp, FILES.manifest), JSON.stringify(manifest, null, 2) + "\n");
  });
  return manifest!;
}
