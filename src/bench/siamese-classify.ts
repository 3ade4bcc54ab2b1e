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
import { neighboursProtocol } from "../experiments/protocols";
import { intParam, registerBenchmark } from "./registry";

registerBenchmark({
  name: "siamese-classify",
  params: ["backend", "run", "titles", "protocol", "threads"],
  help:
    "Siamese classification throughput in batch: titles/s for role + level + industry, target >= 5,000 (--backend B; -p titles=20000 run=ID " +
    "protocol=representatives|neighbours threads=2). neighbours: each title against all 55k labelled training titles (exact top-k), k=10.",
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
    const protocol = params.protocol ?? "representatives";
    if (protocol !== "representatives" && protocol !== "neighbours") throw new Error(`protocol must be representatives or neighbours, got ${JSON.stringify(protocol)}`);
    const pool = [...d.test, ...d.dev, ...d.train].map((x) => x.title);
    const titles = Array.from({ length: n }, (_, i) => pool[i % pool.length]);
    const batch = 4096;
    let classify: (titles: string[]) => Promise<unknown> = (ts) => t.classify(ts);
    if (protocol === "neighbours") {
      // Settings as a run would record them (k and weighting are chosen on dev; speed hardly depends on them), an
      // identity calibration, and Level by the pinned groups, as the protocol has it.
      const identity = { method: "isotonic" as const, x: [0, 1], y: [0, 1] };
      const t1 = performance.now();
      const p = await neighboursProtocol(t.similarity, d, {
        name: "siamese",
        level: t.predictor(),
        threads: intParam(params, "threads", 2),
        record: { protocol: "neighbours", settings: { role: { k: 10, weighting: "similarity" }, industry: { k: 10, weighting: "similarity" } }, calibration: { role: identity, industry: identity } },
      });
      log(`index of ${d.train.length} training titles built in ${((performance.now() - t1) / 1000).toFixed(1)} s (once per process)`);
      classify = async (ts) => {
        for (const type of ["role", "level", "industry"] as const) await p.predict(ts, type);
      };
    }
    await classify(titles.slice(0, 512)); // warm-up: kernels compiled, buffers allocated
    const t0 = performance.now();
    for (let i = 0; i < titles.length; i += batch) await classify(titles.slice(i, i + batch));
    const seconds = (performance.now() - t0) / 1000;
    const rate = n / seconds;
    const reps = ["role", "level", "industry"].map((ty) => [...t.representatives[ty as "role"].values()].reduce((a, l) => a + l.length, 0));
    const against = protocol === "neighbours" ? `neighbours: all ${d.train.length} training titles, k=10` : `representatives: role ${reps[0]}, level ${reps[1]}, industry ${reps[2]}`;
    log(`${n} titles in ${seconds.toFixed(2)} s on ${backend.name}: ${Math.round(rate)} titles/s (${against})`);
    return { name: "siamese-classify", figures: { titles: n, seconds, titlesPerSecond: rate, backend: backend.name, protocol }, lines: [`${Math.round(rate)} titles/s, protocol ${protocol} (target: >= 5,000)`] };
  },
});
