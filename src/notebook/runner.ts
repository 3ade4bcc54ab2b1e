// Executes a notebook headless on the tslab kernel, cell by cell, with papermill-style parameters, and stops at the
// first failing cell. It returns the executed notebook (outputs, execution counts, per-cell timing and status, run
// metadata); saving it and rendering its report is the caller's job (src/report/publish.ts), which `save` lets do
// as the run goes, as papermill does: the notebook is handed over before the kernel starts and as each cell starts
// and ends. The source notebook is only read.
//
// A run holds a StopToken: the first SIGINT, SIGTERM or SIGHUP interrupts the kernel (SIGINT to tslab), waits a few
// seconds for the cell to answer, marks the run interrupted at that cell, skips the rest and shuts the kernel down
// (its process group is killed when the cell does not stop, e.g. a synchronous loop).
import * as path from "path";
import { ParamValue } from "../core/types";
import { projectPath } from "../data/paths";
import { KERNEL_ENV, RUNNER_ENV } from "../io/kernel-env";
import { StopRequested, StopSignal, StopToken, stopToken } from "../io/signals";
import { mergeRunInfo, RUN_INFO_MIME, RunInfo } from "../runtime/run-info";
import { codeVersion } from "../util/git";
import { ExecuteResult, KernelClient } from "./kernel";
import { cellMapper, cleanTrace, Output, SourcePosition, topLevelNames } from "./messages";
import { Cell, Notebook, readNotebook, sourceText, tags } from "./nbformat";
import { parameterize } from "./params";

/** Seconds a stopped run waits for the interrupted cell to answer before it stops waiting. */
export const INTERRUPT_GRACE_SECONDS = 3;

export interface RunOptions {
  params?: Record<string, ParamValue>;
  /** Per-cell limit in seconds (none by default). */
  timeoutSeconds?: number;
  /** Live output and progress lines (default: stderr). */
  log?: (line: string) => void;
  /** Echo the cells' stdout/stderr as they run. */
  echo?: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * Called with the notebook as it stands: once before the kernel starts (metadata.jtlab.status "running"), then as
   * each cell starts and ends. The first call may throw (nothing has run yet); later failures are reported and the
   * run goes on.
   */
  save?: (nb: Notebook) => void;
  /** The stop token to obey (e.g. one reproduce holds across notebooks); by default the run holds its own. */
  stop?: StopToken;
  /**
   * Keep tslab's and node's own frames in a failed cell's traceback. By default they are hidden unless jtlab was
   * started with --verbose or JTLAB_DEBUG is set.
   */
  verbose?: boolean;
}

/** Whether jtlab was asked for full stacks (main.ts takes --verbose out of the command's arguments, not argv). */
function verboseByDefault(): boolean {
  return process.argv.includes("--verbose") || !!process.env.JTLAB_DEBUG;
}

/** A run stopped by a signal: the signal and the source number of the first cell that did not complete. */
export interface Interruption {
  signal: StopSignal;
  cell: number;
}

export interface CellFailure {
  /** 1-based number of the cell in the source notebook (0 for the injected parameters cell). */
  cell: number;
  /** Line and column in the cell's own source (1-based), when the error could be placed. */
  line: number | null;
  column?: number | null;
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
  /** Set when a signal stopped the run. */
  interrupted: Interruption | null;
  runInfo: RunInfo;
}

type FailurePlace = { line: number | null; column: number | null; lineText: string | null; error: string };

/**
 * Where the error happened, from what tslab printed on stderr (it sends no structured error message): its compile
 * diagnostics are already in cell lines; for a runtime error `at` is the position cleanTrace mapped back to the cell.
 */
