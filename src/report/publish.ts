// Running notebooks for people to read: `jtlab run` executes one and saves the executed notebook and its HTML report;
// `jtlab reproduce` does that for every notebook with one profile's parameters, then writes reports/index.html. A
// failing notebook does not stop the others; a stop (SIGINT, SIGTERM, SIGHUP) ends the current notebook's run at
// its cell and starts no other, and the index is still written.
//
// Nothing a user made is lost silently: the report and notebook already in the output folder are moved aside to
// <name>.prev.<ext> once, when a run starts. The executed notebook is then saved as each cell starts and ends (as
// papermill does), with its report, so a stopped or crashed run leaves both, marked interrupted or failed at its
// cell. Every write is atomic, and one lock per notebook (<out>/.<name>.lock) keeps two jtlab processes writing the
// same report folder from mixing their files: the second waits for the first.
//
// Reports link the folder's one copy of plotly.js (<out>/assets/plotly.min.js, written when missing or different);
// with selfContained each report embeds it instead, one offline file per report.
import * as fs from "fs";
import * as path from "path";
import { ParamValue } from "../core/types";
import { projectPath } from "../data/paths";
import { writeFileAtomic } from "../io/atomic";
import { withLock, withLockSync } from "../io/lock";
import { atExit, StopSignal, stopSignalReceived, stopToken } from "../io/signals";
import { listNotebooks, loadProfiles, PROFILES_FILE } from "../notebook/catalog";
import { Notebook } from "../notebook/nbformat";
import { markUnfinished, RunOptions, RunResult, runNotebook } from "../notebook/runner";
import { ensurePlotlyAsset } from "./assets";
import { renderReport } from "./html";
import { ensurePanelAssets } from "./panel-html";
import { renderIndex } from "./index-page";

export interface PublishedRun extends RunResult {
  ipynbPath: string;
  htmlPath: string;
  reportBytes: number;
}

/** Moves an existing file aside to *.prev.<ext> so that a re-run never silently loses the last one. */
export function keepPrevious(file: string): string | null {
  if (!fs.existsSync(file)) return null;
  const ext = path.extname(file);
  const prev = file.slice(0, -ext.length) + ".prev" + ext;
  fs.renameSync(file, prev);
  return prev;
}

/** Seconds a run waits for another process writing the same notebook's report (its whole run). */
const LOCK_WAIT_SECONDS = 24 * 3600;

/**
 * The notebook as nbformat writes it (one-space indentation), except that an array of plain values goes on one line
 * unless it holds multi-line text (a cell's source lines): a figure's coordinates would otherwise take a line each,
 * which doubled the executed title-space notebook. Parses to the same value as JSON.stringify(nb).
 */
export function notebookJson(nb: Notebook): string {
  return jsonLines(nb, "") + "\n";
}

const isPlain = (v: unknown): boolean => v === null || v === undefined || typeof v === "number" || typeof v === "boolean" || typeof v === "string";

