// Saving and loading a Siamese model with plain files (model.json + weights.bin), on any backend: the file://
// handler exists only in tfjs-node, so the artifacts are written and read here.
import * as tf from "@tensorflow/tfjs";
import * as fs from "fs";
import * as path from "path";
import "./model"; // registers the AbsDiff layer before any model is deserialized
import { SiameseConfig, SiameseModel } from "./model";

export async function saveSiamese(m: SiameseModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await m.model.save(
    tf.io.withSaveHandler(async (art) => {
      const weights = Buffer.from(art.weightData as ArrayBuffer);
      fs.writeFileSync(path.join(dir, "weights.bin"), weights);
      const json = { modelTopology: art.modelTopology, weightsManifest: [{ paths: ["weights.bin"], weights: art.weightSpecs }], format: art.format, generatedBy: art.generatedBy, convertedBy: art.convertedBy };
      fs.writeFileSync(path.join(dir, "model.json"), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes: weights.length } };
    }),
  );
  fs.writeFileSync(path.join(dir, "siamese-config.json"), JSON.stringify(m.config, null, 2) + "\n");
}

export async function loadSiamese(dir: string): Promise<SiameseModel> {
  const file = path.join(dir, "model.json");
  if (!fs.existsSync(file)) throw new Error(`no Siamese model in ${dir} (missing model.json)`);
  const json = JSON.parse(fs.readFileSync(file, "utf8"));
  const weights = fs.readFileSync(path.join(dir, "weights.bin"));
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
