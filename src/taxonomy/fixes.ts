// Fixes as data (`jtlab fix`): a title pinned to a class, or added as an example of one, written into the category
// type's taxonomy file with who, when and why, so that a fix is reviewed and versioned like any other change. A fix is
// appended (the file's comments and order stay as the user left them), the result is read back through every check
// before it replaces the file, and the write is atomic: a fix never leaves a file half-written or unreadable.
import * as fs from "fs";
import * as path from "path";
import { isMap, isSeq, parseDocument, YAMLMap } from "yaml";
import { CategoryType, CATEGORY_TYPES } from "../core/types";
import { projectPath } from "../data/paths";
import { splitLines } from "../data/tsv";
import { writeFileAtomic } from "../io/atomic";
import { didYouMean } from "../util/suggest";
import { CATEGORY_NAMES, parseClass } from "./classes";
import { exampleKey, FIX_COLUMNS, FixKind, parseTaxonomyText, Provenance, readTaxonomy, Taxonomy, TaxonomyError, taxonomyFormat } from "./taxonomy-file";

export interface Fix extends Provenance {
  title: string;
  label: string;
}

/**
 * Where the built-in types' taxonomy files live: data/taxonomy, or `JTLAB_TAXONOMY_DIR` (a team's own copy; tests).
 * level.tsv holds Level's examples; role.tsv and industry.tsv hold only fixes, since a run chooses those types'
 * examples from its training titles (the talk's 50-examples rule).
 */
export function taxonomyDir(): string {
  return process.env.JTLAB_TAXONOMY_DIR ?? projectPath("data", "taxonomy");
}

export function builtInTaxonomyFile(type: CategoryType): string {
  return path.join(taxonomyDir(), `${type}.tsv`);
}

/** Whether the built-in type's file only adds fixes to examples chosen elsewhere. */
export const isOverlay = (type: CategoryType): boolean => type !== "level";

/** The text of a new fixes-only file for a built-in type, which reads as an empty overlay. */
function newOverlayText(type: CategoryType): string {
  return [
    `# name: ${type}`,
    `# Fixes to the built-in ${CATEGORY_NAMES[type]} type, written by \`jtlab fix\`. Its examples are the ones each run chooses from`,
    `# its training titles (the talk's 50-examples rule); a row here pins a title to a class (kind pin) or adds an`,
    `# example to one (kind example), whichever run answers.`,
    ["class", "example", ...FIX_COLUMNS].join("\t"),
    "",
  ].join("\n");
}

/** A built-in type's taxonomy file, its classes checked against the type's classes (a file missing is no fixes). */
export function readBuiltInTaxonomy(type: CategoryType): Taxonomy {
  const file = builtInTaxonomyFile(type);
  if (!fs.existsSync(file)) {
    if (!isOverlay(type)) throw new TaxonomyError(file, null, `is missing: it holds the ${CATEGORY_NAMES[type]} type's examples (the project ships it under data/taxonomy)`);
    return { name: type, file, classes: new Map(), pins: [], warnings: [] };
  }
  const t = readTaxonomy(file, { overlay: isOverlay(type) });
  const lineOf = (cls: string): number | null => t.classes.get(cls)?.[0]?.line ?? t.pins.find((p) => p.cls === cls)?.line ?? null;
  for (const cls of new Set([...t.classes.keys(), ...t.pins.map((p) => p.cls)])) {
    try {
      parseClass(type, cls);
    } catch (e) {
      throw new TaxonomyError(file, lineOf(cls), (e as Error).message);
    }
  }
  return t;
}

/** The fixes of a taxonomy: its pins, and the examples added as fixes (kind example), per class. */
export interface Fixes {
  pins: Map<string, { title: string; cls: string; fix: Provenance; line: number | null }>;
  examples: Map<string, { title: string; weight: number; fix: Provenance; line: number | null }[]>;
  file: string;
}

