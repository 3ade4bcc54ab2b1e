// `jtlab exp list | show ID | compare [IDs | --latest-per-method] [--reference] [--metric NAME ...] [--json]`
import { loadDatasets } from "../../datasets/build";
import { baselineMetrics } from "../../experiments/baselines";
import { compareRuns, comparisonText, latestPerMethod } from "../../experiments/compare";
import { findRun, latestRun, listReferenceRuns, listRuns, referenceDir, RunRecord, runsDir, runState } from "../../experiments/registry";
import { parse, UsageError } from "../args";

const USAGE =
  "jtlab exp list [--reference] [--json]\n       jtlab exp show ID [--json]\n" +
  "       jtlab exp compare [ID ...] [--latest-per-method] [--reference] [--metric NAME ...] [--no-baselines] [--json]\n" +
  "  compare: the majority-class and stratified-random baselines lead; figures below the majority baseline are marked ▼\n" +
  "  --reference: the committed reference runs of the quick profile (experiments/reference/): listed, or put beside each compared run";

function listLine(r: RunRecord): string {
  const state = runState(r);
  const why = state === "stale" ? `  process ${r.pid} on ${r.host} is gone: it was killed before it could record an end` : r.error ? `  ${r.error}` : "";
  return `${r.id.padEnd(44)} ${r.method.padEnd(18)} ${r.kind.padEnd(8)} ${state.padEnd(11)} ${r.seconds === null ? "" : `${r.seconds.toFixed(1)} s`}${why}`;
}

/** A run of the user's registry by id, else a reference run of that id. */
function findAnyRun(id: string): RunRecord {
  try {
    return findRun(id);
  } catch (e) {
    const ref = listReferenceRuns().find((r) => r.id === id || r.id.startsWith(id));
    if (ref) return ref;
    throw e;
  }
}

export async function expCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(
    rest,
    { json: { type: "boolean" }, "latest-per-method": { type: "boolean" }, reference: { type: "boolean" }, metric: { type: "string", multiple: true }, "no-baselines": { type: "boolean" } },
    USAGE,
  );
  if (sub === "list") {
    const runs = values.reference ? listReferenceRuns() : listRuns();
    const where = values.reference ? referenceDir() : runsDir();
    if (values.json) return void console.log(JSON.stringify(runs.map((r) => ({ id: r.id, method: r.method, kind: r.kind, status: runState(r), started: r.started, seconds: r.seconds }))));
    if (runs.length === 0) return void console.log(`no runs in ${where}`);
    for (const r of runs) console.log(listLine(r));
    return;
  }
  if (sub === "show") {
    if (positionals.length !== 1) throw new UsageError(`usage: ${USAGE}`);
    console.log(JSON.stringify(findAnyRun(positionals[0]), null, 2));
    return;
  }
  if (sub === "compare") {
    const all = listRuns();
    let runs = values["latest-per-method"] ? latestPerMethod(all) : positionals.length ? positionals.map((id) => findAnyRun(id)) : all;
    if (values.reference) {
      const refs = listReferenceRuns();
      if (refs.length === 0) throw new Error(`no reference runs in ${referenceDir()}`);
      // Each run followed by the reference run of its method, so that a new run reads beside the published one.
      runs = runs.flatMap((r) => {
        const ref = latestRun({ method: r.method }, refs, referenceDir());
        return ref && ref.id !== r.id ? [r, ref] : [r];
      });
      if (runs.length === 0) runs = refs;
    }
    if (runs.length === 0) throw new Error(`no runs to compare in ${runsDir()}`);
    // The trivial baselines on the same splits lead the table (computed, not recorded: they train nothing).
    const baselines = values["no-baselines"] ? [] : await baselineMetrics(loadDatasets());
    const c = compareRuns(runs, values.metric ?? [], baselines);
    console.log(values.json ? JSON.stringify(c, null, 2) : comparisonText(c));
    return;
  }
  throw new UsageError(`usage: ${USAGE}`);
}
