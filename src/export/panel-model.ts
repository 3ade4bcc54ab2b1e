// What the live classifier panel needs of a model export, as one JSON value a report or a notebook output can carry:
// the tower (topology, weight specs, weights), classifier.json, the representatives' rows, and the neighbour rows or
// heads only when a category type is served by that protocol (a Siamese run serves all three with representatives,
// so the 17 MB of int8 neighbour rows of the quick export stay out). Binary parts travel as base64. Pure: no IO, so
// the browser bundle (browser/panel-entry.ts) turns it back into the ModelExport the pure classifier takes.
import { ClassifierFile, ExportManifest, LabelledType, LinearProbeFile, ModelExport, NeighboursFile } from "./format";

export const PANEL_MODEL_FORMAT = "jtlab-panel-model";
export const PANEL_MODEL_VERSION = 1;

export interface PanelModel {
  format: typeof PANEL_MODEL_FORMAT;
  version: number;
  run: string;
  method: string;
  manifest: ExportManifest;
  model: { modelTopology: object; weightSpecs: ModelExport["model"]["weightSpecs"]; weights: string };
  classifier: ClassifierFile;
  representatives: string;
  neighbours?: NeighboursFile & { codes: string; scales: string };
  heads?: Record<LabelledType, LinearProbeFile>;
  /** Lines the panel shows under its answers (where it answers with another protocol than `jtlab classify --run`). */
  notes?: string[];
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 with padding; written here because neither Buffer (browser) nor atob (ES2022 lib) is everywhere. */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    chunk += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63] + (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : "=") + (i + 2 < bytes.length ? ALPHABET[n & 63] : "=");
    // Joined in pieces: one string grown by millions of appends is slow in some engines.
    if (chunk.length >= 65536) {
      parts.push(chunk);
      chunk = "";
    }
  }
  parts.push(chunk);
  return parts.join("");
}

export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = i + j < clean.length ? DECODE[clean.charCodeAt(i + j)] : 0;
      if (c < 0) throw new Error(`panel model: not base64 at character ${i + j}`);
      n = (n << 6) | c;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

const bytesOf = (a: ArrayBufferView | ArrayBuffer): Uint8Array => (a instanceof ArrayBuffer ? new Uint8Array(a) : new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

/** A copy of the bytes in a fresh buffer, so typed arrays over them are aligned. */
function freshBuffer(b64: string): ArrayBuffer {
  const b = fromBase64(b64);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** The parts of an export the served protocols need, as one JSON-able value. */
export function panelModel(ex: ModelExport): PanelModel {
  const served = Object.values(ex.classifier.served);
  const needs = (p: string): boolean => served.includes(p as never);
  // The gate's words are read only by the neighbours and head protocols.
  const classifier = needs("neighbours") || needs("head") ? ex.classifier : { ...ex.classifier, gateWords: [] };
  const out: PanelModel = {
    format: PANEL_MODEL_FORMAT,
    version: PANEL_MODEL_VERSION,
    run: ex.manifest.run,
    method: ex.manifest.method,
    manifest: ex.manifest,
    model: { modelTopology: ex.model.modelTopology, weightSpecs: ex.model.weightSpecs, weights: toBase64(bytesOf(ex.model.weightData)) },
    classifier,
    representatives: toBase64(bytesOf(ex.representatives)),
  };
  if (needs("neighbours") && ex.neighbours) {
    const { codes, scales, ...rest } = ex.neighbours;
    out.neighbours = { ...rest, codes: toBase64(bytesOf(codes)), scales: toBase64(bytesOf(scales)) };
  }
  if (needs("head") && ex.heads) out.heads = ex.heads;
  return out;
}

/** The ModelExport a panel model carries, for ExportClassifier.create. */
export function modelExportOf(p: PanelModel): ModelExport {
  if (p.format !== PANEL_MODEL_FORMAT) throw new Error(`not a jtlab panel model (format ${JSON.stringify(p.format)})`);
  if (p.version !== PANEL_MODEL_VERSION) throw new Error(`panel model version ${p.version}; this panel reads version ${PANEL_MODEL_VERSION}: render the report again`);
  const out: ModelExport = {
    manifest: p.manifest,
    model: { modelTopology: p.model.modelTopology, weightSpecs: p.model.weightSpecs, weightData: freshBuffer(p.model.weights) },
    classifier: p.classifier,
    representatives: new Float32Array(freshBuffer(p.representatives)),
  };
  if (p.neighbours) {
    const { codes, scales, ...rest } = p.neighbours;
    out.neighbours = { ...rest, codes: new Int8Array(freshBuffer(codes)), scales: new Float32Array(freshBuffer(scales)) };
  }
  if (p.heads) out.heads = p.heads;
  return out;
}