export function locateFailure(code: string, stderr: string, at: SourcePosition | null = null): FailurePlace {
  const lines = code.split("\n");
  const diag = /^(\d+):(\d+) - (.+)$/m.exec(stderr);
  if (diag) {
    const n = Number(diag[1]);
    return { line: n, column: Number(diag[2]), lineText: lines[n - 1]?.trim() ?? null, error: diag[3] };
  }
  const errLine = stderr.split("\n").find((l) => /^([A-Za-z_$][\w$]*)?(Error|Exception)\b.*|^Uncaught /.test(l.trim()))?.trim();
  const error = errLine ?? (stderr.trim().split("\n")[0] || "the cell failed without a message");
  if (at && lines[at.line - 1] !== undefined) return { line: at.line, column: at.column, lineText: lines[at.line - 1].trim(), error };
  // Node prints the failing source line under "evalmachine.<anonymous>:N" for synchronous throws; find it in
  // the cell (tslab's compiled line numbers do not match the source).
  const snippet = /evalmachine\.<anonymous>:\d+\n(.*)\n\s*\^/.exec(stderr)?.[1]?.trim();
  if (snippet) {
    const i = lines.findIndex((l) => l.trim() === snippet);
    if (i >= 0) return { line: i + 1, column: null, lineText: snippet, error };
    const j = lines.findIndex((l) => l.includes(snippet) || (snippet.length > 8 && snippet.includes(l.trim()) && l.trim().length > 8));
    if (j >= 0) return { line: j + 1, column: null, lineText: lines[j].trim(), error };
  }
  return { line: null, column: null, lineText: null, error };
}

/** Names the cells before `idx` that ran declared: tslab reads them in later cells as `exports.name`. */
function earlierNames(nb: Notebook, idx: number): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i < idx; i++) {
    const c = nb.cells[i];
    if (c.cell_type !== "code" || c.metadata.jtlab?.status !== "ok") continue;
    const n = topLevelNames(sourceText(c));
    for (const name of [...n.values, ...n.imports]) names.add(name);
  }
  return names;
}

/**
 * A failed cell's stderr with its traceback in the cell's own lines (and tslab's frames hidden unless verbose),
 * and where the failure is: the stream outputs are rewritten in place.
 */
function placeFailure(nb: Notebook, idx: number, number: number, outputs: Output[], verbose: boolean): FailurePlace {
  const code = sourceText(nb.cells[idx]);
  const stderr = outputs.filter((o) => o.output_type === "stream" && o.name === "stderr").map((o) => (o as { text: string }).text).join("");
  const traced = /evalmachine\.<anonymous>|\n\s+at /.test(stderr);
  const mapper = traced ? cellMapper(code, earlierNames(nb, idx)) : null;
  let at: SourcePosition | null = null;
  if (traced) {
    for (const o of outputs) {
      if (o.output_type !== "stream" || o.name !== "stderr") continue;
      const t = cleanTrace(o.text, { cell: number, code, mapper, root: projectPath(), verbose });
      o.text = t.text;
      at ??= t.at;
    }
  }
  return locateFailure(code, stderr, at);
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

/**
 * The cell's count once the kernel answered: the kernel's own when it replied; the count given at the start when it
 * ran without a reply (interrupted, timed out, the kernel died); none when the kernel never ran it (aborted).
 * execute_result outputs carry the same count.
 */
function settleExecutionCount(cell: Cell, r: ExecuteResult): void {
  if (r.status === "abort") cell.execution_count = null;
  else if (r.executionCount !== null) cell.execution_count = r.executionCount;
  for (const o of cell.outputs ?? []) if (o.output_type === "execute_result") o.execution_count = cell.execution_count ?? null;
}

/** Source cell numbers: the injected cell has none, so it is numbered 0 and the rest keep their own. */
export function sourceCellNumber(nb: Notebook, idx: number): number {
  if (tags(nb.cells[idx]).includes("injected-parameters")) return 0;
  let n = 0;
  for (let i = 0; i <= idx; i++) if (!tags(nb.cells[i]).includes("injected-parameters")) n++;
  return n;
}

/** The first code cell with source that has not completed (running or not reached), or -1. */
function firstUnfinished(nb: Notebook): number {
  return nb.cells.findIndex((c) => c.cell_type === "code" && sourceText(c).trim() && (!c.metadata.jtlab?.status || c.metadata.jtlab.status === "running"));
}

/**
 * Closes the books of a run that is still marked "running" (the process is exiting under it): the running cell is
 * marked interrupted, the cells not reached skipped, and the run interrupted by `signal` or, without one, failed.
 * Does nothing to a run that already has its final status.
 */
export function markUnfinished(nb: Notebook, signal: StopSignal | null): void {
  const m = nb.metadata.jtlab ?? (nb.metadata.jtlab = {});
  if (m.status !== "running") return;
  const idx = firstUnfinished(nb);
  const cell = idx >= 0 ? sourceCellNumber(nb, idx) : 0;
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "code" || !sourceText(c).trim()) return;
    if (i === idx && c.metadata.jtlab?.status === "running") c.metadata.jtlab.status = "interrupted";
    else if (!c.metadata.jtlab?.status) c.metadata.jtlab = { status: "skipped" };
  });
  delete m.running_cell;
  const started = Date.parse(m.started);
  if (Number.isFinite(started)) m.duration = Number(((Date.now() - started) / 1000).toFixed(2));
  if (signal) {
    m.status = "interrupted";
    m.interrupted = { signal, cell };
    m.failure = null;
  } else {
    m.status = "failed";
    m.failure = { cell, line: null, column: null, lineText: null, error: "jtlab exited while the notebook was running", status: "error" };
    m.interrupted = null;
  }
}

