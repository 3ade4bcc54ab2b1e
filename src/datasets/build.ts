// Builds every derived dataset (splits, Level gold halves, simulated profiles) and caches it in data/derived/.
// The cache is keyed by a fingerprint of the inputs (data checksums, crosswalks, gold files, configs), so an
// edited crosswalk or a new seed rebuilds it and nothing stale is ever read; its manifest holds the SHA-256 of every
// file, checked when the cache is read, so a truncated or edited file is an error rather than a silently smaller
// split. The cache is written whole (a fresh folder renamed into place) under a lock, so two processes that need it
// at once build it once.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { dataChecksums } from "../data/checksums";
import { sha256File } from "../io/integrity";
import { derivedDir, findDataDir } from "../data/paths";
import { readTsv, writeTsv } from "../data/tsv";
import { writeDirAtomic } from "../io/atomic";
import { fileDigests, verifyDigests } from "../io/integrity";
import { withLockSync } from "../io/lock";
import { CROSSWALK_FILES } from "../taxonomy/crosswalk";
import { GOLDEN_CASES_FILE, LEVEL_GOLD_FILE, LevelGoldItem, loadLevelGold, splitLevelGold } from "./gold";
import { buildTitleUniverse, LabelledTitle, TitleSource } from "./labelled";
import { DEFAULT_PROFILE_CONFIG, ProfileConfig, SimulatedProfile, simulateProfiles } from "./profiles";
import { DEFAULT_SPLIT_CONFIG, makeSplits, SplitConfig } from "./splits";

/** Bump when the derivation logic changes, so that caches built by older code are rebuilt. */
export const DERIVATION_VERSION = 2;

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
  /** SHA-256 of each file of the cache (data/derived/manifest.json), once written or read. */
  files?: Record<string, string>;
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

const DERIVED_FILES = ["titles-train.tsv", "titles-dev.tsv", "titles-test.tsv", "level-dev.tsv", "level-test.tsv", "profiles-simulated.tsv"];

/** The command that rebuilds the cache (named in integrity errors). */
export const REBUILD_DERIVED = "jtlab data";

export function writeDatasets(d: Datasets, dir = derivedDir()): void {
  writeDirAtomic(dir, (tmp) => {
    writeTitles(path.join(tmp, "titles-train.tsv"), d.train);
    writeTitles(path.join(tmp, "titles-dev.tsv"), d.dev);
    writeTitles(path.join(tmp, "titles-test.tsv"), d.test);
    writeTsv(path.join(tmp, "level-dev.tsv"), LEVEL_HEADER, d.levelDev.map((x) => [x.title, x.level, x.source]));
    writeTsv(path.join(tmp, "level-test.tsv"), LEVEL_HEADER, d.levelTest.map((x) => [x.title, x.level, x.source]));
    const rows: string[][] = [];
    for (const p of d.profiles) for (const t of p.titles) rows.push([p.personId, t, p.tokens.join(" "), p.occupation, "simulated"]);
    writeTsv(path.join(tmp, "profiles-simulated.tsv"), PROFILE_HEADER, rows);
    d.files = fileDigests(tmp, DERIVED_FILES);
    const manifest = { fingerprint: d.fingerprint, config: d.config, testAmbiguous: d.testAmbiguous, files: d.files, summary: summarize(d) };
    fs.writeFileSync(path.join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  });
}

/** Reads the cache, after checking every file against the SHA-256 in its manifest (an IntegrityError otherwise). */
export function readDatasets(dir = derivedDir()): Datasets {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  const files: Record<string, string> | undefined = manifest.files;
  if (!files || DERIVED_FILES.some((f) => typeof files[f] !== "string")) throw new Error(`${path.join(dir, "manifest.json")}: no SHA-256 for every file; rebuild it with \`${REBUILD_DERIVED}\``);
  verifyDigests(dir, files, REBUILD_DERIVED);
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
    files,
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
  const cached = (): Datasets | undefined => {
    let m: { fingerprint?: string } | null = null;
    try {
      m = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    } catch {
      return undefined; // no cache yet, or one from before manifests: built afresh
    }
    // A cache of other inputs is rebuilt; one of these inputs whose files fail their check is an error.
    return m?.fingerprint === fp ? readDatasets(dir) : undefined;
  };
  let d = cached();
  // Another process may be building the same cache: wait for it, then read what it wrote.
  if (!d && opts.cache !== false) d = withDerivedLock(dir, () => cached() ?? buildAndWrite(config, dataDir, dir));
  d = d ?? buildDatasets(config, dataDir);
  memo.set(fp, d);
  return d;
}

function withDerivedLock<T>(dir: string, fn: () => T): T {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  return withLockSync(`${dir}.lock`, fn, { onWait: (owner) => process.stderr.write(`${dir} is being written by ${owner}: waiting\n`) });
}

function buildAndWrite(config: DatasetConfig, dataDir: string, dir: string): Datasets {
  const built = buildDatasets(config, dataDir);
  writeDatasets(built, dir);
  return built;
}

/** Builds the derived datasets afresh and writes the cache (`jtlab data`), under the same lock as loadDatasets. */
export function rebuildDatasets(config: DatasetConfig = DEFAULT_DATASET_CONFIG, dataDir = findDataDir().dir, dir = derivedDir()): Datasets {
  const d = withDerivedLock(dir, () => buildAndWrite(config, dataDir, dir));
  memo.set(d.fingerprint, d);
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
