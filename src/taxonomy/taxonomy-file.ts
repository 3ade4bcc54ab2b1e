// A category type defined by representative examples in a file (TSV, JSON or YAML), checked line by line so that a
// user's mistake is reported where it was made rather than discovered later as a wrong label.
import * as fs from "fs";
import * as path from "path";
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument, YAMLMap } from "yaml";
import { OTHER } from "../core/types";
import { DataFileError, splitLines } from "../data/tsv";
import { suggest } from "../util/suggest";

/** A fix (`jtlab fix`): an example added to a class, or a title pinned to one, with who made it, when and why. */
export type FixKind = "example" | "pin";
export const FIX_KINDS: readonly FixKind[] = ["example", "pin"];

export interface Provenance {
  kind: FixKind;
  by: string;
  /** When, as the file gives it (jtlab fix writes ISO 8601). */
  at: string;
  why: string;
}

export interface TaxonomyExample {
  title: string;
  weight: number;
  /** 1-based line in the file; null when the taxonomy was not read from a file. */
  line: number | null;
  /** Set when the example was added as a fix; the type's own examples have none. */
  fix?: Provenance;
}

/** A title that always gets its class, whatever the model answers (matched as exampleKey matches). */
export interface TaxonomyPin {
  title: string;
  cls: string;
  line: number | null;
  fix: Provenance;
}

export interface Taxonomy {
  name: string;
  file: string;
  classes: Map<string, TaxonomyExample[]>;
  pins: TaxonomyPin[];
  warnings: string[];
  /**
   * A file of labelled titles (TSV `title, class`) that answers the type by a vote of the nearest of them (the
   * neighbours protocol) instead of by its examples alone; resolved against the taxonomy file's folder.
   */
  labelled?: { file: string; line: number | null };
}

export interface TaxonomyOptions {
  /** Why the current model cannot encode a title, or null when it can; such examples are kept, with a warning. */
  encodable?: (title: string) => string | null;
  /**
   * The type's examples come from elsewhere and the file only adds fixes to them (the built-in role and industry
   * types, whose examples a run chooses from its training titles): a file without classes, or a class with only
   * pins, is then no error.
   */
  overlay?: boolean;
}

/** A taxonomy file that cannot be used, as `file:line: problem` (or `file: problem` when no line is to blame). */
export class TaxonomyError extends DataFileError {
  constructor(file: string, line: number | null, problem: string) {
    super(file, line, problem);
    this.name = "TaxonomyError";
  }
}

export type TaxonomyFormat = "tsv" | "json" | "yaml";

const COLUMNS = ["class", "example", "weight", "kind", "by", "at", "why"] as const;
/** The columns a fix fills besides class and example. */
export const FIX_COLUMNS = ["kind", "by", "at", "why"] as const;
const TOP_KEYS = ["name", "classes", "labelled"] as const;
const EXAMPLE_KEYS = ["title", "weight", ...FIX_COLUMNS] as const;

const where = (file: string, line: number | null): string => (line === null ? file : `${file}:${line}`);
const onLine = (line: number | null): string => (line === null ? "" : ` (line ${line})`);
const quote = (s: string): string => JSON.stringify(s);

/** Two spellings of one example, as the duplicate checks see them: a stray space or capital is no new example. */
export function exampleKey(title: string): string {
  return title.trim().replace(/\s+/g, " ").toLowerCase();
}

/** The format a file's extension names, or null. */
export function taxonomyFormat(file: string): TaxonomyFormat | null {
  const ext = path.extname(file).toLowerCase();
  return ext === ".tsv" ? "tsv" : ext === ".json" ? "json" : ext === ".yaml" || ext === ".yml" ? "yaml" : null;
}

