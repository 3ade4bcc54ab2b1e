// Benchmark: titles classified per second in batch by a Siamese model (role, level and industry with scores),
// through the same code `jtlab classify` and `jtlab score` use. Speed does not depend on training, so a freshly
// initialized model of the configured size is timed unless a run is named.
import { loadDatasets } from "../datasets/build";
import { chooseRepresentatives, levelRepresentatives } from "../models/representatives/classifier";
import { siameseRunConfig } from "../experiments/configs";
import { siameseRunDir } from "../experiments/trained-models";
import { makeEncoder, modelConfig } from "../models/siamese/config";
import { buildSiamese } from "../models/siamese/model";
import { TrainedSiamese } from "../models/siamese/trained";
import { initBackend } from "../runtime/backend";
import { intParam, registerBenchmark } from "./registry";

registerBenchmark({
  name: "siamese-classify",
  params: ["backend", "run", "titles"],
  help: "Siamese classification throughput in batch: titles/s for role + level + industry, target >= 5,000 (--backend B; -p titles=20000 run=ID)",
  async run({ params, log }) {
    const backend = await initBackend({ backend: params.backend, log });
    const d = loadDatasets();
    let t: TrainedSiamese;
    if (params.run) t = await TrainedSiamese.load(siameseRunDir(params.run));
    else {
      const cfg = siameseRunConfig("quick");
      const enc = makeEncoder(cfg, d);
      const reps = { role: chooseRepresentatives(d.train, "role"), industry: chooseRepresentatives(d.train, "industry"), level: levelRepresentatives() };
      t = await TrainedSiamese.create(buildSiamese(modelConfig(cfg, enc)), enc, reps, { aggregate: cfg.aggregate, k: cfg.k, threshold: cfg.threshold });
    }
    const n = intParam(params, "titles", 20000);
    const pool = [...d.test, ...d.dev, ...d.train].map((x) => x.title);
    const titles = Array.from({ length: n }, (_, i) => pool[i % pool.length]);
    await t.classify(titles.slice(0, 512)); // warm-up: kernels compiled, buffers allocated
    const t0 = performance.now();
    const batch = 4096;
    for (let i = 0; i < titles.length; i += batch) await t.classify(titles.slice(i, i + batch));
    const seconds = (performance.now() - t0) / 1000;
    const rate = n / seconds;
    const reps = ["role", "level", "industry"].map((ty) => [...t.representatives[ty as "role"].values()].reduce((a, l) => a + l.length, 0));
    log(`${n} titles in ${seconds.toFixed(2)} s on ${backend.name}: ${Math.round(rate)} titles/s (representatives: role ${reps[0]}, level ${reps[1]}, industry ${reps[2]})`);
    return { name: "siamese-classify", figures: { titles: n, seconds, titlesPerSecond: rate, backend: backend.name }, lines: [`${Math.round(rate)} titles/s (target: >= 5,000)`] };
  },
});
