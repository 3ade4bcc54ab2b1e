// `jtlab train siamese [--profile quick|full] [-p name=value ...] [--backend B]`: the notebook's training, from the
// command line, with the same code and parameters.
import { siameseRunConfig } from "../../experiments/configs";
import { siameseSpec } from "../../experiments/methods";
import { typeStat } from "../../experiments/metrics";
import { runExperiment } from "../../experiments/pipeline";
import { SIAMESE_OVERRIDES } from "../../models/siamese/config";
import { initBackend } from "../../runtime/backend";
import { parse, UsageError } from "../args";
import { parseParams } from "../params";

const USAGE = `jtlab train siamese [--profile quick|full] [-p name=value ...] [--backend wasm|webgpu|tensorflow|cpu]\n  parameters: ${SIAMESE_OVERRIDES.join(", ")}`;

export async function trainCommand(argv: string[]): Promise<void> {
  const [what, ...rest] = argv;
  if (what !== "siamese") throw new UsageError(`usage: ${USAGE}`);
  const { values } = parse(rest, { profile: { type: "string" }, param: { type: "string", short: "p", multiple: true }, backend: { type: "string" }, name: { type: "string" } }, USAGE);
  const cfg = siameseRunConfig(values.profile ?? "quick", parseParams(values.param ?? []));
  // The backend first, as notebook 04 does: a backend that cannot start is a usage problem, not a failed run.
  await initBackend({ backend: values.backend });
  const x = await runExperiment(siameseSpec(cfg, { backend: values.backend, name: values.name }));
  const m = x.run.record.metrics;
  const pct = (v: number | null): string => (v === null ? "n/a" : `${(v * 100).toFixed(1)}%`);
  const t = x.model.training;
  console.log(`run ${x.run.record.id} (${x.model.backend.name}): ${t.history.length} epochs, best ${t.bestEpoch}, ${Math.round(t.pairsPerSecond)} pairs/s`);
  console.log(
    `test: role ${pct(typeStat(m, "test", "role", "accuracy"))} (coverage ${pct(typeStat(m, "test", "role", "coverage"))}), ` +
      `industry ${pct(typeStat(m, "test", "industry", "accuracy"))}, level (gold test) ${pct(typeStat(m, "test", "level", "accuracy"))}, ` +
      `golden ${m.test?.golden.passed}/${m.test?.golden.total}; MELO MRR ${m.melo?.mrr.toFixed(4) ?? "n/a"}`,
  );
  console.log(`model: ${x.run.dir}`);
}
