// Notebook 07's measures for a category type of the user's own (the talk's Authority Level): gold derived from the
// Level gold and the messy titles through a hand-made Level → Authority Level mapping (evaluation only), the talk's
// titles, the coverage–accuracy trade-off of the threshold, and the title-similarity models it is answered with.
import { OTHER, SimilarityModel } from "../core/types";
import { projectPath } from "../data/paths";
import { DataFileError, readTextFile, splitLines } from "../data/tsv";
import type { Datasets } from "../datasets/build";
import { GoldenCase, loadGoldenCases } from "../datasets/gold";
import { LEVELS } from "../taxonomy/classes";
import { readTaxonomy } from "../taxonomy/taxonomy-file";
import { didYouMean } from "../util/suggest";
import { lines } from "../viz/charts";
import { NEUTRAL } from "../viz/figure-rules";
import type { Figure } from "../viz/plotly";
import { listRuns, RunRecord, runsDir, rebuildCommand } from "./registry";
import { Choice, choicesFor, hasTitleVectors, serve } from "./served";

/** The talk's Authority Level slide as a taxonomy file. */
export const AUTHORITY_LEVEL_FILE = projectPath("data", "taxonomy", "authority-level.tsv");
/** Each Level class's Authority Level class (or Other): the bridge from the Level gold to Authority Level gold. */
export const LEVEL_MAPPING_FILE = projectPath("data", "gold", "authority-level.from-level.tsv");

const MAPPING_HEADER = ["level", "authority_level"];
const quote = (s: string): string => JSON.stringify(s);

/** The classes a mapping may name: those of the taxonomy file, then Other. */
export function authorityClasses(file = AUTHORITY_LEVEL_FILE): string[] {
  return [...readTaxonomy(file).classes.keys(), OTHER];
}

/**
 * Reads a Level → Authority Level mapping: `#` comment lines, the header `level<TAB>authority_level`, then one row per
 * Level class. Every problem names the file and line (a Level class without a row names the file).
 */
export function parseLevelMapping(text: string, file: string, targets: readonly string[], typeName = "Authority Level"): Map<string, string> {
  const out = new Map<string, string>();
  const lineOf = new Map<string, number>();
  let header = false;
  splitLines(text).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) return;
    const cells = raw.split("\t").map((c) => c.trim());
    if (!header) {
      if (cells.join("\t") !== MAPPING_HEADER.join("\t")) throw new DataFileError(file, line, `expected the header [${MAPPING_HEADER.join(" | ")}], found [${cells.join(" | ")}]`);
      header = true;
      return;
    }
    if (cells.length !== 2) throw new DataFileError(file, line, `expected 2 tab-separated columns, found ${cells.length}`);
    const [level, target] = cells;
    if (!(LEVELS as readonly string[]).includes(level)) throw new DataFileError(file, line, `unknown Level class ${quote(level)}${didYouMean(level, LEVELS)}`);
    if (!targets.includes(target)) {
      const hint = didYouMean(target, targets) || `; the classes: ${targets.map(quote).join(", ")}`;
      throw new DataFileError(file, line, `unknown ${typeName} class ${quote(target)}${hint}`);
    }
    const first = lineOf.get(level);
    if (first !== undefined) throw new DataFileError(file, line, `Level class ${quote(level)} is mapped twice (first on line ${first})`);
    lineOf.set(level, line);
    out.set(level, target);
  });
  if (!header) throw new DataFileError(file, null, `has no header (expected [${MAPPING_HEADER.join(" | ")}])`);
  const missing = LEVELS.filter((l) => !out.has(l));
  if (missing.length) throw new DataFileError(file, null, `no row for the Level class${missing.length > 1 ? "es" : ""} ${missing.map(quote).join(", ")}`);
  return out;
}

export function readLevelMapping(file = LEVEL_MAPPING_FILE, targets: readonly string[] = authorityClasses()): Map<string, string> {
  return parseLevelMapping(readTextFile(file), file, targets);
}

