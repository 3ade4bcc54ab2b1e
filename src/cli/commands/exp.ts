// `jtlab exp list | show ID | compare [IDs | --latest-per-method] [--metric NAME ...] [--json]`
import { compareRuns, comparisonText, latestPerMethod } from "../../experiments/compare";
import { findRun, listRuns, runsDir } from "../../experiments/registry";
import { parse, UsageError } from "../args";

const USAGE = "jtlab exp list [--json]\n       jtlab exp show ID [--json]\n       jtlab exp compare [ID ...] [--latest-per-method] [--metric NAME ...] [--json]";

export async function expCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, { json: { type: "boolean" }, "latest-per-method": { type: "boolean" }, metric: { type: "string", multiple: true } }, USAGE);
  if (sub === "list") {
    const runs = listRuns();
    if (values.json) return void console.log(JSON.stringify(runs.map((r) => ({ id: r.id, method: r.method, kind: r.kind, status: r.status, started: r.started, seconds: r.seconds }))));
    if (runs.length === 0) return void console.log(`no runs in ${runsDir()}`);
    for (const r of runs) console.log(`${r.id.padEnd(44)} ${r.method.padEnd(18)} ${r.kind.padEnd(8)} ${r.status.padEnd(8)} ${r.seconds === null ? "" : `${r.seconds.toFixed(1)} s`}${r.error ? `  ${r.error}` : ""}`);
    return;
  }
  if (sub === "show") {
    if (positionals.length !== 1) throw new UsageError(`usage: ${USAGE}`);
    const r = findRun(positionals[0]);
    console.log(JSON.stringify(r, null, 2));
    return;
  }
  if (sub === "compare") {
    const all = listRuns();
    const runs = values["latest-per-method"] ? latestPerMethod(all) : positionals.length ? positionals.map((id) => findRun(id)) : all;
    if (runs.length === 0) throw new Error(`no runs to compare in ${runsDir()}`);
    const c = compareRuns(runs, values.metric ?? []);
    console.log(values.json ? JSON.stringify(c, null, 2) : comparisonText(c));
    return;
  }
  throw new UsageError(`usage: ${USAGE}`);
}
