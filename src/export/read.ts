// An export folder → the in-memory export the pure classifier takes (Node only: it reads files). Every file the
// manifest lists is checked against its SHA-256 first, so a missing, truncated or edited file is an error naming it.
import * as fs from "fs";
import * as path from "path";
import { verifyDigests } from "../io/integrity";
import { ClassifierFile, EXPORT_FORMAT, EXPORT_VERSION, ExportManifest, FILES, LabelledType, LinearProbeFile, ModelExport, NeighboursFile } from "./format";

const REBUILD = "jtlab export --run <id> --out <dir> --force";

function readJson<T>(dir: string, rel: string): T {
  const file = path.join(dir, rel);
  if (!fs.existsSync(file)) throw new Error(`${file}: missing from the export`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

function readBytes(dir: string, rel: string): ArrayBuffer {
  const b = fs.readFileSync(path.join(dir, rel));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
}

export function readManifest(dir: string): ExportManifest {
  const m = readJson<ExportManifest>(dir, FILES.manifest);
  const file = path.join(dir, FILES.manifest);
  if (m.format !== EXPORT_FORMAT) throw new Error(`${file}: not a jtlab model export (format ${JSON.stringify(m.format)})`);
  if (m.version !== EXPORT_VERSION) throw new Error(`${file}: export format version ${m.version}; this code reads version ${EXPORT_VERSION}`);
  return m;
}

export function readExport(dir: string): ModelExport {
  const manifest = readManifest(dir);
  verifyDigests(dir, manifest.files, REBUILD);
  const modelJson = readJson<{ modelTopology: object; weightsManifest: { paths: string[]; weights: ModelExport["model"]["weightSpecs"] }[] }>(dir, FILES.modelJson);
  const weightData = readBytes(dir, FILES.weights);
  const classifier = readJson<ClassifierFile>(dir, FILES.classifier);
  const representatives = new Float32Array(readBytes(dir, FILES.representatives));
  const out: ModelExport = {
    manifest,
    model: { modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights), weightData },
    classifier,
    representatives,
  };
  if (manifest.files[FILES.neighbours]) {
    const n = readJson<NeighboursFile>(dir, FILES.neighbours);
    const codes = new Int8Array(readBytes(dir, FILES.neighbourCodes));
    const scales = new Float32Array(readBytes(dir, FILES.neighbourScales));
    if (scales.length !== n.titles.length || codes.length !== n.titles.length * classifier.dim) {
      throw new Error(`${path.join(dir, FILES.neighbourCodes)}: ${codes.length} codes and ${scales.length} scales for ${n.titles.length} titles of ${classifier.dim} dimensions`);
    }
    out.neighbours = { ...n, codes, scales };
  }
  if (manifest.files[FILES.heads]) out.heads = readJson<Record<LabelledType, LinearProbeFile>>(dir, FILES.heads);
  return out;
}
