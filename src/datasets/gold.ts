// Hand-made evaluation sets committed under data/gold: the Level gold titles (annotated by level-guide.md) and
// the golden cases from the talk and from traps users report. Both are for evaluation only.
import { CategoryType } from "../core/types";
import { projectPath } from "../data/paths";
import { readTsv } from "../data/tsv";
import { parseClass } from "../taxonomy/classes";
import { normKey } from "../text/normalize";
import { hashUnit } from "../util/random";

export interface LevelGoldItem {
  title: string;
  norm: string;
  level: string;
  source: string;
}

export const LEVEL_GOLD_FILE = projectPath("data", "gold", "level-gold.tsv");
export const GOLDEN_CASES_FILE = projectPath("data", "gold", "golden-cases.tsv");

export function loadLevelGold(file = LEVEL_GOLD_FILE): LevelGoldItem[] {
  const seen = new Set<string>();
  return readTsv(file, { header: ["title", "level", "source"] }).map((r) => {
    const [title, level, source] = r.cells;
    const norm = normKey(title);
    const key = title.trim().toLowerCase().replace(/\s+/g, " ");
    if (seen.has(key)) throw new Error(`${file}:${r.line}: duplicate title ${JSON.stringify(title)}`);
    seen.add(key);
    return { title, norm, level: parseClass("level", level, `${file}:${r.line}`), source };
  });
}

/** The Level gold split into dev and test halves by a seeded hash of the title. */
export function splitLevelGold(items: LevelGoldItem[], seed: number): { dev: LevelGoldItem[]; test: LevelGoldItem[] } {
  const dev: LevelGoldItem[] = [];
  const test: LevelGoldItem[] = [];
  for (const it of items) (hashUnit(it.title.toLowerCase(), seed, "level") < 0.5 ? dev : test).push(it);
  return { dev, test };
}

export interface GoldenCase {
  title: string;
  /** "any" for cases that only require the title to parse (non-empty tokens, a prediction for every type). */
  type: CategoryType | "any";
  expect: "is" | "is_not" | "parses";
  label: string;
  why: string;
}

export function loadGoldenCases(file = GOLDEN_CASES_FILE): GoldenCase[] {
  return readTsv(file, { header: ["title", "type", "expect", "label", "why"] }).map((r) => {
    const [title, type, expect, label, why] = r.cells;
    const where = `${file}:${r.line}`;
    if (expect !== "is" && expect !== "is_not" && expect !== "parses") throw new Error(`${where}: unknown expectation ${expect}`);
    if (type !== "role" && type !== "level" && type !== "industry" && type !== "any") throw new Error(`${where}: unknown type ${type}`);
    if (type !== "any") parseClass(type, label, where);
    return { title, type, expect, label, why };
  });
}

/** Whether a predictor passes a golden case. `predict` returns the label for a category type. */
export function passesGoldenCase(c: GoldenCase, predict: (title: string, type: CategoryType) => string): boolean {
  if (c.expect === "parses") {
    return (["role", "level", "industry"] as const).every((t) => typeof predict(c.title, t) === "string");
  }
  const got = predict(c.title, c.type as CategoryType);
  return c.expect === "is" ? got === c.label : got !== c.label;
}