export function fixesOf(t: Taxonomy): Fixes {
  const pins = new Map(t.pins.map((p) => [exampleKey(p.title), p] as const));
  const examples: Fixes["examples"] = new Map();
  for (const [cls, xs] of t.classes) {
    const added = xs.filter((x) => x.fix?.kind === "example").map((x) => ({ title: x.title, weight: x.weight, fix: x.fix!, line: x.line }));
    if (added.length) examples.set(cls, added);
  }
  return { pins, examples, file: t.file };
}

export const countFixes = (f: Fixes): number => f.pins.size + [...f.examples.values()].reduce((n, xs) => n + xs.length, 0);

/** The built-in types' fixes, as `jtlab classify | score | fix` apply them. */
export function builtInFixes(): Record<CategoryType, Fixes> {
  return Object.fromEntries(CATEGORY_TYPES.map((t) => [t, fixesOf(readBuiltInTaxonomy(t))])) as Record<CategoryType, Fixes>;
}

/** Where the title already belongs in the taxonomy (as an example or a pin), or null. */
export function placeOf(t: Taxonomy, title: string): { cls: string; kind: FixKind | "example (the type's own)"; line: number | null } | null {
  const key = exampleKey(title);
  const pin = t.pins.find((p) => exampleKey(p.title) === key);
  if (pin) return { cls: pin.cls, kind: "pin", line: pin.line };
  for (const [cls, xs] of t.classes) {
    const x = xs.find((e) => exampleKey(e.title) === key);
    if (x) return { cls, kind: x.fix ? "example" : "example (the type's own)", line: x.line };
  }
  return null;
}

const clean = (s: string): string => s.replace(/\s+/g, " ").trim();

/** A fix not yet written: the file's text with it, and the taxonomy before and after. */
export interface PlannedFix {
  file: string;
  fix: Fix;
  text: string;
  /** The file's text the fix was planned on (null: the file did not exist). */
  original: string | null;
  before: Taxonomy;
  after: Taxonomy;
  /** The line the fix lands on. */
  line: number | null;
}

/**
 * A fix appended to a taxonomy file's text (TSV, JSON or YAML), read back through every check; nothing is written.
 * The title must not already belong to another class (the error names the line that holds it).
 */
export function planFix(file: string, fix: Fix, opts: { overlay?: boolean; newType?: CategoryType; text?: string; original?: string | null } = {}): PlannedFix {
  const format = taxonomyFormat(file);
  if (!format) throw new TaxonomyError(file, null, "is not a taxonomy file: expected the extension .tsv, .json, .yaml or .yml");
  const f: Fix = { ...fix, title: clean(fix.title), label: clean(fix.label), by: clean(fix.by), why: clean(fix.why) };
  if (!f.title) throw new TaxonomyError(file, null, "the title to fix is empty");
  let text: string;
  const original = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
  // A batch of fixes plans each on the text the one before it planned.
  if (opts.text !== undefined) text = opts.text;
  else if (original !== null) text = original;
  else if (opts.newType) text = newOverlayText(opts.newType);
  else throw new TaxonomyError(file, null, "does not exist");
  const before = parseTaxonomyText(text, file, format, { overlay: opts.overlay });
  const place = placeOf(before, f.title);
  const as = (p: NonNullable<typeof place>): string => `${p.kind === "pin" ? "pinned to" : "an example of"} ${JSON.stringify(p.cls)}`;
  if (place && place.cls !== f.label) throw new TaxonomyError(file, place.line, `${JSON.stringify(f.title)} is already ${as(place)}; edit or remove that line to move it to ${JSON.stringify(f.label)}`);
  if (place && (place.kind === f.kind || (f.kind === "example" && place.kind !== "pin"))) throw new TaxonomyError(file, place.line, `${JSON.stringify(f.title)} is already ${as(place)}: nothing to fix`);
  const next = format === "tsv" ? appendTsv(text, f, file) : appendStructured(text, f, format, file);
  const after = parseTaxonomyText(next, file, format, { overlay: opts.overlay });
  const key = exampleKey(f.title);
  const line = f.kind === "pin" ? (after.pins.find((p) => exampleKey(p.title) === key)?.line ?? null) : (after.classes.get(f.label)?.find((x) => exampleKey(x.title) === key)?.line ?? null);
  return { file, fix: f, text: next, original: opts.original !== undefined ? opts.original : original, before, after, line };
}

