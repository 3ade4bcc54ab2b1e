// `jtlab reproduce`: every notebook in notebooks/ in numeric order, with one profile's parameters; then
// reports/index.html. A failing notebook does not stop the others.
import * as fs from "fs";
import * as path from "path";
import { ParamValue } from "../core/types";
import { projectPath } from "../data/paths";
import { renderIndex } from "../report/index-page";
import { keepPrevious, RunResult, runNotebook } from "./runner";

export const PROFILES_FILE = projectPath("notebooks", "profiles.json");

export type Profiles = Record<string, Record<string, Record<string, ParamValue>>>;

export function loadProfiles(file = PROFILES_FILE): Profiles {
  const p = JSON.parse(fs.readFileSync(file, "utf8")) as Profiles;
  for (const [name, nbs] of Object.entries(p)) {
    if (typeof nbs !== "object" || nbs === null) throw new Error(`${file}: profile ${name} must map notebook names to parameters`);
  }
  return p;
}

/** Notebooks named NN-*.ipynb, in numeric order. */
export function listNotebooks(dir = projectPath("notebooks")): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d+[-_].*\.ipynb$/.test(f))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b))
    .map((f) => path.join(dir, f));
}

export interface ReproduceOptions {
  profile: string;
  outDir?: string;
  notebooksDir?: string;
  profilesFile?: string;
  only?: string[];
  log?: (line: string) => void;
}

export async function reproduce(opts: ReproduceOptions): Promise<{ results: RunResult[]; indexPath: string }> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const profilesFile = opts.profilesFile ?? PROFILES_FILE;
  const profiles = loadProfiles(profilesFile);
  const profile = profiles[opts.profile];
  if (!profile) throw new Error(`unknown profile ${JSON.stringify(opts.profile)} (profiles in ${profilesFile}: ${Object.keys(profiles).join(", ")})`);
  const outDir = path.resolve(opts.outDir ?? projectPath("reports"));
  let notebooks = listNotebooks(opts.notebooksDir);
  if (opts.only?.length) notebooks = notebooks.filter((n) => opts.only!.some((o) => path.basename(n).startsWith(o)));
  const results: RunResult[] = [];
  const t0 = performance.now();
  for (const nb of notebooks) {
    const name = path.basename(nb, ".ipynb");
    log(`\n== ${name} (profile ${opts.profile})`);
    const r = await runNotebook(nb, { params: profile[name] ?? {}, outDir, log });
    log(`${r.ok ? "ok" : "FAILED"} in ${r.seconds.toFixed(1)} s`);
    results.push(r);
  }
  const indexPath = path.join(outDir, "index.html");
  keepPrevious(indexPath);
  fs.writeFileSync(indexPath, renderIndex(results, { profile: opts.profile, seconds: (performance.now() - t0) / 1000, outDir }));
  return { results, indexPath };
}
