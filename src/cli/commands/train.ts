// `jtlab train siamese [--profile quick|full] [-p name=value ...] [--backend B]`: the notebook's training, from the
// command line, with the same code and parameters.
import { siameseConfig, SIAMESE_OVERRIDES } from "../../models/siamese/config";
import { runSiameseExperiment } from "../../models/siamese/pipeline";
import { parse, UsageError } from "../args";
import { parseParams } from "../params";

const USAGE = `jtlab train siamese [--profile quick|full] [-p name=value ...] [--backend wasm|webgpu|tensorflow|cpu]\n  parameters: ${SIAMESE_OVERRIDES.join(", ")}`;

export async function trainCommand(argv: string[]): Promise<void> {
  const [what, ...rest] = argv;
  if (what !== "siamese") throw new UsageError(`usage: ${USAGE}`);
  const { values } = parse(rest, { profile: { type: "string" }, param: { type: "string", short: "p", multiple: true }, backend: { type: "string" }, name: { type: "string" } }, USAGE);
  const cfg = siameseConfig(values.profile ?? "quick", parseParams(values.param ?? []));
  const x = await runSiameseExperiment(cfg, { backend: values.backend, name: values.name });
  const m = x.run.record.metrics as Record<string, number>;
  console.log(`run ${x.run.record.id} (${x.backend}): ${x.training.history.length} epochs, best ${x.training.bestEpoch}, ${Math.round(x.training.pairsPerSecond)} pairs/s`);
  console.log(`role test accuracy ${m.role_test_accuracy} (coverage ${m.role_test_coverage}), industry ${m.industry_test_accuracy}, level gold test ${m.level_gold_test_accuracy}, golden ${m.golden_passed}/${m.golden_total}`);
  console.log(`model: ${x.run.dir}`);
}