export function readTaxonomy(file: string, opts: TaxonomyOptions = {}): Taxonomy {
  const format = taxonomyFormat(file);
  if (!format) throw new TaxonomyError(file, null, `is not a taxonomy file: expected the extension .tsv, .json, .yaml or .yml`);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new TaxonomyError(file, null, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseTaxonomyText(text, file, format, opts);
}

export function parseTaxonomyText(text: string, file: string, format: TaxonomyFormat, opts: TaxonomyOptions = {}): Taxonomy {
  const b = new Builder(file, path.basename(file, path.extname(file)), opts);
  if (format === "tsv") parseTsv(text, b);
  else parseStructured(text, format, b);
  return b.finish();
}

/** A taxonomy from the representatives built into the code, under the same checks as a file. */
export function taxonomyFromRepresentatives(name: string, reps: Map<string, string[]>): Taxonomy {
  const b = new Builder(name, name, {});
  for (const [cls, titles] of reps) {
    b.addClass(cls, null);
    for (const title of titles) b.addExample(cls, title, 1, null);
  }
  return b.finish();
}

/** The taxonomy as a TSV file that reads back as the same taxonomy (the weight column only when a weight is not 1, the fix columns only when it holds fixes). */
export function writeTaxonomyTsv(t: Taxonomy): string {
  const fail = (problem: string): never => {
    throw new TaxonomyError(t.file, null, `cannot be written as TSV: ${problem}`);
  };
  // Whatever the reader would trim, split or take for a comment would not read back as written.
  const cell = (s: string, what: string, mayBeEmpty = false): string => {
    if ((s === "" && !mayBeEmpty) || s !== s.trim() || /[\t\r\n]/.test(s)) fail(`${what} ${quote(s)} is empty, has spaces at an end, a tab or a line break`);
    return s;
  };
  if (t.name === "" || t.name !== t.name.trim() || /[\r\n]/.test(t.name)) fail(`the name ${quote(t.name)} is empty, has spaces at an end or a line break`);
  const weighted = [...t.classes.values()].some((xs) => xs.some((x) => x.weight !== 1));
  const fixes = t.pins.length > 0 || [...t.classes.values()].some((xs) => xs.some((x) => x.fix));
  const header = ["class", "example", ...(weighted ? ["weight"] : []), ...(fixes ? FIX_COLUMNS : [])];
  const lines = [`# name: ${t.name}`, ...(t.labelled ? [`# labelled: ${path.relative(path.dirname(path.resolve(t.file)), t.labelled.file)}`] : []), header.join("\t")];
  const row = (cls: string, title: string, weight: number | null, fix: Provenance | undefined): string => {
    if (cls.startsWith("#")) fail(`the class ${quote(cls)} starts with #, which marks a comment line`);
    const cells = [cell(cls, "the class"), cell(title, "the example")];
    if (weighted) cells.push(weight === null ? "" : String(weight));
    if (fixes) cells.push(fix?.kind ?? "", ...(["by", "at", "why"] as const).map((k) => cell(fix?.[k] ?? "", `the ${k} cell`, true)));
    return cells.join("\t");
  };
  for (const [cls, examples] of t.classes) for (const x of examples) lines.push(row(cls, x.title, x.weight, x.fix));
  for (const p of t.pins) lines.push(row(p.cls, p.title, null, p.fix));
  return lines.join("\n") + "\n";
}

/** Collects classes, examples and pins in file order and applies every check that does not depend on the format. */
class Builder {
  readonly classes = new Map<string, TaxonomyExample[]>();
  readonly pins: TaxonomyPin[] = [];
  readonly warnings: string[] = [];
  labelled: Taxonomy["labelled"];
  private readonly classLines = new Map<string, number | null>();
  /** Per title key, the class it belongs to and where it was first given, once as an example and once as a pin. */
  private readonly owners = new Map<string, { cls: string; line: number | null }>();
  private readonly pinned = new Map<string, { cls: string; line: number | null }>();

  constructor(
    readonly file: string,
    public name: string,
    private readonly opts: TaxonomyOptions,
  ) {}

  setLabelled(raw: string, line: number | null): void {
    if (this.labelled) this.error(line, `a second labelled-titles file (the first is given${onLine(this.labelled.line)})`);
    const rel = raw.trim();
    if (rel === "") this.error(line, "the labelled-titles file is empty");
    this.labelled = { file: path.resolve(path.dirname(this.file), rel), line };
  }

  error(line: number | null, problem: string): never {
    throw new TaxonomyError(this.file, line, problem);
  }

  warn(line: number | null, problem: string): void {
    this.warnings.push(`${where(this.file, line)}: ${problem}`);
  }

  /** Returns the class name as stored (trimmed). */
  addClass(raw: string, line: number | null): string {
    const cls = raw.trim();
    if (cls === "") this.error(line, "the class is empty");
    if (!this.classes.has(cls)) {
      this.classes.set(cls, []);
      this.classLines.set(cls, line);
    }
    return cls;
  }

  /** A title given to two classes, as an example or a pin, is an error naming both lines. */
  private claim(cls: string, title: string, line: number | null): string {
    const key = exampleKey(title);
    for (const [what, other] of [["an example", this.owners.get(key)], ["pinned", this.pinned.get(key)]] as const) {
      if (other && other.cls !== cls) {
        this.error(line, `${quote(title)} is ${what === "pinned" ? "pinned to" : "an example of"} ${quote(other.cls)}${onLine(other.line)} and given to ${quote(cls)}${onLine(line)}; a title must belong to one class`);
      }
    }
    return key;
  }

  addExample(cls: string, raw: string, weight: number, line: number | null, fix?: Provenance): void {
    const title = raw.trim();
    if (title === "") this.error(line, `an example of ${quote(cls)} is empty`);
    const key = exampleKey(title);
    const owner = this.owners.get(key);
    if (owner && owner.cls !== cls) {
      this.error(line, `${quote(title)} is an example of both ${quote(owner.cls)}${onLine(owner.line)} and ${quote(cls)}${onLine(line)}; an example must belong to one class`);
    }
    this.claim(cls, title, line);
    if (owner) {
      const first = this.classes.get(cls)!.find((x) => exampleKey(x.title) === key)!;
      const weights = first.weight === weight ? "" : ` (its weight ${first.weight} is kept, not ${weight})`;
      this.warn(line, `${quote(title)} is already an example of ${quote(cls)}${onLine(owner.line)}; kept once${weights}`);
      return;
    }
    this.owners.set(key, { cls, line });
    this.classes.get(cls)!.push({ title, weight, line, ...(fix ? { fix } : {}) });
    const reason = this.opts.encodable?.(title) ?? null;
    if (reason !== null) this.warn(line, `the model cannot encode ${quote(title)}: ${reason}`);
  }

  addPin(cls: string, raw: string, line: number | null, fix: Provenance): void {
    const title = raw.trim();
    if (title === "") this.error(line, `a title pinned to ${quote(cls)} is empty`);
    const key = this.claim(cls, title, line);
    const first = this.pinned.get(key);
    if (first) {
      this.warn(line, `${quote(title)} is already pinned to ${quote(cls)}${onLine(first.line)}; kept once`);
      return;
    }
    this.pinned.set(key, { cls, line });
    this.pins.push({ title, cls, line, fix });
  }

  finish(): Taxonomy {
    for (const [cls, examples] of this.classes) {
      if (examples.length > 0) continue;
      const pin = this.pins.find((p) => p.cls === cls);
      // A class named only by pins: a fixes-only file's (overlay), or Other ("none of the classes"), which needs no examples.
      if (this.opts.overlay || (pin && cls === OTHER)) {
        this.classes.delete(cls);
        continue;
      }
      this.error(pin?.line ?? this.classLines.get(cls) ?? null, `the class ${quote(cls)} has no examples${pin ? " (a pin alone cannot define a class: add an example of it)" : ""}`);
    }
    if (this.classes.size === 0 && !this.opts.overlay) this.error(null, "defines no classes");
    return { name: this.name, file: this.file, classes: this.classes, pins: this.pins, warnings: this.warnings, ...(this.labelled ? { labelled: this.labelled } : {}) };
  }
}

/** The provenance of a row or entry: none for the type's own examples (no kind), else a kind the file spells right. */
function provenanceOf(b: Builder, cells: Partial<Record<(typeof FIX_COLUMNS)[number], string>>, line: number | null): Provenance | undefined {
  const kind = (cells.kind ?? "").trim();
  const by = (cells.by ?? "").trim();
  const at = (cells.at ?? "").trim();
  const why = (cells.why ?? "").trim();
  if (kind === "") {
    if (by || at || why) b.error(line, `a row with by, at or why is a fix and needs a kind (${FIX_KINDS.join(" or ")})`);
    return undefined;
  }
  if (!(FIX_KINDS as readonly string[]).includes(kind)) b.error(line, unknownName("kind", kind, FIX_KINDS));
  if (at !== "" && Number.isNaN(Date.parse(at))) b.error(line, `the date ${quote(at)} in "at" is not a date (jtlab fix writes ISO 8601, e.g. 2026-12-01T15:00:00Z)`);
  return { kind: kind as FixKind, by, at, why };
}

/** A row or entry, once its class, title, weight and provenance are known. */
function addEntry(b: Builder, cls: string, title: string, weight: number | null, fix: Provenance | undefined, line: number | null): void {
  if (fix?.kind === "pin") {
    if (weight !== null) b.error(line, `a pin takes no weight (it gives its title the class whatever the scores)`);
    b.addPin(cls, title, line, fix);
  } else b.addExample(cls, title, weight ?? 1, line, fix);
}

/** A weight as a plain decimal: "1,5", "0x10" or "Infinity" are typos more often than intentions. */
function parseWeight(raw: string): number | null {
  const s = raw.trim();
  if (!/^\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const w = Number(s);
  return Number.isFinite(w) && w > 0 ? w : null;
}

function checkWeight(b: Builder, w: unknown, line: number | null): number {
  const weight = typeof w === "number" ? (Number.isFinite(w) && w > 0 ? w : null) : typeof w === "string" ? parseWeight(w) : null;
  if (weight === null) b.error(line, `the weight ${typeof w === "string" ? quote(w) : String(w)} is not a positive number`);
  return weight;
}

function unknownName(kind: string, got: string, known: readonly string[]): string {
  const near = suggest(got, known);
  return `unknown ${kind} ${quote(got)}${near ? ` (did you mean ${quote(near)}?)` : ""}; the ${kind}s are ${known.join(", ")}`;
}

function parseTsv(text: string, b: Builder): void {
  const lines = splitLines(text);
  let header: string[] | null = null;
  let nameLine: number | null = null;
  const col: Record<(typeof COLUMNS)[number], number> = { class: -1, example: -1, weight: -1, kind: -1, by: -1, at: -1, why: -1 };
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i];
    if (raw.trim() === "") continue;
    // Only a line that starts with # is a comment: a row whose class cell is empty must still be reported.
    if (raw.startsWith("#")) {
      const l = /^#\s*labelled\s*:(.*)$/i.exec(raw);
      if (l && header === null) b.setLabelled(l[1], line);
      const m = /^#\s*name\s*:(.*)$/i.exec(raw);
      if (m && header === null) {
        if (nameLine !== null) b.error(line, `a second "# name:" line (the first is line ${nameLine})`);
        if (m[1].trim() === "") b.error(line, `"# name:" gives no name`);
        b.name = m[1].trim();
        nameLine = line;
      }
      continue;
    }
    const cells = raw.split("\t").map((c) => c.trim());
    if (header === null) {
      cells.forEach((c, j) => {
        if (!(COLUMNS as readonly string[]).includes(c)) b.error(line, unknownName("column", c, COLUMNS));
        const k = c as keyof typeof col;
        if (col[k] !== -1) b.error(line, `the column ${quote(c)} appears twice`);
        col[k] = j;
      });
      for (const need of ["class", "example"] as const) if (col[need] === -1) b.error(line, `the header has no ${quote(need)} column (the columns are ${COLUMNS.join(", ")})`);
      header = cells;
      continue;
    }
    // Spreadsheets pad rows with empty cells; a value past the header's columns has no meaning and is an error.
    if (cells.slice(header.length).some((c) => c !== "")) b.error(line, `${cells.length} cells, but the header has ${header.length} columns`);
    const get = (k: keyof typeof col): string => (col[k] === -1 ? "" : (cells[col[k]] ?? ""));
    const cls = b.addClass(get("class"), line);
    const weight = get("weight") === "" ? null : checkWeight(b, get("weight"), line);
    const fix = provenanceOf(b, { kind: get("kind"), by: get("by"), at: get("at"), why: get("why") }, line);
    addEntry(b, cls, get("example"), weight, fix, line);
  }
  if (header === null) b.error(null, `has no header row (expected the columns class, example and optionally weight, kind, by, at, why)`);
}

