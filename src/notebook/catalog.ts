// The project's notebooks (notebooks/NN-*.ipynb, in numeric order) and the parameter profiles `jtlab reproduce`
// runs them with (experiments/configs/notebooks.json: profile → notebook → parameters).
import * as fs from "fs";
import * as path from "path";
import { ParamValue } from "../core/types";
import { projectPath } from "../data/paths";

export const PROFILES_FILE = projectPath("experiments", "configs", "notebooks.json");

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
