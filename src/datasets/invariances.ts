// The invariance suite committed under data/gold: hand-written pairs of job titles that a title-similarity model
// must keep similar (the same job written another way: abbreviations, word order, typos, locations, shifts,
// schedules, employers, level numerals, parentheses, synonyms, casing) and pairs it must not call similar
// (different jobs that look alike: near spellings, a shared word, a shared modifier, or nothing in common).
// For evaluation only (src/eval/invariances.ts).
import { projectPath } from "../data/paths";
import { readTsv } from "../data/tsv";

export const INVARIANCES_FILE = projectPath("data", "gold", "invariances.tsv");

export const EXPECTS = ["similar", "different"] as const;
export type InvarianceExpect = (typeof EXPECTS)[number];

/** Ways of writing the same job, as the `transformation` column of a `similar` row spells them. */
export const SIMILAR_TRANSFORMATIONS = [
  "abbreviation",
  "word-order",
  "typo",
  "location",
  "shift",
  "schedule",
  "company",
  "numeral",
  "parentheses",
  "synonym",
  "casing",
] as const;

/** Why two different jobs might be confused, as the `transformation` column of a `different` row spells them. */
export const DIFFERENT_TRANSFORMATIONS = ["near-spelling", "shared-word", "shared-modifier", "unrelated"] as const;

export interface InvariancePair {
  expect: InvarianceExpect;
  transformation: string;
  a: string;
  b: string;
  note: string;
  /** 1-based line in the file, for messages. */
  line: number;
}

const HEADER = ["expect", "transformation", "a", "b", "note"];

/** Whitespace collapsed; case kept, since a casing pair differs only in case. */
const norm = (s: string): string => s.trim().replace(/\s+/g, " ");

/** Loads and checks the invariance pairs; every problem names the file and the line. */
export function loadInvariances(file = INVARIANCES_FILE): InvariancePair[] {
  const seen = new Map<string, number>();
  return readTsv(file, { header: HEADER }).map((r) => {
    const where = `${file}:${r.line}`;
    r.cells.forEach((c, i) => {
      if (c.trim() === "") throw new Error(`${where}: empty ${HEADER[i]} cell`);
    });
    const [expect, transformation, rawA, rawB, note] = r.cells.map((c) => c.trim());
    if (!(EXPECTS as readonly string[]).includes(expect)) {
      throw new Error(`${where}: unknown expect ${JSON.stringify(expect)} (one of: ${EXPECTS.join(", ")})`);
    }
    const allowed: readonly string[] = expect === "similar" ? SIMILAR_TRANSFORMATIONS : DIFFERENT_TRANSFORMATIONS;
    if (!allowed.includes(transformation)) {
      throw new Error(`${where}: unknown transformation ${JSON.stringify(transformation)} for a ${expect} pair (one of: ${allowed.join(", ")})`);
    }
    const a = norm(rawA);
    const b = norm(rawB);
    if (a === b) throw new Error(`${where}: a and b are the same title ${JSON.stringify(a)}`);
    const key = [a, b].sort().join("\u0000");
    const first = seen.get(key);
    if (first !== undefined) throw new Error(`${where}: duplicate pair ${JSON.stringify(a)} / ${JSON.stringify(b)} (first on line ${first})`);
    seen.set(key, r.line);
    return { expect: expect as InvarianceExpect, transformation, a, b, note, line: r.line };
  });
}
