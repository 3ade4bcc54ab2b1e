// Saving and loading a Siamese model with plain files (model.json + weights.bin), on any backend: the file://
// handler exists only in tfjs-node, so the artifacts are written and read here. Each file is written whole or not at
// all; on load a weights file of the wrong size or with non-finite numbers is an error naming it (the run's SHA-256
// check, in src/experiments/registry.ts, catches any other change).
import * as tf from "@tensorflow/tfjs";
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../../io/atomic";
import "./model"; // registers the AbsDiff layer before any model is deserialized
import { SiameseConfig, SiameseModel } from "./model";

export async function saveSiamese(m: SiameseModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await m.model.save(
    tf.io.withSaveHandler(async (art) => {
      const weights = Buffer.from(art.weightData as ArrayBuffer);
      writeFileAtomic(path.join(dir, "weights.bin"), weights);
      const json = { modelTopology: art.modelTopology, weightsManifest: [{ paths: ["weights.bin"], weights: art.weightSpecs }], format: art.format, generatedBy: art.generatedBy, convertedBy: art.convertedBy };
      writeFileAtomic(path.join(dir, "model.json"), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes: weights.length } };
    }),
  );
  writeFileAtomic(path.join(dir, "siamese-config.json"), JSON.stringify(m.config, null, 2) + "\n");
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** Checks a weights file against its manifest: the size the specs add up to, and finite float32 numbers. */
function checkWeights(file: string, weights: Buffer, specs: tf.io.WeightsManifestEntry[]): void {
  const want = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[w.dtype ?? "float32"] ?? 4), 0);
  if (weights.length !== want) throw new Error(`${file}: ${weights.length} bytes, model.json's weights need ${want}: the file is truncated or from another model (retrain it)`);
  let at = 0;
  for (const w of specs) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    if ((w.dtype ?? "float32") === "float32") {
      const xs = new Float32Array(weights.buffer.slice(weights.byteOffset + at, weights.byteOffset + at + n * 4));
      if (xs.some((x) => !Number.isFinite(x))) throw new Error(`${file}: weight ${w.name} holds non-finite numbers: the file is damaged (retrain it)`);
    }
    at += n * (DTYPE_BYTES[w.dtype ?? "float32"] ?? 4);
  }
}

export async function loadSiamese(dir: string): Promise<SiameseModel> {
  const file = path.join(dir, "model.json");
  if (!fs.existsSync(file)) throw new Error(`no Siamese model in ${dir} (missing model.json)`);
  let json;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const weightsFile = path.join(dir, "weights.bin");
  if (!fs.existsSync(weightsFile)) throw new Error(`no Siamese model in ${dir} (missing weights.bin)`);
  const weights = fs.readFileSync(weightsFile);
  checkWeights(weightsFile, weights, json.weightsManifest?.[0]?.weights ?? []);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  const config: SiameseConfig = JSON.parse(fs.readFileSync(path.join(dir, "siamese-config.json"), "utf8"));
  const tower = model.getLayer("tower") as unknown as tf.LayersModel;
  return { config, tower, model };
}
