// The trivial baselines as run metrics, computed on the same splits by the same suite as every method, so that every
// table (notebooks, reports, `jtlab exp compare`) can print them beside the methods without anyone training them.
import { Datasets } from "../datasets/build";
import { loadMessyTitles } from "../datasets/messy";
import { BaselineKind, baselinePredictor, BASELINES } from "../eval/baselines";
import { evaluateMessy } from "../eval/messy";
import { evaluateSuite } from "../eval/suite";
import { RunMetrics } from "./metrics";
import { splitMetrics } from "./record";

export interface BaselineMetrics {
  kind: BaselineKind;
  name: string;
  metrics: RunMetrics;
}

const cache = new Map<string, BaselineMetrics[]>();

/** Majority class and stratified random on dev, test and the messy titles (cached per dataset fingerprint). */
export async function baselineMetrics(d: Datasets): Promise<BaselineMetrics[]> {
  const hit = cache.get(d.fingerprint);
  if (hit) return hit;
  const out: BaselineMetrics[] = [];
  for (const kind of BASELINES) {
    const p = baselinePredictor(kind, d);
    const dev = await evaluateSuite(p, d, { split: "dev", levelSplit: "dev", golden: [] });
    const test = await evaluateSuite(p, d, { split: "test", levelSplit: "test", golden: [] });
    out.push({ kind, name: p.name, metrics: { protocol: "baseline", dev: splitMetrics(dev), test: splitMetrics(test), messy: await evaluateMessy(p, loadMessyTitles()) } });
  }
  cache.set(d.fingerprint, out);
  return out;
}
