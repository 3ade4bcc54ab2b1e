// Tables that describe the data, for notebook 00 and the reports.
import * as path from "path";
import { Row } from "../core/types";
import { dataChecksums } from "../data/checksums";
import { DATA_FILES, DATASETS, DatasetId } from "../data/manifest";
import { findDataDir } from "../data/paths";
import { normalizeTitle } from "../text/normalize";
import { tokenize } from "../text/tokenize";
import { Rng } from "../util/random";
import { Datasets } from "./build";
import { LabelledTitle } from "./labelled";

export function datasetTable(): Row[] {
  return (Object.keys(DATASETS) as DatasetId[]).map((id) => ({
    dataset: DATASETS[id].name,
    files: DATA_FILES.filter((f) => f.dataset === id).length,
    license: DATASETS[id].license,
    credit: DATASETS[id].credit,
  }));
}

export function fileTable(): Row[] {
  const sums = new Map(dataChecksums().map((c) => [c.file, c]));
  return DATA_FILES.map((f) => {
    const file = `${f.dataset}/${f.names[0]}`;
    const c = sums.get(file) ?? [...sums.values()].find((s) => s.file.startsWith(f.dataset + path.sep) && f.names.includes(path.basename(s.file)));
    return { file, rows: f.rows, "sha256 (first 12)": c ? c.sha256.slice(0, 12) : "missing", "matches README": c ? c.matchesPublished : false };
  });
}

export function dataFolder(): string {
  const d = findDataDir();
  return `${d.dir} (${d.origin})`;
}

function counts(xs: { label: string | null }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) if (x.label) out[x.label] = (out[x.label] ?? 0) + 1;
  return out;
}

/** Class counts per split, per category type: { role: { train: {...}, dev: {...}, test: {...} }, ... }. */
export function classCounts(d: Datasets): Record<"role" | "industry" | "level", Record<string, Record<string, number>>> {
  const by = (xs: LabelledTitle[], k: "role" | "industry"): Record<string, number> => counts(xs.map((t) => ({ label: t[k] })));
  return {
    role: { train: by(d.train, "role"), dev: by(d.dev, "role"), test: by(d.test, "role") },
    industry: { train: by(d.train, "industry"), dev: by(d.dev, "industry"), test: by(d.test, "industry") },
    level: { "gold dev": counts(d.levelDev.map((g) => ({ label: g.level }))), "gold test": counts(d.levelTest.map((g) => ({ label: g.level }))) },
  };
}

export function splitSizes(d: Datasets): Row[] {
  return [
    { split: "train", titles: d.train.length, "with one role": d.train.filter((t) => t.role).length, purpose: "training (O*NET + ONS titles)" },
    { split: "dev", titles: d.dev.length, "with one role": d.dev.filter((t) => t.role).length, purpose: "tuning thresholds and hyperparameters" },
    { split: "test", titles: d.test.length, "with one role": d.test.length, purpose: `reporting (reported titles; ${d.testAmbiguous} role-ambiguous left out)` },
    { split: "level gold dev", titles: d.levelDev.length, "with one role": null, purpose: "Level tuning" },
    { split: "level gold test", titles: d.levelTest.length, "with one role": null, purpose: "Level reporting" },
    { split: "simulated profiles", titles: d.profiles.reduce((a, p) => a + p.titles.length, 0), "with one role": null, purpose: `${d.profiles.length} simulated people (not real careers)` },
  ];
}

/** How Step 0 sees a list of titles: normalized key, tokens with di-grams, seniority signal. */
export function normalizationTable(titles: string[]): Row[] {
  return titles.map((t) => {
    const n = normalizeTitle(t);
    return { title: t, normalized: n.norm, tokens: tokenize(t).join(" "), seniority: n.seniority.join(" ") };
  });
}

/** A seeded sample of labelled titles as table rows. */
export function sampleTitles(xs: LabelledTitle[], n: number, seed: number): Row[] {
  return new Rng(seed).sample(xs, n).map((t) => ({ title: t.title, role: t.role ?? `(${t.roles.join(" / ")})`, industry: t.industry ?? "(ambiguous)", sources: t.sources.join(" ") }));
}