export interface AuthorityGoldItem {
  title: string;
  level: string;
  /** The Authority Level class (or Other) the mapping gives the title's Level class. */
  authority: string;
}

/** Authority Level gold from titles with Level gold (the Level gold's dev or test half, the messy titles). */
export function authorityGold(items: readonly { title: string; level: string }[], mapping: ReadonlyMap<string, string>): AuthorityGoldItem[] {
  return items.map((it) => {
    const authority = mapping.get(it.level);
    if (authority === undefined) throw new Error(`the Level class ${quote(it.level)} of ${quote(it.title)} has no row in the Level → Authority Level mapping`);
    return { title: it.title, level: it.level, authority };
  });
}

/** The distinct titles of the golden cases that come from the talk (their `why` starts with "talk"), in file order. */
export function talkTitles(cases: readonly GoldenCase[] = loadGoldenCases()): string[] {
  return [...new Set(cases.filter((c) => c.why.startsWith("talk")).map((c) => c.title))];
}

/** What the golden cases say a title's Authority Level is: its Level case (`is`) through the mapping. */
export function expectedAuthority(cases: readonly GoldenCase[], mapping: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of cases) if (c.type === "level" && c.expect === "is" && mapping.has(c.label)) out.set(c.title, mapping.get(c.label)!);
  return out;
}

/** A title's best class whatever the threshold (Other only for a title with nothing to compare) and its score. */
export interface Answer {
  best: string;
  score: number;
}

export interface SweepPoint {
  threshold: number;
  titles: number;
  answered: number;
  /** Share of the titles answered with a class (best score at or above the threshold), not Other. */
  coverage: number;
  /** Accuracy on the answered titles; null when none is answered. */
  accuracyAnswered: number | null;
  /** Accuracy over every title, a title below the threshold answering Other (right when its gold is Other). */
  accuracyAll: number;
}

/** Coverage and accuracy at each threshold: the talk's "coverage depends on threshold". */
export function thresholdSweep(answers: readonly Answer[], gold: readonly string[], thresholds: readonly number[]): SweepPoint[] {
  if (answers.length !== gold.length) throw new Error(`${answers.length} answers for ${gold.length} gold labels`);
  const n = answers.length;
  return thresholds.map((threshold) => {
    let answered = 0;
    let rightAnswered = 0;
    let rightAll = 0;
    answers.forEach((a, i) => {
      const isAnswered = a.best !== OTHER && a.score >= threshold;
      const label = isAnswered ? a.best : OTHER;
      if (isAnswered) answered++;
      if (label === gold[i]) {
        rightAll++;
        if (isAnswered) rightAnswered++;
      }
    });
    return { threshold, titles: n, answered, coverage: n ? answered / n : 0, accuracyAnswered: answered ? rightAnswered / answered : null, accuracyAll: n ? rightAll / n : 0 };
  });
}

/** Thresholds from `start` to `stop` (inclusive) by `step`, rounded so that 0.15 prints as 0.15. */
export function thresholdRange(start: number, stop: number, step: number): number[] {
  if (!(step > 0)) throw new Error(`the threshold step must be positive, got ${step}`);
  const out: number[] = [];
  for (let i = 0; start + i * step <= stop + 1e-9; i++) out.push(Math.round((start + i * step) * 1e6) / 1e6);
  return out;
}

export interface Baseline {
  name: string;
  label: string;
  point: SweepPoint;
}

/**
 * The trivial baseline: always the most frequent gold class (ties to the first in alphabetical order). When that class
 * is Other it answers nothing, so the most frequent of the type's own classes follows it, at full coverage.
 */