/** JSON is read through the YAML parser too (JSON is YAML), so that JSON errors name lines as well. */
function parseStructured(text: string, format: "json" | "yaml", b: Builder): void {
  const lc = new LineCounter();
  if (format === "json") {
    try {
      JSON.parse(text);
    } catch (e) {
      // V8 quotes the text around the error and its offset; the line stands for both.
      const problem = String((e as Error).message).replace(/,\s*(\.\.\.)?"[\s\S]*$/, "").replace(/ in JSON at position \d+[\s\S]*$/, "");
      b.error(jsonErrorLine(text), `is not valid JSON: ${problem}`);
    }
  }
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const problem = e.code === "MULTIPLE_DOCS" ? "holds more than one document (a taxonomy is one)" : e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    b.error(e.linePos?.[0].line ?? null, `is not valid ${format === "json" ? "JSON" : "YAML"}: ${problem}`);
  }
  const lineOf = (n: unknown): number | null => {
    const range = (n as Node | null)?.range;
    return range ? lc.linePos(range[0]).line : null;
  };
  const resolve = (n: unknown): unknown => (isAlias(n) ? n.resolve(doc) : n);
  const root = resolve(doc.contents);
  if (!isMap(root)) b.error(lineOf(root) ?? 1, `must be a mapping with the keys ${TOP_KEYS.join(", ")}`);
  const top = keyedPairs(root, b, lineOf, "key", TOP_KEYS);
  const name = top.get("name");
  if (name) {
    const v = resolve(name.value);
    if (!isScalar(v) || typeof v.value !== "string" || v.value.trim() === "") b.error(lineOf(v) ?? name.line, `"name" must be a non-empty string`);
    b.name = (v.value as string).trim();
  }
  const labelled = top.get("labelled");
  if (labelled) {
    const v = resolve(labelled.value);
    if (!isScalar(v) || typeof v.value !== "string") b.error(lineOf(v) ?? labelled.line, `"labelled" must be the path of a TSV of labelled titles`);
    b.setLabelled(v.value, lineOf(v) ?? labelled.line);
  }
  const classes = top.get("classes");
  if (!classes) b.error(lineOf(root), `has no "classes" key`);
  const cmap = resolve(classes.value);
  if (!isMap(cmap)) b.error(lineOf(cmap) ?? classes.line, `"classes" must map each class to its list of examples`);
  const seen = new Map<string, number | null>();
  for (const pair of cmap.items) {
    const key = resolve(pair.key);
    const line = lineOf(key);
    if (!isScalar(key) || (typeof key.value !== "string" && typeof key.value !== "number")) b.error(line, "a class name must be a string");
    const raw = String(key.value);
    if (seen.has(raw.trim())) b.error(line, `the class ${quote(raw.trim())} is defined twice${onLine(seen.get(raw.trim()) ?? null)}`);
    const cls = b.addClass(raw, line);
    seen.set(cls, line);
    const list = resolve(pair.value);
    if (list === null || (isScalar(list) && list.value === null)) continue; // `CEO:` with nothing under it: no examples, reported by finish()
    if (!isSeq(list)) b.error(lineOf(list) ?? line, `the examples of ${quote(cls)} must be a list`);
    for (const item of list.items) addStructuredExample(b, cls, resolve(item), lineOf(item) ?? line, lineOf, resolve);
  }
}

