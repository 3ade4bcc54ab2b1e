// `jtlab run <notebook.ipynb> [-p name=value ...] [--out DIR] [--timeout SECONDS] [--self-contained]`
//
// The report links the output folder's shared assets/plotly.min.js; --self-contained embeds plotly.js instead, for
// one file that opens offline (to mail, say).
//
// The run owns its kernel: the first SIGINT (Ctrl-C), SIGTERM or SIGHUP interrupts the running cell, saves the
// executed notebook and its report marked "interrupted at cell N by SIGNAL", shuts the kernel down (its process group
// killed, its connection folder removed) and exits 128 + the signal's number (130, 143, 129). A second signal stops
// at once, still killing the kernel and saving what ran.
import * as fs from "fs";
import * as path from "path";
import { SIGNAL_EXIT_CODE, stopSignalReceived } from "../../io/signals";
import { describeFailure, describeInterruption } from "../../notebook/runner";
import { PLOTLY_ASSET } from "../../report/assets";
import { publishNotebook } from "../../report/publish";
import { num, parse, UsageError } from "../args";
import { parseParams } from "../params";

const USAGE = "jtlab run <notebook.ipynb> [-p name=value ...] [--out DIR] [--timeout SECONDS] [--self-contained] [--quiet]";

export async function runCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      param: { type: "string", short: "p", multiple: true },
      out: { type: "string" },
      timeout: { type: "string" },
      quiet: { type: "boolean", short: "q" },
      "self-contained": { type: "boolean" },
    },
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(`name one notebook\n\nusage: ${USAGE}`);
  const file = positionals[0];
  if (!fs.existsSync(file)) throw new UsageError(`${file}: no such notebook`);
  const params = parseParams(values.param ?? []);
  const timeoutSeconds = values.timeout === undefined ? undefined : num(values.timeout, "timeout", 0);
  const selfContained = values["self-contained"] === true;
  const r = await publishNotebook(file, { params, outDir: values.out, timeoutSeconds, echo: !values.quiet, selfContained });
  const rel = (p: string): string => path.relative(process.cwd(), p);
  const outcome = r.ok ? "ok" : r.interrupted ? "INTERRUPTED" : "FAILED";
  console.error(`${outcome}: ${file} in ${r.seconds.toFixed(1)} s (kernel start-up ${r.kernelStartupSeconds.toFixed(1)} s)`);
  const plotly = selfContained ? "plotly.js inlined" : `plotly.js linked from ${PLOTLY_ASSET}`;
  console.error(`executed notebook: ${rel(r.ipynbPath)}\nreport: ${rel(r.htmlPath)} (${reportSize(r.reportBytes)}; ${plotly})`);
  if (r.interrupted) console.error(describeInterruption(r.interrupted));
  if (r.failure) {
    console.error(`error in ${describeFailure(r.failure)}`);
    process.exitCode = 1;
  }
  // A stop wins over a failure: the shell's code for the signal (also when the last cell finished anyway).
  const signal = r.interrupted?.signal ?? stopSignalReceived();
  if (signal) process.exitCode = SIGNAL_EXIT_CODE[signal];
}

/** A report's size in the unit that reads best: linked reports are KBs, self-contained ones MBs. */
function reportSize(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}
