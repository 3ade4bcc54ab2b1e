// The layout of a model export (`jtlab export`), shared by the Node writer and reader and the pure classifier. A
// folder of plain files that a browser can fetch or a report can embed:
//   manifest.json              format, version, run, code version, every other file's SHA-256, the int8 figures
//   model/model.json           the title tower in tfjs layers format (standard layers only: Embedding, Conv1D,
//   model/group1-shard1of1.bin GlobalMaxPooling1D, Concatenate), inputs "ids" or "chars" + "words"
//   classifier.json            the title → ids tables, the similarity head, the representatives' titles, the
//                              protocols' settings and calibration, which protocol answers each category type, the
//                              gate's words
//   representatives.f32        the representatives' tower rows, float32, in classifier.json's order
//   neighbours.json            the labelled training titles kept for the neighbours protocol and their labels
//   neighbours.i8, neighbours-scale.f32   their unit rows quantized to int8, one scale per row (quantize.ts)
//   heads.json                 the head protocol's linear probes (when the run trained them)
//   model-card.md              data, splits, metrics, intended use, known failures, licenses
// Everything here is types and constants: no IO, so that a browser bundle can import it.
import type { CategoryType } from "../core/types";
import type { CalibratorJSON } from "../eval/calibrator";
import type { LinearProbeJSON } from "../models/heads/linear-probe";

export const EXPORT_FORMAT = "jtlab-model-export";
/** Raised when the layout changes in a way an older reader would misread. */
export const EXPORT_VERSION = 1;

export const FILES = {
  manifest: "manifest.json",
  modelJson: "model/model.json",
  weights: "model/group1-shard1of1.bin",
  classifier: "classifier.json",
  representatives: "representatives.f32",
  neighbours: "neighbours.json",
  neighbourCodes: "neighbours.i8",
  neighbourScales: "neighbours-scale.f32",
  heads: "heads.json",
  card: "model-card.md",
} as const;

export type ExportProtocol = "representatives" | "neighbours" | "head";
export type LabelledType = "role" | "industry";

export type { CalibratorJSON };

export interface VoterSettingsJSON {
  k: number;
  weighting: "uniform" | "similarity" | "softmax";
  temperature?: number;
}

/** The recall of the int8 search against the exact float32 search, measured on the dev titles at export time. */
export interface Int8Figures {
  /** Per-row symmetric scale: code = round(x / scale), scale = max |x| / 127. */
  scheme: "int8 symmetric, one scale per row";
  k: number;
  queries: number;
  /** Mean share of the exact float32 top-k found by the int8 search. */
  recallAtK: number;
  /**
   * Worst-case error of a similarity, for any unit query: max over rows of scale / 2 · √dim (each coordinate is off
   * by at most scale / 2, and ‖q‖₁ ≤ √dim for a unit q). The per-query bound, scale / 2 · ‖q‖₁, is usually far smaller.
   */
  similarityBound: number;
  /** The largest similarity error measured on the dev queries' top-k. */
  measuredMaxError: number;
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  version: number;
  run: string;
  method: string;
  created: string;
  code: { commit: string | null; dirty: boolean | null };
  /** The code version of the run that trained the model. */
  runCode: { commit: string | null; dirty: boolean | null };
  /** Every other file of the export, by path relative to the folder, and its SHA-256. */
  files: Record<string, string>;
  int8?: Int8Figures;
  bytes: number;
}

export type EncoderJSON = Record<string, unknown> & { kind: "char" | "word" | "both" };

export interface ClassifierFile {
  /** The tower's inputs, in order: ["ids"] or ["chars", "words"] (the ids row split at charLength). */
  inputs: string[];
  charLength: number;
  dim: number;
  encoder: EncoderJSON;
  /** The trained Siamese model's similarity of two tower rows: sigmoid(w · merge(a, b) + b). */
  similarity: { merge: "product" | "absdiff" | "cosine"; w: number[]; b: number };
  representatives: {
    settings: { aggregate: "max" | "mean" | "topk"; k: number; threshold: number };
    /** Per category type: classes in order, each with its example titles (rows of representatives.f32, in order). */
    types: Record<CategoryType, { classes: string[]; titles: string[][] }>;
  };
  /** The protocol `jtlab classify --run` answers each category type with. */
  served: Record<CategoryType, ExportProtocol>;
  /** Protocols the export can answer with, besides representatives: their settings and calibration as recorded. */
  protocols: {
    neighbours?: { settings: Record<LabelledType, VoterSettingsJSON>; calibration: Record<LabelledType, CalibratorJSON>; rows: number; subset: boolean };
    head?: { calibration: Record<LabelledType, CalibratorJSON> };
  };
  /** Calibrated probability at or above which a class is answered (neighbours, head). */
  operatingPoint: number;
  /** The words of the labelled training titles: a title with none like them is Other ("abstained"). */
  gateWords: string[];
}

export interface NeighboursFile {
  titles: string[];
  role: (string | null)[];
  industry: (string | null)[];
}

/** heads.json: the run's linear probes as they were saved. */
export type LinearProbeFile = LinearProbeJSON;

/** An export in memory: what read.ts gives from a folder and what a browser page builds from embedded files. */
export interface ModelExport {
  manifest: ExportManifest;
  model: { modelTopology: object; weightSpecs: { name: string; shape: number[]; dtype?: string }[]; weightData: ArrayBuffer };
  classifier: ClassifierFile;
  representatives: Float32Array;
  neighbours?: NeighboursFile & { codes: Int8Array; scales: Float32Array };
  heads?: Record<LabelledType, LinearProbeFile>;
}
