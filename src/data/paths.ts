// Where the project and its data live. Every other module asks here instead of guessing paths.
import * as fs from "fs";
import * as path from "path";

/** The project root: the nearest folder above this file that holds package.json. */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`jtlab: no package.json above ${__dirname}`);
    dir = up;
  }
}

/** A path inside the project. */
export function projectPath(...parts: string[]): string {
  return path.join(projectRoot(), ...parts);
}

/** The download cache that `jtlab data --download` fills (git-ignored). */
export function cacheDir(): string {
  return projectPath("data", "cache");
}

/** Derived data built by `jtlab data` (git-ignored); `JTLAB_DERIVED_DIR` puts it elsewhere (tests, read-only checkouts). */
export function derivedDir(): string {
  return process.env.JTLAB_DERIVED_DIR ?? projectPath("data", "derived");
}

export interface DataDirChoice {
  dir: string;
  /** Why this folder was chosen: "JTLAB_DATA_DIR", "../shared/data" or "download cache". */
  origin: string;
}

/**
 * The open-data folder, looked for in order: `JTLAB_DATA_DIR`, then `../shared/data` next to the project, then
 * the download cache. A folder counts when it holds the three dataset folders.
 */
export function findDataDir(env: NodeJS.ProcessEnv = process.env): DataDirChoice {
  const candidates: DataDirChoice[] = [];
  if (env.JTLAB_DATA_DIR) {
    // An explicit choice is never silently replaced by another folder.
    const dir = path.resolve(env.JTLAB_DATA_DIR);
    if (!fs.existsSync(dir)) throw new Error(`JTLAB_DATA_DIR=${env.JTLAB_DATA_DIR}: no such folder`);
    return { dir, origin: "JTLAB_DATA_DIR" };
  }
  candidates.push({ dir: path.resolve(projectRoot(), "..", "shared", "data"), origin: "../shared/data" });
  candidates.push({ dir: cacheDir(), origin: "download cache" });
  for (const c of candidates) {
    if (DATASET_FOLDERS.every((f) => fs.existsSync(path.join(c.dir, f)))) return c;
  }
  throw new Error(
    "jtlab: the open data was not found. Looked in JTLAB_DATA_DIR (unset), " +
      candidates.map((c) => `${c.dir} (${c.origin})`).join(", ") +
      ". Set JTLAB_DATA_DIR, or run `npx jtlab data --download` on a machine with internet access.",
  );
}

export const DATASET_FOLDERS = ["onet-29.3", "ons-soc2020", "melo-usa_q_en_c_en"] as const;
