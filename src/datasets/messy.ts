// The messy-titles evaluation set committed under data/gold: titles as people type them (abbreviations, locations,
// shifts, employers, typos, several roles, odd casing, non-titles, non-Latin scripts), each with the Role, Level and
// Industry the project's labelling conventions give it. For evaluation only.
import { CategoryType, OTHER } from "../core/types";
import { projectPath } from "../data/paths";
import { readTsv } from "../data/tsv";
import { parseClass } from "../taxonomy/classes";

export const MESSY_TITLES_FILE = projectPath("data", "gold", "messy-titles.tsv");

/** The kinds of mess, one word each, as the file's `kind` column spells them. */
export const MESSY_KINDS = [
  "abbreviation",
  "location",
  "shift",
  "company",
  "typo",
  "multi-role",
  "casing-punctuation",
  "non-title",
  "non-english",
] as const;

export type MessyKind = (typeof MESSY_KINDS)[number];

export interface MessyTitle {
  title: string;
  role: string;
  level: string;
  industry: string;
  kind: string;
  note: string;
}

const HEADER = ["title", "role", "level", "industry", "kind", "note"];

/** Loads and checks the messy-titles set; every problem names the file and the line. */
export function loadMessyTitles(file = MESSY_TITLES_FILE): MessyTitle[] {
  const seen = new Map<string, number>();
  return readTsv(file, { header: HEADER }).map((r) => {
    const [title, role, level, industry, kind, note] = r.cells;
    const where = `${file}:${r.line}`;
    if (title.trim() === "") throw new Error(`${where}: empty title`);
    if (note.trim() === "") throw new Error(`${where}: empty note for ${JSON.stringify(title)}`);
    if (!(MESSY_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`${where}: unknown kind ${JSON.stringify(kind)} (kinds: ${MESSY_KINDS.join(", ")})`);
    }
    const key = title.trim().toLowerCase().replace(/\s+/g, " ");
    const first = seen.get(key);
    if (first !== undefined) throw new Error(`${where}: duplicate title ${JSON.stringify(title)} (first on line ${first})`);
    seen.set(key, r.line);
    // "Other" is a class of every type (the last of ROLES, LEVELS and INDUSTRIES); it is accepted explicitly all the same.
    const cls = (type: CategoryType, name: string): string => (name === OTHER ? OTHER : parseClass(type, name, where));
    return {
      title,
      role: cls("role", role),
      level: cls("level", level),
      industry: cls("industry", industry),
      kind,
      note,
    };
  });
}

/** The expected labels of the items for one category type, in order. */
export function messyGold(items: readonly MessyTitle[], type: CategoryType): string[] {
  return items.map((it) => it[type]);
}
