// Running notebooks for people to read: `jtlab run` executes one and saves the executed notebook and its HTML report;
// `jtlab reproduce` does that for every notebook with one profile's parameters, then writes reports/index.html. A
// failing notebook does not stop the others. A report or notebook already in the output folder is never lost: the
// previous one is kept as <name>.prev.<ext>.
import * as fs from "fs";
import * as path from "path";
import { ParamValue } from "../core/types";
import { projectPath } from "../data/paths";
import { listNotebooks, loadProfiles, PROFILES_FILE } from "../notebook/catalog";
import { writeNotebook } from "../notebook/nbformat";
import { RunOptions, RunResult, runNotebook } from "../notebook/runner";
import { renderReport } from "./html";
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

/** Runs a notebook, then writes <outDir>/<name>.ipynb (executed) and <outDir>/<name>.html (its report). */
export async function publishNotebook(file: string, opts: RunOptions & { outDir?: string } = {}): Promise<PublishedRun> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const r = await runNotebook(file, opts);
  const name = path.basename(file).replace(/\.ipynb$/, "");
  const outDir = path.resolve(opts.outDir ?? projectPath("reports"));
  fs.mkdirSync(outDir, { recursive: true });
  const ipynbPath = path.join(outDir, `${name}.ipynb`);
  const htmlPath = path.join(outDir, `${name}.html`);
  for (const f of [ipynbPath, htmlPath]) {
    const prev = keepPrevious(f);
    if (prev) log(`previous ${path.extname(f).slice(1)} kept as ${path.relative(process.cwd(), prev)}`);
  }
  writeNotebook(ipynbPath, r.executed);
  const html = renderReport(r.executed, { title: name });
  fs.writeFileSync(htmlPath, html);
  return { ...r, ipynbPath, htmlPath, reportBytes: Buffer.byteLength(html) };
}

export interface ReproduceOptions {
  profile: string;
  outDir?: string;
  notebooksDir?: string;
  profilesFile?: string;
  only?: string[];
  log?: (line: string) => void;
}

export async function reproduce(opts: ReproduceOptions): Promise<{ results: PublishedRun[]; indexPath: string }> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const profilesFile = opts.profilesFile ?? PROFILES_FILE;
  const profiles = loadProfiles(profilesFile);
  const profile: Record<string, Record<string, ParamValue>> | undefined = profiles[opts.profile];
  if (!profile) throw new Error(`unknown profile ${JSON.stringify(opts.profile)} (profiles in ${profilesFile}: ${Object.keys(profiles).join(", ")})`);
  const outDir = path.resolve(opts.outDir ?? projectPath("reports"));
  let notebooks = listNotebooks(opts.notebooksDir);
  if (opts.only?.length) notebooks = notebooks.filter((n) => opts.only!.some((o) => path.basename(n).startsWith(o)));
  const results: PublishedRun[] = [];
  const t0 = performance.now();
  for (const nb of notebooks) {
    const name = path.basename(nb, ".ipynb");
    log(`\n== ${name} (profile ${opts.profile})`);
    const r = await publishNotebook(nb, { params: profile[name] ?? {}, outDir, log });
    log(`${r.ok ? "ok" : "FAILED"} in ${r.seconds.toFixed(1)} s`);
    results.push(r);
  }
  const indexPath = path.join(outDir, "index.html");
  keepPrevious(indexPath);
  fs.writeFileSync(indexPath, renderIndex(results, { profile: opts.profile, seconds: (performance.now() - t0) / 1000, outDir }));
  return { results, indexPath };
}