function addStructuredExample(
  b: Builder,
  cls: string,
  item: unknown,
  line: number | null,
  lineOf: (n: unknown) => number | null,
  resolve: (n: unknown) => unknown,
): void {
  if (isScalar(item)) {
    if (typeof item.value !== "string") b.error(line, `an example of ${quote(cls)} must be a title (a string), not ${String(item.value)}`);
    b.addExample(cls, item.value, 1, line);
    return;
  }
  if (!isMap(item)) b.error(line, `an example of ${quote(cls)} must be a title or {title, weight, kind, by, at, why}`);
  const keys = keyedPairs(item, b, lineOf, "example key", EXAMPLE_KEYS);
  const title = keys.get("title");
  if (!title) b.error(line, `an example of ${quote(cls)} has no "title"`);
  const t = resolve(title.value);
  if (!isScalar(t) || typeof t.value !== "string") b.error(lineOf(t) ?? title.line, `the title of an example of ${quote(cls)} must be a string`);
  const w = keys.get("weight");
  const weight = w ? checkWeight(b, (resolve(w.value) as { value?: unknown } | null)?.value, lineOf(w.value) ?? w.line) : null;
  const text: Partial<Record<(typeof FIX_COLUMNS)[number], string>> = {};
  for (const k of FIX_COLUMNS) {
    const v = keys.get(k);
    if (!v) continue;
    const s = resolve(v.value);
    // YAML reads an unquoted date as a string here (core schema), so every provenance value is a scalar's text.
    if (!isScalar(s) || s.value === null || typeof s.value === "object") b.error(lineOf(s) ?? v.line, `"${k}" of an example of ${quote(cls)} must be text`);
    text[k] = String(s.value);
  }
  addEntry(b, cls, t.value, weight, provenanceOf(b, text, line), line);
}

