// Builds every derived dataset (splits, Level gold halves, simulated profiles) and caches it in data/derived/.
// The cache is keyed by a fingerprint of the inputs (data checksums, crosswalks, gold files, configs), so an
// edited crosswalk or a new seed rebuilds it and nothing stale is ever read.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { dataChecksums, sha256File } from "../data/checksums";
import { derivedDir, findDataDir } from "../data/paths";
import { readTsv, writeTsv } from "../data/tsv";
import { CROSSWALK_FILES } from "../taxonomy/crosswalk";
import { GOLDEN_CASES_FILE, LEVEL_GOLD_FILE, LevelGoldItem, loadLevelGold, splitLevelGold } from "./gold";
import { buildTitleUniverse, LabelledTitle, TitleSource } from "./labelled";
import { DEFAULT_PROFILE_CONFIG, ProfileConfig, SimulatedProfile, simulateProfiles } from "./profiles";
import { DEFAULT_SPLIT_CONFIG, makeSplits, SplitConfig } from "./splits";

/** Bump when the derivation logic changes, so that caches built by older code are rebuilt. */
export const DERIVATION_VERSION = 1;

export interface DatasetConfig {
  splits: SplitConfig;
  profiles: ProfileConfig;
  levelSeed: number;
}

export const DEFAULT_DATASET_CONFIG: DatasetConfig = {
  splits: DEFAULT_SPLIT_CONFIG,
  profiles: DEFAULT_PROFILE_CONFIG,
  levelSeed: 20170903,
};

export interface Datasets {
  fingerprint: string;
  config: DatasetConfig;
  train: LabelledTitle[];
  dev: LabelledTitle[];
  test: LabelledTitle[];
  testAmbiguous: number;
  levelDev: LevelGoldItem[];
  levelTest: LevelGoldItem[];
  profiles: SimulatedProfile[];
}

export function fingerprint(config: DatasetConfig, dataDir: string): string {
  const h = crypto.createHash("sha256");
  h.update(JSON.stringify({ v: DERIVATION_VERSION, config }));
  for (const c of dataChecksums(dataDir)) h.update(`${c.file}:${c.sha256}\n`);
  for (const f of [...Object.values(CROSSWALK_FILES), LEVEL_GOLD_FILE, GOLDEN_CASES_FILE]) h.update(sha256File(f));
  return h.digest("hex").slice(0, 16);
}

export function buildDatasets(config: DatasetConfig = DEFAULT_DATASET_CONFIG, dataDir = findDataDir().dir): Datasets {
  const universe = buildTitleUniverse(dataDir);
  const s = makeSplits(universe, config.splits);
  const gold = splitLevelGold(loadLevelGold(), config.levelSeed);
  const profiles = simulateProfiles(s.train, config.profiles, dataDir);
  return {
    fingerprint: fingerprint(config, dataDir),
    config,
    train: s.train,
    dev: s.dev,
    test: s.test,
    testAmbiguous: s.testAmbiguous.length,
    levelDev: gold.dev,
    levelTest: gold.test,
    profiles,
  };
}

const TITLE_HEADER = ["norm", "title", "role", "industry", "roles", "industries", "groups", "sources"];

function writeTitles(file: string, xs: LabelledTitle[]): void {
  writeTsv(
    file,
    TITLE_HEADER,
    xs.map((t) => [t.norm, t.title, t.role ?? "", t.industry ?? "", t.roles.join("|"), t.industries.join("|"), t.groups.join(" "), t.sources.join(" ")]),
  );
}

function readTitles(file: string): LabelledTitle[] {
  return readTsv(file, { header: TITLE_HEADER }).map(({ cells: c }) => ({
    norm: c[0],
    title: c[1],
    role: c[2] || null,
    industry: c[3] || null,
    roles: c[4] ? c[4].split("|") : [],
    industries: c[5] ? c[5].split("|") : [],
    groups: c[6] ? c[6].split(" ") : [],
    sources: (c[7] ? c[7].split(" ") : []) as TitleSource[],
  }));
}

const LEVEL_HEADER = ["title", "level", "source"];
const PROFILE_HEADER = ["person_id", "title", "tokens", "occupation", "simulated"];

