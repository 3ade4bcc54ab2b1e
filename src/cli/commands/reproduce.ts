// `jtlab reproduce [--profile quick|full] [--out DIR] [--only NN ...] [--notebooks DIR] [--profiles FILE] [--self-contained]`
//
// The reports share one plotly.js in <out>/assets/; --self-contained embeds it in every report instead.
//
// --notebooks and --profiles point at another notebooks folder and profiles file than notebooks/ and
// experiments/configs/notebooks.json (for tests, and for trying a profile before committing it).
//
// A stop (SIGINT, SIGTERM, SIGHUP) interrupts the current notebook at its cell, starts no other, still writes the
// index (the interrupted notebook marked so, the rest "not run") and exits 128 + the signal's number.
import * as path from "path";
import { SIGNAL_EXIT_CODE, stopSignalReceived } from "../../io/signals";
import { describeFailure, describeInterruption } from "../../notebook/runner";
import { PLOTLY_ASSET } from "../../report/assets";
import { reproduce } from "../../report/publish";
import { parse } from "../args";

const USAGE = "jtlab reproduce [--profile quick|full] [--out DIR] [--only NN ...] [--notebooks DIR] [--profiles FILE] [--self-contained]";

export async function reproduceCommand(argv: string[]): Promise<void> {
  const { values } = parse(
    argv,
    {
      profile: { type: "string" },
      out: { type: "string" },
      only: { type: "string", multiple: true },
      notebooks: { type: "string" },
      profiles: { type: "string" },
      "self-contained": { type: "boolean" },
    },
    USAGE,
  );
  const { results, indexPath, notRun, stopped } = await reproduce({
    profile: values.profile ?? "quick",
    outDir: values.out,
    only: values.only,
    notebooksDir: values.notebooks === undefined ? undefined : path.resolve(values.notebooks),
    profilesFile: values.profiles === undefined ? undefined : path.resolve(values.profiles),
    selfContained: values["self-contained"] === true,
  });
  console.log("\nnotebook                    status       seconds");
  for (const r of results) {
    console.log(`${path.basename(r.notebook, ".ipynb").padEnd(28)}${(r.ok ? "ok" : r.interrupted ? "INTERRUPTED" : "FAILED").padEnd(13)}${r.seconds.toFixed(1).padStart(7)}`);
    if (r.failure) console.log(`  ${describeFailure(r.failure)}`);
    if (r.interrupted) console.log(`  ${describeInterruption(r.interrupted)}`);
  }
  for (const nb of notRun) console.log(`${path.basename(nb, ".ipynb").padEnd(28)}not run`);
  const htmlBytes = results.reduce((a, r) => a + r.reportBytes, 0);
  const plotly = values["self-contained"] ? "each with plotly.js inside" : `sharing ${PLOTLY_ASSET}`;
  console.log(`\nindex: ${path.relative(process.cwd(), indexPath)}; ${results.length} report(s), ${Math.round(htmlBytes / 1e3).toLocaleString("en-US")} KB of HTML, ${plotly}`);
  if (results.some((r) => !r.ok)) process.exitCode = 1;
  const signal = stopped ?? stopSignalReceived();
  if (signal) process.exitCode = SIGNAL_EXIT_CODE[signal];
}