export async function runNotebook(file: string, opts: RunOptions = {}): Promise<RunResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const source = readNotebook(file);
  const nb: Notebook = parameterize(source, opts.params ?? {});
  const started = new Date();
  const t0 = performance.now();
  const version = codeVersion();
  nb.metadata.jtlab = {
    ...nb.metadata.jtlab,
    notebook: path.relative(projectPath(), path.resolve(file)),
    started: started.toISOString(),
    status: "running",
    git_commit: version.commit,
    git_dirty: version.dirty,
    node: process.version,
  };
  let saveWarned = false;
  const save = (): void => {
    if (!opts.save) return;
    try {
      opts.save(nb);
    } catch (e) {
      if (!saveWarned) log(`warning: the partial notebook could not be saved: ${(e as Error).message}`);
      saveWarned = true;
    }
  };
  // The first save may refuse the run (e.g. the output folder cannot be written): nothing has started yet.
  opts.save?.(nb);

  const kernel = new KernelClient({ env: { ...opts.env, [KERNEL_ENV]: "1", [RUNNER_ENV]: "1" } });
  const token = opts.stop ?? stopToken();
  let failure: CellFailure | null = null;
  let interrupted: Interruption | null = null;
  const info = { value: {} as RunInfo };
  const verbose = opts.verbose ?? verboseByDefault();
  // Execution counts as Jupyter numbers them: one per cell the kernel runs, set when the cell starts.
  let executionCount = 0;
  // The cell being executed, and how to stop waiting for it.
  let running: { number: number; abort: AbortController; grace?: NodeJS.Timeout } | null = null;
  let cellFailed = false;
  token.onStop((signal) => {
    kernel.cancelStart(signal);
    if (!running) return;
    const r = running;
    log(`${signal}: interrupting cell ${r.number || "parameters"}; the kernel is killed if it does not stop within ${INTERRUPT_GRACE_SECONDS} s`);
    kernel.interrupt();
    r.grace = setTimeout(() => r.abort.abort(), INTERRUPT_GRACE_SECONDS * 1000);
  });
  const interruptAt = (idx: number): void => {
    if (!interrupted && token.requested) interrupted = { signal: token.requested, cell: idx >= 0 ? sourceCellNumber(nb, idx) : 0 };
  };
  try {
    await kernel.start();
    log(`kernel: tslab started in ${kernel.startupSeconds.toFixed(1)} s (process group ${kernel.pgid}, ${path.dirname(kernel.connectionPath)})`);
    for (let i = 0; i < nb.cells.length; i++) {
      const cell: Cell = nb.cells[i];
      if (cell.cell_type !== "code") continue;
      const code = sourceText(cell);
      if (!failure && !interrupted && token.requested && code.trim()) interruptAt(i);
      if (failure || interrupted) {
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
      const number = sourceCellNumber(nb, i);
      const cellStart = new Date();
      cell.outputs = [];
      cell.execution_count = ++executionCount;
      cell.metadata.jtlab = { status: "running", start_time: cellStart.toISOString() };
      nb.metadata.jtlab.running_cell = number;
      save();
      log(`cell ${number || "parameters"}: running`);
      running = { number, abort: new AbortController() };
      let r: ExecuteResult;
      try {
        r = await kernel.execute(code, {
          timeoutSeconds: opts.timeoutSeconds,
          abort: running.abort.signal,
          onOutput: opts.echo
            ? (o) => {
                if (o.output_type === "stream") (o.name === "stderr" ? process.stderr : process.stdout).write(o.text);
              }
            : undefined,
        });
      } finally {
        if (running.grace) clearTimeout(running.grace);
        running = null;
      }
      // A cell that ended badly after a stop was asked for was interrupted, not failed.
      const stopped = token.requested !== null && r.status !== "ok";
      cell.outputs = tidyOutputs(r.outputs, info);
      settleExecutionCount(cell, r);
      if (typeof cell.execution_count === "number") executionCount = cell.execution_count;
      else executionCount--;
      cell.metadata.jtlab = { status: stopped ? "interrupted" : r.status, start_time: cellStart.toISOString(), duration: Number(r.seconds.toFixed(3)) };
      log(`cell ${number || "parameters"}: ${stopped ? `interrupted by ${token.requested}` : r.status} (${r.seconds.toFixed(1)} s)`);
      if (stopped) {
        interruptAt(i);
        cellFailed = r.status === "interrupted";
      } else if (r.status !== "ok") {
        const where =
          r.status === "timeout"
            ? { line: null, column: null, lineText: null, error: `the cell ran longer than ${opts.timeoutSeconds} s and was stopped` }
            : placeFailure(nb, i, number, cell.outputs ?? [], verbose);
        failure = { cell: number, status: r.status, ...where };
        cell.metadata.jtlab.error = failure;
        if (r.status === "timeout") {
          kernel.interrupt();
          cellFailed = true;
        }
      }
      delete nb.metadata.jtlab.running_cell;
      save();
    }
  } catch (e) {
    if (e instanceof StopRequested || token.requested) {
      // Stopped while the kernel was starting: nothing ran.
      interruptAt(firstUnfinished(nb));
      for (const c of nb.cells) if (c.cell_type === "code" && sourceText(c).trim() && !c.metadata.jtlab?.status) c.metadata.jtlab = { status: "skipped" };
    } else {
      failure = failure ?? { cell: 0, line: null, column: null, lineText: null, error: (e as Error).message, status: "error" };
    }
  } finally {
    if (!opts.stop) token.dispose();
    // The run's outcome is settled before the kernel goes, so that a signal during the shutdown saves it as it is.
    delete nb.metadata.jtlab.running_cell;
    nb.metadata.jtlab = {
      ...nb.metadata.jtlab,
      duration: Number(((performance.now() - t0) / 1000).toFixed(2)),
      kernel_startup: Number(kernel.startupSeconds.toFixed(2)),
      status: interrupted ? "interrupted" : failure ? "failed" : "ok",
      failure,
      interrupted,
      backend: info.value.backend ?? null,
      run_info: info.value,
    };
    // A cell that did not answer its interrupt (or its timeout) is not waited for again.
    await kernel.shutdown({ graceSeconds: cellFailed ? 0.5 : 2 });
  }
  if (interrupted) log(`interrupted at cell ${(interrupted as Interruption).cell} by ${(interrupted as Interruption).signal}; the kernel was shut down`);
  const seconds = (performance.now() - t0) / 1000;
  nb.metadata.jtlab.duration = Number(seconds.toFixed(2));
  return {
    ok: !failure && !interrupted,
    notebook: file,
    executed: nb,
    seconds,
    kernelStartupSeconds: kernel.startupSeconds,
    failure,
    interrupted,
    runInfo: info.value,
  };
}

export function describeFailure(f: CellFailure): string {
  const cell = f.cell === 0 ? "the injected parameters cell" : `cell ${f.cell}`;
  const column = f.line && f.column ? `, column ${f.column}` : "";
  const line = f.line ? `, line ${f.line}${column}${f.lineText ? ` (${f.lineText})` : ""}` : "";
  return `${cell}${line}: ${f.error}`;
}

export function describeInterruption(i: Interruption): string {
  return `interrupted at ${i.cell === 0 ? "the injected parameters cell" : `cell ${i.cell}`} by ${i.signal}`;
}
