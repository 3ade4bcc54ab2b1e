// Executes a notebook headless on the tslab kernel, cell by cell, with papermill-style parameters, and stops at the
// first failing cell. It returns the executed notebook (outputs, execution counts, per-cell timing and status, run
// metadata); saving it and rendering its report is the caller's job (src/report/publish.ts). The source notebook is
// only read.
import * as path from "path";
import { ParamValue } from "../core/types";
import { projectPath } from "../data/paths";
import { KERNEL_ENV, RUNNER_ENV } from "../runtime/kernel-env";
import { mergeRunInfo, RUN_INFO_MIME, RunInfo } from "../runtime/run-info";
import { codeVersion } from "../util/git";
import { ExecuteResult, KernelClient } from "./kernel";
import { Output } from "./messages";
import { Cell, Notebook, readNotebook, sourceText, tags } from "./nbformat";
import { parameterize } from "./params";

export interface RunOptions {
  params?: Record<string, ParamValue>;
  /** Per-cell limit in seconds (none by default). */
  timeoutSeconds?: number;
  /** Live output and progress lines (default: stderr). */
  log?: (line: string) => void;
  /** Echo the cells' stdout/stderr as they run. */
  echo?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface CellFailure {
  /** 1-based number of the cell in the source notebook (0 for the injected parameters cell). */
  cell: number;
  line: number | null;
  lineText: string | null;
  error: string;
  status: ExecuteResult["status"];
}

export interface RunResult {
  ok: boolean;
  /** The source notebook's path. */
  notebook: string;
  /** The executed copy: outputs, counts, timing, and run metadata under metadata.jtlab. */
  executed: Notebook;
  seconds: number;
  kernelStartupSeconds: number;
  failure: CellFailure | null;
  runInfo: RunInfo;
}

/** Where the error happened, from what tslab printed on stderr (it sends no structured error message). */
export function locateFailure(code: string, stderr: string): { line: number | null; lineText: string | null; error: string } {
  const lines = code.split("\n");
  const diag = /^(\d+):(\d+) - (.+)$/m.exec(stderr);
  if (diag) {
    const n = Number(diag[1]);
    return { line: n, lineText: lines[n - 1]?.trim() ?? null, error: diag[3] };
  }
  const errLine = stderr.split("\n").find((l) => /^([A-Za-z_$][\w$]*)?(Error|Exception)\b.*|^Uncaught /.test(l.trim()))?.trim();
  const error = errLine ?? (stderr.trim().split("\n")[0] || "the cell failed without a message");
  // Node prints the failing source line under "evalmachine.<anonymous>:N" for synchronous throws; find it in
  // the cell (tslab's compiled line numbers do not match the source).
  const snippet = /evalmachine\.<anonymous>:\d+\n(.*)\n\s*\^/.exec(stderr)?.[1]?.trim();
  if (snippet) {
    const i = lines.findIndex((l) => l.trim() === snippet);
    if (i >= 0) return { line: i + 1, lineText: snippet, error };
    const j = lines.findIndex((l) => l.includes(snippet) || (snippet.length > 8 && snippet.includes(l.trim()) && l.trim().length > 8));
    if (j >= 0) return { line: j + 1, lineText: lines[j].trim(), error };
  }
  return { line: null, lineText: null, error };
}

function isJsonMime(mime: string): boolean {
  return mime === "application/json" || /\+json$/.test(mime);
}

/** nbformat wants JSON MIME data as objects; tslab sends strings. Run-info messages move into metadata. */
function tidyOutputs(outputs: Output[], info: { value: RunInfo }): Output[] {
  const kept: Output[] = [];
  for (const o of outputs) {
    if (o.output_type === "display_data" || o.output_type === "execute_result") {
      if (RUN_INFO_MIME in o.data) {
        const v = o.data[RUN_INFO_MIME];
        info.value = mergeRunInfo(info.value, typeof v === "string" ? JSON.parse(v) : (v as RunInfo));
        continue;
      }
      for (const [mime, v] of Object.entries(o.data)) {
        if (isJsonMime(mime) && typeof v === "string") {
          try {
            o.data[mime] = JSON.parse(v);
          } catch {
            // Leave it as text: the renderer shows what it cannot parse.
          }
        }
      }
    }
    kept.push(o);
  }
  return kept;
}

export async function runNotebook(file: string, opts: RunOptions = {}): Promise<RunResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const source = readNotebook(file);
  const nb: Notebook = parameterize(source, opts.params ?? {});
  const started = new Date();
  const t0 = performance.now();
  const version = codeVersion();
  const kernel = new KernelClient({ env: { ...opts.env, [KERNEL_ENV]: "1", [RUNNER_ENV]: "1" } });
  let failure: CellFailure | null = null;
  const info = { value: {} as RunInfo };
  // Source cell numbers: the injected cell has none, so it is numbered 0 and the rest keep their own.
  const sourceNumber = (idx: number): number => {
    let n = 0;
    for (let i = 0; i <= idx; i++) if (!tags(nb.cells[i]).includes("injected-parameters")) n++;
    return tags(nb.cells[idx]).includes("injected-parameters") ? 0 : n;
  };
  try {
    await kernel.start();
    log(`kernel: tslab started in ${kernel.startupSeconds.toFixed(1)} s`);
    for (let i = 0; i < nb.cells.length; i++) {
      const cell: Cell = nb.cells[i];
      if (cell.cell_type !== "code") continue;
      const code = sourceText(cell);
      if (failure) {
        cell.metadata.jtlab = { status: "skipped" };
        cell.outputs = [];
        cell.execution_count = null;
        continue;
      }
      if (!code.trim()) {
        cell.outputs = [];
        cell.execution_count = null;
        continue;
      }
      const cellStart = new Date();
      const r = await kernel.execute(code, {
        timeoutSeconds: opts.timeoutSeconds,
        onOutput: opts.echo
          ? (o) => {
              if (o.output_type === "stream") (o.name === "stderr" ? process.stderr : process.stdout).write(o.text);
            }
          : undefined,
      });
      cell.outputs = tidyOutputs(r.outputs, info);
      cell.execution_count = r.executionCount;
      cell.metadata.jtlab = { status: r.status, start_time: cellStart.toISOString(), duration: Number(r.seconds.toFixed(3)) };
      log(`cell ${sourceNumber(i) || "parameters"}: ${r.status} (${r.seconds.toFixed(1)} s)`);
      if (r.status !== "ok") {
        const stderr = r.outputs.filter((o) => o.output_type === "stream" && o.name === "stderr").map((o) => (o as { text: string }).text).join("");
        const where =
          r.status === "timeout"
            ? { line: null, lineText: null, error: `the cell ran longer than ${opts.timeoutSeconds} s and was stopped` }
            : locateFailure(code, stderr);
        failure = { cell: sourceNumber(i), status: r.status, ...where };
        cell.metadata.jtlab.error = failure;
        if (r.status === "timeout") kernel.interrupt();
      }
    }
  } catch (e) {
    failure = failure ?? { cell: 0, line: null, lineText: null, error: (e as Error).message, status: "error" };
  } finally {
    await kernel.shutdown();
  }
  const seconds = (performance.now() - t0) / 1000;
  nb.metadata.jtlab = {
    ...nb.metadata.jtlab,
    notebook: path.relative(projectPath(), path.resolve(file)),
    started: started.toISOString(),
    duration: Number(seconds.toFixed(2)),
    kernel_startup: Number(kernel.startupSeconds.toFixed(2)),
    status: failure ? "failed" : "ok",
    failure,
    git_commit: version.commit,
    git_dirty: version.dirty,
    node: process.version,
    backend: info.value.backend ?? null,
    run_info: info.value,
  };
  return {
    ok: !failure,
    notebook: file,
    executed: nb,
    seconds,
    kernelStartupSeconds: kernel.startupSeconds,
    failure,
    runInfo: info.value,
  };
}

export function describeFailure(f: CellFailure): string {
  const cell = f.cell === 0 ? "the injected parameters cell" : `cell ${f.cell}`;
  const line = f.line ? `, line ${f.line}${f.lineText ? ` (${f.lineText})` : ""}` : "";
  return `${cell}${line}: ${f.error}`;
}