/** A mapping's pairs by key, every key known and none twice. */
function keyedPairs(
  map: YAMLMap,
  b: Builder,
  lineOf: (n: unknown) => number | null,
  kind: string,
  known: readonly string[],
): Map<string, { value: unknown; line: number | null }> {
  const out = new Map<string, { value: unknown; line: number | null }>();
  for (const pair of map.items) {
    if (!isPair(pair)) continue;
    const line = lineOf(pair.key);
    const k = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!known.includes(k)) b.error(line, unknownName(kind, k, known));
    if (out.has(k)) b.error(line, `the ${kind} ${quote(k)} appears twice${onLine(out.get(k)!.line)}`);
    out.set(k, { value: pair.value, line });
  }
  return out;
}

/**
 * The line of a JSON syntax error. Node 20's messages do not always give a position, so it is found from prefixes: a
 * prefix that is still the start of some JSON fails only for running out ("end of JSON input", or a position at its
 * end); the shortest prefix that fails otherwise ends at the offending character.
 */
function jsonErrorLine(text: string): number {
  const broken = (prefix: string): boolean => {
    try {
      JSON.parse(prefix);
      return false;
    } catch (e) {
      const m = String((e as Error).message);
      const at = /at position (\d+)/.exec(m);
      return !/end of JSON input/.test(m) && !(at && Number(at[1]) >= prefix.length);
    }
  };
  // An error at the end of the input belongs to the last line with text on it, not to the empty line after it.
  let [lo, hi] = [0, text.trimEnd().length];
  if (broken(text.slice(0, hi))) {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (broken(text.slice(0, mid))) hi = mid;
      else lo = mid;
    }
  }
  return text.slice(0, hi).split("\n").length;
}
