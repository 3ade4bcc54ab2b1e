// Finding trained Siamese runs in the registry: the latest one by default, or one named by id.
import * as fs from "fs";
import * as path from "path";
import { findRun, listRuns, runDir, runsDir } from "../../experiments/registry";

export function isSiameseRun(method: string): boolean {
  return method.startsWith("siamese");
}

/** The folder of a trained Siamese run: `id` (or a unique prefix), else the latest finished one with a model. */
export function siameseRunDir(id?: string): string {
  if (id) {
    const r = findRun(id);
    if (!isSiameseRun(r.method)) throw new Error(`run ${r.id} is a ${r.method} run, not a Siamese model`);
    if (r.status !== "ok") throw new Error(`run ${r.id} did not finish (status ${r.status}${r.error ? `: ${r.error}` : ""})`);
    return runDir(r.id);
  }
  const runs = listRuns().filter((r) => isSiameseRun(r.method) && r.kind === "train" && r.status === "ok" && fs.existsSync(path.join(runDir(r.id), "model", "model.json")));
  if (runs.length === 0) {
    throw new Error(`no trained Siamese model in ${runsDir()}: train one with \`npx jtlab train siamese\` (quick profile), or run notebook 04`);
  }
  return runDir(runs[runs.length - 1].id);
}
