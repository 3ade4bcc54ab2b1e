// A user's own titles: CSV with the header `person_id,title[,tokens]` (RFC 4180 quoting). Each row is one title
// held by one person; a person's rows form their profile. Any bad row stops the load with its line number.
import * as fs from "fs";
import { CsvEncoding, CsvRecord, parseCsvBytes, parseCsvText } from "./csv-stream";
import { DataFileError } from "./tsv";

export interface UserTitleRow {
  personId: string;
  title: string;
  /** Optional extra words for the person (skills), space-separated in the file. */
  tokens: string[];
  line: number;
}

export interface Profile {
  personId: string;
  titles: string[];
  tokens: string[];
  /** True for profiles the workbench generated from O*NET rather than read from real people. */
  simulated: boolean;
}

/** Parses a user's titles CSV; throws a DataFileError naming the first bad line. */
export function parseUserTitles(text: string, file = "<csv>"): UserTitleRow[] {
  return userTitles(parseCsvText(text, file), file);
}

function userTitles(records: CsvRecord[], file: string): UserTitleRow[] {
  if (records.length === 0) throw new DataFileError(file, null, "is empty (expected the header person_id,title[,tokens])");
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const okHeader =
    (header.length === 2 || header.length === 3) &&
    header[0] === "person_id" &&
    header[1] === "title" &&
    (header.length === 2 || header[2] === "tokens");
  if (!okHeader) {
    throw new DataFileError(file, 1, `expected the header person_id,title[,tokens], found ${records[0].fields.join(",")}`);
  }
  const rows: UserTitleRow[] = [];
  for (const r of records.slice(1)) {
    if (r.fields.length !== header.length) {
      throw new DataFileError(file, r.line, `expected ${header.length} fields, found ${r.fields.length}`);
    }
    const personId = r.fields[0].trim();
    const title = r.fields[1].replace(/\s+/g, " ").trim();
    if (!personId) throw new DataFileError(file, r.line, "empty person_id");
    if (!title) throw new DataFileError(file, r.line, `empty title for person ${personId}`);
    const tokens = header.length === 3 ? r.fields[2].split(/\s+/).filter(Boolean) : [];
    rows.push({ personId, title, tokens, line: r.line });
  }
  if (rows.length === 0) throw new DataFileError(file, null, "has a header but no rows");
  return rows;
}

/** Reads a user's titles CSV: UTF-8 that must be valid (an invalid byte is an error with its line), or Latin-1. */
export function readUserTitles(file: string, opts: { encoding?: CsvEncoding } = {}): UserTitleRow[] {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFileError(file, null, code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, expected a CSV file" : `cannot be read (${code ?? String(e)})`);
  }
  return userTitles(parseCsvBytes(bytes, file, { encoding: opts.encoding }), file);
}

/** Groups rows into profiles, in order of each person's first row. */
export function toProfiles(rows: UserTitleRow[]): Profile[] {
  const byPerson = new Map<string, Profile>();
  for (const r of rows) {
    let p = byPerson.get(r.personId);
    if (!p) byPerson.set(r.personId, (p = { personId: r.personId, titles: [], tokens: [], simulated: false }));
    p.titles.push(r.title);
    for (const t of r.tokens) if (!p.tokens.includes(t)) p.tokens.push(t);
  }
  return [...byPerson.values()];
}