export function majorityBaselines(gold: readonly string[]): Baseline[] {
  const counts = new Map<string, number>();
  for (const g of gold) counts.set(g, (counts.get(g) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([c]) => c);
  const picks = ranked[0] === OTHER ? ranked.slice(0, 2) : ranked.slice(0, 1);
  return picks.map((label) => ({ name: `always ${label}`, label, point: thresholdSweep(gold.map(() => ({ best: label, score: 1 })), gold, [0])[0] }));
}

const pct = (v: number | null): number | string => (v === null ? "n/a" : 100 * v);

/** A sweep point as a table row (percentages; "n/a" for an accuracy over no titles). */
export function sweepRow(p: SweepPoint): Record<string, number | string> {
  return { threshold: p.threshold, "coverage %": pct(p.coverage), "accuracy on answered %": pct(p.accuracyAnswered), "accuracy with Other %": pct(p.accuracyAll), answered: p.answered };
}

/** "class (0.734)": a custom type's answer and its score, for the talk's table. */
export function answerCell(a: { label: string; score: number }): string {
  return `${a.label} (${a.score.toFixed(3)})`;
}

/** "CEO (0.912)": the nearest example of the best class and its similarity; "—" when there is none. */
export function nearestCell(a: { nearest: { title: string; similarity: number } }): string {
  return a.nearest.title ? `${a.nearest.title} (${a.nearest.similarity.toFixed(3)})` : "—";
}

export interface SweepSeries {
  method: string;
  points: SweepPoint[];
}

/** Accuracy on the answered titles against coverage, one line per method (hover: the threshold), and the baseline. */
export function coverageAccuracyFigure(series: readonly SweepSeries[], baseline: Baseline | undefined, title: string): Figure {
  const fig = lines(
    Object.fromEntries(series.map((s) => {
      const ps = s.points.filter((p) => p.accuracyAnswered !== null);
      return [s.method, { x: ps.map((p) => 100 * p.coverage), y: ps.map((p) => 100 * p.accuracyAnswered!) }];
    })),
    { title, xTitle: "coverage (% of titles answered)", yTitle: "accuracy on answered titles (%)" },
  );
  fig.data.forEach((t, i) => {
    const ps = series[i].points.filter((p) => p.accuracyAnswered !== null);
    Object.assign(t as Record<string, unknown>, { text: ps.map((p) => p.threshold.toFixed(2)), hovertemplate: "threshold %{text}<br>coverage %{x:.1f}%<br>accuracy %{y:.1f}%<extra>%{fullData.name}</extra>" });
  });
  if (baseline && baseline.point.accuracyAnswered !== null) {
    fig.data.push({
      type: "scatter",
      mode: "markers",
      name: `baseline: ${baseline.name}`,
      x: [100 * baseline.point.coverage],
      y: [100 * baseline.point.accuracyAnswered],
      marker: { color: NEUTRAL, symbol: "diamond", size: 11 },
      hovertemplate: "coverage %{x:.1f}%<br>accuracy %{y:.1f}%<extra>%{fullData.name}</extra>",
    });
  }
  Object.assign(fig.layout as Record<string, unknown>, { xaxis: { title: { text: "coverage (% of titles answered)" }, range: [-2, 102] }, yaxis: { title: { text: "accuracy on answered titles (%)" }, range: [0, 102] } });
  return fig;
}

/** Accuracy over every title (Other counted as a class) against the threshold, one line per method, and the baseline's level. */
export function thresholdAccuracyFigure(series: readonly SweepSeries[], title: string, baseline?: Baseline): Figure {
  const fig = lines(Object.fromEntries(series.map((s) => [s.method, { x: s.points.map((p) => p.threshold), y: s.points.map((p) => 100 * p.accuracyAll) }])), {
    title,
    xTitle: "threshold (best class's similarity score)",
    yTitle: "accuracy with Other as a class (%)",
  });
  const xs = series[0]?.points.map((p) => p.threshold) ?? [];
  if (baseline && xs.length) {
    fig.data.push({
      type: "scatter",
      mode: "lines",
      name: `baseline: ${baseline.name}`,
      x: [xs[0], xs[xs.length - 1]],
      y: [100 * baseline.point.accuracyAll, 100 * baseline.point.accuracyAll],
      line: { color: NEUTRAL, dash: "dash" },
      hovertemplate: "accuracy %{y:.1f}%<extra>%{fullData.name}</extra>",
    });
  }
  return fig;
}

export interface Skipped {
  method: string;
  reason: string;
}

/** Does a registry method answer to a name asked for ("siamese" names every Siamese variant, "siamese-both" one)? */
const isNamed = (method: string, name: string): boolean => method === name || method.startsWith(`${name}-`);

/**
 * The latest run of each method asked for (all with title vectors when `wanted` is empty) among `choices`
 * (served.ts's choicesFor); a name with no run, or whose method has no title vectors, is skipped with the reason.
 */
export function pickSimilarityRuns(wanted: readonly string[], choices: readonly Choice[]): { picked: Choice[]; skipped: Skipped[] } {
  const byMethod = new Map<string, Choice>();
  for (const c of choices) if (hasTitleVectors(c.method) && !byMethod.has(c.method)) byMethod.set(c.method, c);
  const methods = [...byMethod.keys()].sort();
  if (!wanted.length) return { picked: methods.map((m) => byMethod.get(m)!), skipped: [] };
  const picked: Choice[] = [];
  const skipped: Skipped[] = [];
  for (const name of wanted) {
    const found = methods.filter((m) => isNamed(m, name) && !picked.some((p) => p.method === m));
    if (found.length) picked.push(...found.map((m) => byMethod.get(m)!));
    else if (!hasTitleVectors(name)) skipped.push({ method: name, reason: `${name} has no title vectors to compare titles with` });
    else if (!methods.some((m) => isNamed(m, name))) skipped.push({ method: name, reason: `no finished run of ${name} in ${runsDir()} (\`${rebuildCommand(name)}\` makes one)` });
  }
  return { picked, skipped };
}

export interface SimilarityMethod {
  method: string;
  runId: string;
  similarity: SimilarityModel;
}

/**
 * The title-similarity model of the registry's latest run of each method asked for (see pickSimilarityRuns), as
 * `jtlab classify --taxonomy` uses it. A method without a run, or whose run cannot be loaded, is skipped with the reason.
 */
export async function similarityMethods(
  d: Datasets,
  wanted: readonly string[],
  opts: { runs?: RunRecord[]; log?: (line: string) => void } = {},
): Promise<{ methods: SimilarityMethod[]; skipped: Skipped[] }> {
  const { picked, skipped } = pickSimilarityRuns(wanted, choicesFor("role", opts.runs ?? listRuns()));
  const methods: SimilarityMethod[] = [];
  for (const c of picked) {
    try {
      const s = await serve({ ...c, protocol: "representatives" }, d, opts.log);
      if (s.similarity) methods.push({ method: c.method, runId: c.runId, similarity: s.similarity });
      else skipped.push({ method: c.method, reason: `run ${c.runId} gives no title vectors` });
    } catch (e) {
      skipped.push({ method: c.method, reason: `run ${c.runId} could not be loaded: ${(e as Error).message}` });
    }
  }
  return { methods, skipped };
}

/**
 * The title notebook 07 fixes: of the gold titles whose class is one of the type's (not Other), the one the most
 * methods answer wrongly (the first in the set's order among equals) — a mistake the methods share, not one method's
 * quirk. Null when every method answers every such title right.
 */
export function titleToFix(titles: readonly string[], gold: readonly string[], answers: ReadonlyMap<string, readonly { label: string }[]>): { title: string; gold: string; wrong: string[] } | null {
  let best: { title: string; gold: string; wrong: string[] } | null = null;
  titles.forEach((title, i) => {
    if (gold[i] === OTHER) return;
    const wrong = [...answers].filter(([, a]) => a[i].label !== gold[i]).map(([m]) => m);
    if (wrong.length && (!best || wrong.length > best.wrong.length)) best = { title, gold: gold[i], wrong };
  });
  return best;
}