function jsonLines(v: unknown, indent: string): string {
  if (v === null || typeof v !== "object" || typeof (v as { toJSON?: unknown }).toJSON === "function") return JSON.stringify(v) ?? "null";
  const inner = indent + " ";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    if (v.every(isPlain) && !v.some((x) => typeof x === "string" && x.includes("\n"))) return JSON.stringify(v);
    return `[\n${v.map((x) => inner + (x === undefined || typeof x === "function" ? "null" : jsonLines(x, inner))).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== "function");
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${jsonLines(x, inner)}`).join(",\n")}\n${indent}}`;
}

export interface PublishOptions {
  outDir?: string;
  /** Embed plotly.js in each report rather than link the folder's assets/plotly.min.js. */
  selfContained?: boolean;
}

interface ReportFiles {
  ipynbPath: string;
  htmlPath: string;
  title: string;
  plotly: "inline" | "link";
}

function renderHtml(nb: Notebook, files: ReportFiles): string {
  // A linked report's live classifier panels load their model from assets/: written before the HTML that loads it
  // (unchanged files are left alone, compared by content).
  if (files.plotly === "link") ensurePanelAssets(path.dirname(files.htmlPath), nb);
  return renderReport(nb, { title: files.title, plotly: files.plotly });
}

/** Writes a report set: the notebook as it stands and its HTML, each atomically. Returns the HTML's size. */
function writeReport(nb: Notebook, files: ReportFiles): number {
  writeFileAtomic(files.ipynbPath, notebookJson(nb));
  const html = renderHtml(nb, files);
  writeFileAtomic(files.htmlPath, html);
  return Buffer.byteLength(html);
}

/** Runs a notebook, then writes <outDir>/<name>.ipynb (executed) and <outDir>/<name>.html (its report). */
export async function publishNotebook(file: string, opts: RunOptions & PublishOptions = {}): Promise<PublishedRun> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const name = path.basename(file).replace(/\.ipynb$/, "");
  const outDir = path.resolve(opts.outDir ?? projectPath("reports"));
  fs.mkdirSync(outDir, { recursive: true });
  const ipynbPath = path.join(outDir, `${name}.ipynb`);
  const htmlPath = path.join(outDir, `${name}.html`);
  const rel = (p: string): string => path.relative(process.cwd(), p);
  const lockFile = path.join(outDir, `.${name}.lock`);
  const files: ReportFiles = { ipynbPath, htmlPath, title: name, plotly: opts.selfContained ? "inline" : "link" };
  // Before the first report is written, so that a linked report never points at a missing file.
  if (!opts.selfContained) ensurePlotlyAsset(outDir);
  return withLock(
    lockFile,
    async () => {
      let latest: Notebook | null = null;
      // The report is re-rendered as each cell starts (the notebook also as each ends). A slow render (a report with
      // large figures) is repeated at most about a tenth of the time; the first render, which warms up, is not timed.
      let lastHtml = 0;
      let htmlCost = 0;
      let renders = 0;
      // On any exit before the run's end (a second Ctrl-C, an uncaught error, process.exit) the files say so.
      const forgetExit = atExit(() => {
        if (!latest) return;
        markUnfinished(latest, stopSignalReceived());
        writeReport(latest, files);
      });
      const save = (nb: Notebook): void => {
        if (!latest) {
          for (const f of [ipynbPath, htmlPath]) {
            const prev = keepPrevious(f);
            if (prev) log(`previous ${path.extname(f).slice(1)} kept as ${rel(prev)}`);
          }
        }
        const first = latest === null;
        latest = nb;
        writeFileAtomic(ipynbPath, notebookJson(nb));
        const cellStart = typeof nb.metadata.jtlab?.running_cell === "number";
        if (first || (cellStart && (htmlCost < 100 || performance.now() - lastHtml >= 10 * htmlCost))) {
          const t = performance.now();
          writeFileAtomic(htmlPath, renderHtml(nb, files));
          lastHtml = performance.now();
          if (renders++ > 0) htmlCost = lastHtml - t;
        }
      };
      try {
        const r = await runNotebook(file, { ...opts, log, save });
        const reportBytes = writeReport(r.executed, files);
        return { ...r, ipynbPath, htmlPath, reportBytes };
      } catch (e) {
        // The runner keeps its own errors in the run; this is one from outside it (e.g. the first save).
        if (latest) {
          markUnfinished(latest, stopSignalReceived());
          writeReport(latest, files);
        }
        throw e;
      } finally {
        forgetExit();
      }
    },
    { timeoutSeconds: LOCK_WAIT_SECONDS, onWait: (owner) => log(`waiting for ${owner}, which is writing ${name} in ${rel(outDir) || "."}`) },
  );
}

export interface ReproduceOptions {
  profile: string;
  outDir?: string;
  notebooksDir?: string;
  profilesFile?: string;
  only?: string[];
  log?: (line: string) => void;
  /** Embed plotly.js in each report rather than link <out>/assets/plotly.min.js. */
  selfContained?: boolean;
}

export interface ReproduceResult {
  results: PublishedRun[];
  indexPath: string;
  /** The notebooks not started because a stop was asked for. */
  notRun: string[];
  /** The signal that stopped the run, or null. */
  stopped: StopSignal | null;
}

export async function reproduce(opts: ReproduceOptions): Promise<ReproduceResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const profilesFile = opts.profilesFile ?? PROFILES_FILE;
  const profiles = loadProfiles(profilesFile);
  const profile: Record<string, Record<string, ParamValue>> | undefined = profiles[opts.profile];
  if (!profile) throw new Error(`unknown profile ${JSON.stringify(opts.profile)} (profiles in ${profilesFile}: ${Object.keys(profiles).join(", ")})`);
  const outDir = path.resolve(opts.outDir ?? projectPath("reports"));
  let notebooks = listNotebooks(opts.notebooksDir);
  if (opts.only?.length) notebooks = notebooks.filter((n) => opts.only!.some((o) => path.basename(n).startsWith(o)));
  const results: PublishedRun[] = [];
  const notRun: string[] = [];
  const t0 = performance.now();
  // Between notebooks too, a stop ends the loop (and the index is still written) rather than the process.
  const token = stopToken();
  try {
    for (const nb of notebooks) {
      const name = path.basename(nb, ".ipynb");
      if (token.requested) {
        notRun.push(nb);
        continue;
      }
      log(`\n== ${name} (profile ${opts.profile})`);
      const r = await publishNotebook(nb, { params: profile[name] ?? {}, outDir, log, stop: token, selfContained: opts.selfContained });
      log(`${r.ok ? "ok" : r.interrupted ? "INTERRUPTED" : "FAILED"} in ${r.seconds.toFixed(1)} s`);
      results.push(r);
    }
    fs.mkdirSync(outDir, { recursive: true });
    const indexPath = path.join(outDir, "index.html");
    const html = renderIndex(results, { profile: opts.profile, seconds: (performance.now() - t0) / 1000, outDir, notRun, stopped: token.requested });
    withLockSync(path.join(outDir, ".index.lock"), () => {
      keepPrevious(indexPath);
      writeFileAtomic(indexPath, html);
    });
    return { results, indexPath, notRun, stopped: token.requested };
  } finally {
    token.dispose();
  }
}
