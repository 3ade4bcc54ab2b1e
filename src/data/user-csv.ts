// A user's own titles: CSV with the header `person_id,title[,tokens]` (RFC 4180 quoting). Each row is one title
// held by one person; a person's rows form their profile. Any bad row stops the load with its line number.
import * as fs from "fs";
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

/** Parses CSV text into records, tracking the line each record starts on. */
export function parseCsvRecords(text: string, file: string): { line: number; fields: string[] }[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  const endField = (): void => {
    fields.push(field);
    field = "";
    fieldStarted = false;
  };
  const endRecord = (): void => {
    endField();
    if (!(fields.length === 1 && fields[0] === "")) out.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
          throw new DataFileError(file, line, `unexpected character ${JSON.stringify(next)} after a closing quote`);
        }
        continue;
      }
      if (ch === "\n") line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (fieldStarted || field !== "") throw new DataFileError(file, line, "a quote inside an unquoted field");
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (ch === ",") {
      endField();
      i++;
    } else if (ch === "\r" || ch === "\n") {
      endRecord();
      if (ch === "\r" && text[i + 1] === "\n") i++;
      i++;
      line++;
      recordLine = line;
    } else {
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new DataFileError(file, recordLine, "a quoted field is never closed");
  if (field !== "" || fields.length > 0) endRecord();
  return out;
}

/** Parses a user's titles CSV; throws a DataFileError naming the first bad line. */
export function parseUserTitles(text: string, file = "<csv>"): UserTitleRow[] {
  const records = parseCsvRecords(text, file);
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

export function readUserTitles(file: string): UserTitleRow[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new DataFileError(file, null, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseUserTitles(text, file);
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