/**
 * Writes a planned fix (atomically: the file is whole before and after), unless the file changed since the fix was
 * planned: someone else's edit is never overwritten.
 */
export function writeFix(p: PlannedFix): void {
  const now = fs.existsSync(p.file) ? fs.readFileSync(p.file, "utf8") : null;
  if (now !== p.original) throw new TaxonomyError(p.file, null, "changed while the fix was being checked: nothing was written; run jtlab fix again");
  fs.mkdirSync(path.dirname(path.resolve(p.file)), { recursive: true });
  writeFileAtomic(p.file, p.text);
}

/** planFix, then writeFix. */
export function recordFix(file: string, fix: Fix, opts: { overlay?: boolean; newType?: CategoryType } = {}): PlannedFix {
  const p = planFix(file, fix, opts);
  writeFix(p);
  return p;
}

function appendTsv(text: string, f: Fix, file: string): string {
  for (const [what, v] of [["title", f.title], ["class", f.label]] as const) if (/\t/.test(v)) throw new TaxonomyError(file, null, `the ${what} ${JSON.stringify(v)} holds a tab, which TSV cannot`);
  if (f.label.startsWith("#")) throw new TaxonomyError(file, null, `the class ${JSON.stringify(f.label)} starts with #, which marks a comment line`);
  const lines = splitLines(text);
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  const h = lines.findIndex((l) => l.trim() !== "" && !l.startsWith("#"));
  if (h < 0) throw new TaxonomyError(file, null, "has no header row");
  const header = lines[h].split("\t").map((c) => c.trim());
  // Older files lack the fix columns: they are added to the header; rows with fewer cells read as empty ones.
  for (const c of FIX_COLUMNS) if (!header.includes(c)) header.push(c);
  lines[h] = header.join("\t");
  const value: Record<string, string> = { class: f.label, example: f.title, weight: "", kind: f.kind, by: f.by, at: f.at, why: f.why };
  lines.push(header.map((c) => value[c] ?? "").join("\t").replace(/\t+$/, ""));
  return lines.join("\n") + "\n";
}

function appendStructured(text: string, f: Fix, format: "json" | "yaml", file: string): string {
  const entry = { title: f.title, kind: f.kind, by: f.by, at: f.at, why: f.why };
  if (format === "json") {
    const j = JSON.parse(text) as { classes?: Record<string, unknown[]> };
    if (!j.classes || typeof j.classes !== "object") throw new TaxonomyError(file, null, `has no "classes" mapping`);
    (j.classes[f.label] ??= []).push(entry);
    return JSON.stringify(j, null, 2) + "\n";
  }
  // Through the YAML document, so that the user's comments and layout survive.
  const doc = parseDocument(text);
  const classes = doc.get("classes", true);
  if (!isMap(classes)) throw new TaxonomyError(file, null, `has no "classes" mapping`);
  const list = (classes as YAMLMap).get(f.label, true);
  if (isSeq(list)) list.add(doc.createNode(entry));
  else (classes as YAMLMap).set(f.label, doc.createNode([entry]));
  return String(doc);
}

/** The class a fix names, checked against the type's classes (a built-in type) or the file's (a new class only when asked). */
export function fixLabel(type: CategoryType | null, t: Taxonomy, label: string, allowNew: boolean): string {
  if (type) return parseClass(type, label.trim());
  const known = [...t.classes.keys()];
  const exact = known.find((c) => c === label.trim()) ?? known.find((c) => c.toLowerCase() === label.trim().toLowerCase());
  if (exact) return exact;
  if (allowNew) return label.trim();
  throw new TaxonomyError(t.file, null, `has no class ${JSON.stringify(label)}${didYouMean(label.trim(), known)} (classes: ${known.join("; ")}); pass --new-class to add it with this title as its first example`);
}