export function writeDatasets(d: Datasets, dir = derivedDir()): void {
  // Written to a fresh folder and swapped in, so a crash never leaves a half-written cache behind.
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  writeTitles(path.join(tmp, "titles-train.tsv"), d.train);
  writeTitles(path.join(tmp, "titles-dev.tsv"), d.dev);
  writeTitles(path.join(tmp, "titles-test.tsv"), d.test);
  writeTsv(path.join(tmp, "level-dev.tsv"), LEVEL_HEADER, d.levelDev.map((x) => [x.title, x.level, x.source]));
  writeTsv(path.join(tmp, "level-test.tsv"), LEVEL_HEADER, d.levelTest.map((x) => [x.title, x.level, x.source]));
  const rows: string[][] = [];
  for (const p of d.profiles) for (const t of p.titles) rows.push([p.personId, t, p.tokens.join(" "), p.occupation, "simulated"]);
  writeTsv(path.join(tmp, "profiles-simulated.tsv"), PROFILE_HEADER, rows);
  const manifest = { fingerprint: d.fingerprint, config: d.config, testAmbiguous: d.testAmbiguous, summary: summarize(d) };
  fs.writeFileSync(path.join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  swapIn(tmp, dir);
}

/** Replaces `dir` with `tmp`. Two processes may build the same fingerprint at once: the last one wins. */
function swapIn(tmp: string, dir: string): void {
  for (let attempt = 0; ; attempt++) {
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.renameSync(tmp, dir);
      return;
    } catch (e) {
      if (attempt >= 3) {
        fs.rmSync(tmp, { recursive: true, force: true });
        throw e;
      }
    }
  }
}

export function readDatasets(dir = derivedDir()): Datasets {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  const profiles = new Map<string, SimulatedProfile>();
  for (const { cells: c } of readTsv(path.join(dir, "profiles-simulated.tsv"), { header: PROFILE_HEADER })) {
    let p = profiles.get(c[0]);
    if (!p) profiles.set(c[0], (p = { personId: c[0], titles: [], tokens: c[2] ? c[2].split(" ") : [], simulated: true, occupation: c[3] }));
    p.titles.push(c[1]);
  }
  const level = (f: string): LevelGoldItem[] =>
    readTsv(path.join(dir, f), { header: LEVEL_HEADER }).map(({ cells: c }) => ({ title: c[0], level: c[1], source: c[2], norm: "" }));
  const withNorm = (xs: LevelGoldItem[]): LevelGoldItem[] => {
    const byTitle = new Map(loadLevelGold().map((g) => [g.title, g.norm]));
    return xs.map((x) => ({ ...x, norm: byTitle.get(x.title) ?? "" }));
  };
  return {
    fingerprint: manifest.fingerprint,
    config: manifest.config,
    train: readTitles(path.join(dir, "titles-train.tsv")),
    dev: readTitles(path.join(dir, "titles-dev.tsv")),
    test: readTitles(path.join(dir, "titles-test.tsv")),
    testAmbiguous: manifest.testAmbiguous,
    levelDev: withNorm(level("level-dev.tsv")),
    levelTest: withNorm(level("level-test.tsv")),
    profiles: [...profiles.values()],
  };
}

const memo = new Map<string, Datasets>();

/**
 * The derived datasets for a config: from memory, else from data/derived/ when its fingerprint matches, else
 * built (and cached on disk when `cache` is true).
 */
export function loadDatasets(config: DatasetConfig = DEFAULT_DATASET_CONFIG, opts: { cache?: boolean; dataDir?: string } = {}): Datasets {
  const dataDir = opts.dataDir ?? findDataDir().dir;
  const fp = fingerprint(config, dataDir);
  const hit = memo.get(fp);
  if (hit) return hit;
  const dir = derivedDir();
  let d: Datasets | undefined;
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    if (m.fingerprint === fp) d = readDatasets(dir);
  } catch {
    d = undefined;
  }
  if (!d) {
    d = buildDatasets(config, dataDir);
    if (opts.cache !== false) writeDatasets(d, dir);
  }
  memo.set(fp, d);
  return d;
}

export interface SplitSummary {
  size: number;
  role: Record<string, number>;
  industry: Record<string, number>;
}

function countBy<T>(xs: T[], key: (x: T) => string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) {
    const k = key(x) ?? "(ambiguous)";
    out[k] = (out[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

export function summarize(d: Datasets): Record<string, unknown> {
  const split = (xs: LabelledTitle[]): SplitSummary => ({ size: xs.length, role: countBy(xs, (x) => x.role), industry: countBy(xs, (x) => x.industry) });
  return {
    train: split(d.train),
    dev: split(d.dev),
    test: split(d.test),
    testAmbiguousLeftOut: d.testAmbiguous,
    levelDev: { size: d.levelDev.length, level: countBy(d.levelDev, (x) => x.level) },
    levelTest: { size: d.levelTest.length, level: countBy(d.levelTest, (x) => x.level) },
    profiles: { size: d.profiles.length, titles: d.profiles.reduce((a, p) => a + p.titles.length, 0), simulated: true },
  };
}
