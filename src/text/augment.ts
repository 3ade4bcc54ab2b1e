// Title augmentation: the invariances users expect of a title model, as transformations that make extra positive
// training pairs (title, augmented title) for the Siamese title-similarity model (issue 13).
//
// Why. A char-CNN trained only on pairs of clean O*NET / ONS titles learns spelling, not jobs: "Sr Mgr" and "Senior
// Manager" look unrelated to it, and so do "Manager, Sales" and "Sales Manager", "Registerd Nurse" and "Registered
// Nurse", "Registered Nurse - Boston, MA" and "Registered Nurse". Users expect all of these to be the same job.
// Textkernel's job-title model (the reference of the talk this workbench follows) added data augmentation of exactly
// this kind beside its natural positive pairs, and tested the model on the same invariances. Each transformation
// below is one invariance, a small pure function of the title and the project's seeded Rng:
//
//   abbreviate  one abbreviation, either way, from data/abbreviations.tsv ("Senior" -> "Sr", "Mgr." -> "Manager",
//               "RN" -> "Registered Nurse"): whole words only, the rest of the title kept character for character.
//               A short form is matched as a whole token with an optional trailing dot, never glued to a hyphen,
//               "+", "#", "@" or "."; a short written in capitals in the table (an acronym: RN, IT) is matched only
//               in capitals, or in lower case when the whole title is lower case, so the word "it" is left alone;
//               a row whose note starts with "head noun" (Tech = Technician) is spelled out only at the end of a
//               phrase and not after "of" or a leadership word ("Tech Support", "VP Eng" are fields). A long form
//               is matched case-insensitively as whole words (not inside a hyphenated word) and replaced by one of
//               its short forms, in its case. Null when no abbreviation applies.
//   reorder     the word orders of one job with a head noun (manager, director, head, vice president, supervisor
//               and their abbreviations): "Sales Manager" <-> "Manager, Sales", "Marketing Director" <-> "Director
//               of Marketing", "Vice President of Sales" <-> "Vice President, Sales". Level words stay in front
//               ("Senior Sales Manager" -> "Senior Manager, Sales"); a tail after " - ", " | ", " @ ", " at ", a
//               bracket or a trailing grade (II) is kept as it is. Null for a single word, a title without such a
//               head, or one where the field is empty, an adjective ("Medical Director"), a phrase with its own
//               preposition, or looks like a place or schedule ("Manager, Boston").
//   typo        one or two character edits inside words of at least four letters, never the first letter of a
//               word: a keyboard neighbour substituted, a letter deleted, a letter doubled, two different adjacent
//               letters swapped. Two edits are at least three characters apart, so the result is always different
//               from the title and within two edits of it (transpositions counted as one). Null when no word has
//               four letters.
//   addNoise    one remark that does not change the job: a place ("- Boston, MA", "(London)", "in Chicago"), a
//               shift ("Night Shift", "2nd Shift"), a schedule or contract ("Part-Time", "Remote", "Per Diem"), an
//               employer ("at Acme Corp", "@ Walmart", "| Deloitte"), a level numeral ("II"; not when the title
//               already ends in one), or parentheses (around an existing " - " / " | " remark, around the acronym
//               of the title's last words, "Registered Nurse (RN)", or around a new remark). The title's own
//               words stay, in order. Null only for a title with no letter or digit.
//   augmentTitle  each of the above with its rate, in a fixed order (abbreviation, word order, noise, typo last),
//               skipping those that do not apply; it reports which applied.
//
// Everything here is pure and deterministic for a given Rng state, except that the default abbreviation table is
// read once from data/abbreviations.tsv (loadAbbreviations checks it: header, empty cells, malformed forms,
// duplicate short forms, each error naming file:line).
import { projectPath } from "../data/paths";
import { readTsv } from "../data/tsv";
import { Rng } from "../util/random";

// ---------------------------------------------------------------------------------------------------------------
// The abbreviation table
// ---------------------------------------------------------------------------------------------------------------

export const ABBREVIATIONS_FILE = projectPath("data", "abbreviations.tsv");

const HEADER = ["short", "long", "note"];

export interface Abbreviation {
  /** As written in the table, without a dot ("Sr", "VP"). */
  short: string;
  /** The spelled-out form, one or more words ("Senior", "Vice President"). */
  long: string;
  note: string;
  /** Written in capitals in the table: matched only in capitals, or in an all-lower-case title. */
  acronym: boolean;
  /** The note starts with "head noun": spelled out only at the end of a phrase, not after "of" or a leader word. */
  headNoun: boolean;
  /** Line in the table, for messages. */
  line: number;
}

export interface AbbreviationTable {
  file: string;
  entries: readonly Abbreviation[];
}

const SHORT_FORM = /^[\p{L}][\p{L}\p{N}]*$/u;
const LONG_FORM = /^[\p{L}][\p{L}\p{N}'’]*(?:[ -][\p{L}\p{N}][\p{L}\p{N}'’]*)*$/u;

/** Reads and checks an abbreviation table (short, long, note); every problem names the file and the line. */
export function loadAbbreviations(file = ABBREVIATIONS_FILE): AbbreviationTable {
  const seen = new Map<string, number>();
  const entries = readTsv(file, { header: HEADER }).map((r): Abbreviation => {
    const [short, long, note] = r.cells.map((c) => c.trim());
    const where = `${file}:${r.line}`;
    if (short === "") throw new Error(`${where}: empty short form`);
    if (long === "") throw new Error(`${where}: empty long form for ${JSON.stringify(short)}`);
    if (short.endsWith(".")) throw new Error(`${where}: write the short form without its dot (${JSON.stringify(short)}); the dot is optional when matching`);
    if (!SHORT_FORM.test(short)) throw new Error(`${where}: the short form must be one word of letters and digits, found ${JSON.stringify(short)}`);
    if (!LONG_FORM.test(long)) throw new Error(`${where}: the long form must be words separated by single spaces, found ${JSON.stringify(long)}`);
    if (short.toLowerCase() === long.toLowerCase()) throw new Error(`${where}: the short form ${JSON.stringify(short)} is the long form`);
    const key = short.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) throw new Error(`${where}: duplicate short form ${JSON.stringify(short)} (first on line ${first})`);
    seen.set(key, r.line);
    return {
      short,
      long,
      note,
      acronym: short.length > 1 && short === short.toUpperCase() && /\p{Lu}/u.test(short),
      headNoun: /^head noun\b/i.test(note),
      line: r.line,
    };
  });
  if (entries.length === 0) throw new Error(`${file}: no abbreviations`);
  return { file, entries };
}

let defaultTable: AbbreviationTable | null = null;

/** data/abbreviations.tsv, read and checked once. */
export function defaultAbbreviations(): AbbreviationTable {
  return (defaultTable ??= loadAbbreviations());
}

interface CompiledTable {
  byShort: Map<string, Abbreviation>;
  /** Each distinct long form (lower case): a whole-word pattern and its short forms. */
  longs: { pattern: RegExp; shorts: Abbreviation[] }[];
}

const compiled = new WeakMap<AbbreviationTable, CompiledTable>();

function compile(table: AbbreviationTable): CompiledTable {
  let c = compiled.get(table);
  if (c) return c;
  const byShort = new Map<string, Abbreviation>();
  const byLong = new Map<string, Abbreviation[]>();
  for (const e of table.entries) {
    byShort.set(e.short.toLowerCase(), e);
    const k = e.long.toLowerCase();
    byLong.set(k, [...(byLong.get(k) ?? []), e]);
  }
  const longs = [...byLong].map(([long, shorts]) => {
    const words = long.split(" ").map(escapeRegExp).join("\\s+");
    return { pattern: new RegExp(`(?<![\\p{L}\\p{N}'’-])${words}(?![\\p{L}\\p{N}'’-])`, "giu"), shorts };
  });
  c = { byShort, longs };
  compiled.set(table, c);
  return c;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
}

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------------------------

/** Words that stay lower case inside a title. */
const CONNECTORS = new Set(["and", "of", "the", "for", "to", "in", "at", "on", "or", "with", "a", "an"]);
/** Grades after a word ("Tech II", "Manager 2", "Level 3"). */
const GRADE = /^(?:[IVX]{1,4}|[0-9]{1,2}|l[0-9]|lvl|level|grade)$/i;
/** After these, a head-noun abbreviation names a field ("VP Eng", "Head of Tech", "Director of Admin"). */
const LEADER_PREV = new Set(["of", "vp", "svp", "evp", "avp", "director", "dir", "head", "chief", "president"]);

const isLower = (s: string): boolean => s === s.toLowerCase();
const hasLower = (s: string): boolean => /\p{Ll}/u.test(s);
const hasUpper = (s: string): boolean => /\p{Lu}/u.test(s);
/**
 * A title written in capitals ("SR SOFTWARE ENGINEER"), not one made only of acronyms ("ICU RN"): no lower-case
 * letter and a word of four or more letters.
 */
const shouting = (title: string): boolean => !hasLower(title) && /\p{Lu}{4,}/u.test(title);

/** A replacement in the case of the text it replaces: "sr" -> "senior", "SR" in an all-caps title -> "SENIOR". */
function casedLike(matched: string, title: string, replacement: string): string {
  if (!hasUpper(matched)) return replacement.toLowerCase();
  if (shouting(title) && !hasLower(matched)) return replacement.toUpperCase();
  return replacement;
}

/** "registered nurse" -> "Registered Nurse"; connectors stay lower case. */
function titleCase(s: string): string {
  return s
    .split(" ")
    .map((w, i) => (i > 0 && CONNECTORS.has(w.toLowerCase()) ? w.toLowerCase() : w.replace(/(^|-)(\p{L})/gu, (_m, d: string, ch: string) => d + ch.toUpperCase())))
    .join(" ");
}

// ---------------------------------------------------------------------------------------------------------------
// Abbreviations, both ways
// ---------------------------------------------------------------------------------------------------------------

interface Candidate {
  start: number;
  end: number;
  /** Replacements to choose from: one long form, or the short forms of a long one. */
  options: string[];
  /** Short forms that are not acronyms: written with a dot half the time ("Sr." beside "Sr"). */
  dot: boolean;
}

/**
 * One abbreviation applied, chosen at random among all that apply: a long form replaced by one of its short forms
 * (sometimes with a dot: "Sr."), or a short form (with or without its dot) spelled out. Null when none applies.
 */
export function abbreviate(title: string, rng: Rng, table: AbbreviationTable = defaultAbbreviations()): string | null {
  const candidates = [...shortToLong(title, table), ...longToShort(title, table)];
  if (candidates.length === 0) return null;
  const c = rng.pick(candidates);
  let rep = rng.pick(c.options);
  const next = title.slice(c.end, c.end + 1);
  if (c.dot && (next === "" || /\s/.test(next)) && rng.next() < 0.5) rep += ".";
  const out = title.slice(0, c.start) + rep + title.slice(c.end);
  return out === title ? null : out;
}

/** Short forms in the title, as whole tokens, spelled out. */
function shortToLong(title: string, table: AbbreviationTable): Candidate[] {
  const { byShort } = compile(table);
  const toks: { start: number; end: number; word: string; dot: boolean }[] = [];
  const re = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(title))) {
    const start = m.index;
    const end = start + m[0].length;
    // A dot that ends the token ("Sr. Engineer", "Mgr."), not one inside a name (".NET", "Sr.Eng").
    const dot = title[end] === "." && !/[\p{L}\p{N}]/u.test(title[end + 1] ?? "");
    toks.push({ start, end, word: m[0], dot });
  }
  const allLower = !hasUpper(title);
  const out: Candidate[] = [];
  toks.forEach((t, i) => {
    const e = byShort.get(t.word.toLowerCase());
    if (!e) return;
    const before = title.slice(Math.max(0, t.start - 2), t.start);
    const after = title.slice(t.end, t.end + 2);
    // Glued to another word: "Co-Dir", ".NET", "C#", "Sr.Eng", "@tech".
    if (/[\p{L}\p{N}]-$|[.+#@'’]$/u.test(before) || /^-[\p{L}\p{N}]|^[+#]|^\.[\p{L}\p{N}]/u.test(after)) return;
    if (e.acronym && !(t.word === t.word.toUpperCase() || (allLower && isLower(t.word)))) return;
    const end = t.end + (t.dot ? 1 : 0);
    if (e.headNoun) {
      const prev = i > 0 && /^\s+$/.test(title.slice(toks[i - 1].end, t.start)) ? toks[i - 1].word.toLowerCase() : undefined;
      const next = i + 1 < toks.length && /^\s+$/.test(title.slice(end, toks[i + 1].start)) ? toks[i + 1].word : undefined;
      if ((next !== undefined && !GRADE.test(next)) || (prev !== undefined && LEADER_PREV.has(prev))) return;
    }
    let long: string;
    if (isLower(t.word)) long = e.long.toLowerCase();
    else if (shouting(title)) long = e.long.toUpperCase();
    else long = titleCase(e.long);
    out.push({ start: t.start, end, options: [long], dot: false });
  });
  return out;
}

/** Long forms in the title, as whole words, abbreviated. */
function longToShort(title: string, table: AbbreviationTable): Candidate[] {
  const out: Candidate[] = [];
  for (const { pattern, shorts } of compile(table).longs) {
    pattern.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = pattern.exec(title))) {
      const matched = m[0];
      const options = shorts.map((e) => casedLike(matched, title, e.short));
      out.push({ start: m.index, end: m.index + matched.length, options, dot: shorts.every((e) => !e.acronym) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Word order
// ---------------------------------------------------------------------------------------------------------------

type Form = "suffix" | "comma" | "of";

/** Head nouns (lower case, by words) and the order each takes from each form. */
const HEAD_CLASSES: { heads: string[]; next: Record<Form, Form[]> }[] = [
  // "Sales Manager" <-> "Manager, Sales"; "Manager of Sales" -> "Sales Manager".
  { heads: ["manager", "managers", "mgr", "mngr", "supervisor", "supervisors", "supv", "supvr"], next: { suffix: ["comma", "of"], comma: ["suffix"], of: ["suffix"] } },
  // "Marketing Director" <-> "Director of Marketing"; "Director, Marketing" -> "Marketing Director".
  { heads: ["director", "directors", "dir", "head"], next: { suffix: ["of", "comma"], of: ["suffix"], comma: ["suffix"] } },
  // "Vice President of Sales" <-> "Vice President, Sales"; "Sales Vice President" -> "Vice President of Sales".
  { heads: ["vice president", "vp", "svp", "evp", "avp"], next: { suffix: ["of", "comma"], of: ["comma", "suffix"], comma: ["of", "suffix"] } },
];
const HEADS = new Map<string, Record<Form, Form[]>>(HEAD_CLASSES.flatMap((c) => c.heads.map((h) => [h, c.next] as [string, Record<Form, Form[]>])));
/** Level words that stay in front of the head whatever the order ("Senior Manager, Sales"). */
const LEVEL_WORDS = new Set(
  "senior sr snr junior jr jnr assistant asst associate assoc deputy interim acting principal executive exec general managing lead chief group global regional area district".split(" "),
);
/** Words that make the words before a head more than a field ("Manager of Sales for Europe"). */
const NOT_FIELD = new Set(["of", "for", "to", "at", "in", "with", "the", "on", "from", "by", "except", "all", "other"]);

/** Word endings of adjectives that read as part of the job before a head ("Creative Director", "Legal Manager"). */
const ADJECTIVE = /(?:ive|ical|ial|ous|ful|ntal|onal|ital|gal|eral|rnal)$/;

/** Lower case, no trailing dot or comma: how a word is compared with the lists. */
const key = (w: string): string => w.toLowerCase().replace(/[.,]+$/, "");

/**
 * The same job in another word order: "Sales Manager" -> "Manager, Sales" and back, "Marketing Director" <->
 * "Director of Marketing", "Vice President of Sales" <-> "Vice President, Sales". Null when not applicable.
 */
export function reorder(title: string): string | null {
  const trimmed = title.trim();
  // The tail: a remark after a separator, a bracket, or a trailing grade, kept as it is.
  const sep = /\s+[-–—|@]\s+|\s*[([]|\s+at\s+/.exec(trimmed);
  let core = sep ? trimmed.slice(0, sep.index) : trimmed;
  let tail = sep ? trimmed.slice(sep.index) : "";
  const grade = /(\s+(?:[IVX]{1,4}|[0-9]{1,2}|Level\s+[0-9]+))+$/.exec(core);
  if (grade && grade.index > 0) {
    tail = core.slice(grade.index) + tail;
    core = core.slice(0, grade.index);
  }
  // "Manager, Sales, Boston": the first comma part and the second; what follows stays as it is.
  const parts = core.split(/\s*,\s*/);
  const allCaps = !hasLower(trimmed) && hasUpper(trimmed);
  const of = allCaps ? "OF" : "of";

  const render = (mods: string[], head: string[], field: string[], form: Form, rest: string): string => {
    let s: string;
    if (form === "suffix") s = [...mods, ...field, ...head].join(" ");
    else if (form === "comma") s = [...mods, ...head].join(" ") + ", " + field.join(" ");
    else s = [...mods, ...head, of, ...field].join(" ");
    return s + rest + tail;
  };
  const choose = (next: Record<Form, Form[]>, from: Form, rest: string): Form | null => {
    // A comma form inside a title that goes on with commas would read as two remarks.
    const ok = next[from].filter((f) => !(f === "comma" && rest.includes(",")));
    return ok.length ? ok[0] : null;
  };

  // "Manager, Sales[, rest]": the first part is level words and a head.
  if (parts.length >= 2) {
    const left = parts[0].split(/\s+/);
    const split = splitHead(left);
    if (split && split.before.every((w) => LEVEL_WORDS.has(key(w)))) {
      const field = parts[1].split(/\s+/).filter(Boolean);
      const rest = parts.slice(2).map((p) => ", " + p).join("");
      if (isField(field)) {
        const form = choose(split.next, "comma", rest);
        if (form) return done(render(split.before, split.head, field, form, rest), title);
      }
    }
  }
  const first = parts[0].split(/\s+/).filter(Boolean);
  const rest = parts.slice(1).map((p) => ", " + p).join("");
  // "[Senior] Director of Marketing".
  const ofAt = first.findIndex((w) => key(w) === "of");
  if (ofAt > 0) {
    const split = splitHead(first.slice(0, ofAt));
    if (split && split.before.every((w) => LEVEL_WORDS.has(key(w)))) {
      let field = first.slice(ofAt + 1);
      if (field.length > 1 && key(field[0]) === "the") field = field.slice(1);
      if (!isField(field)) return null;
      const form = choose(split.next, "of", rest);
      return form ? done(render(split.before, split.head, field, form, rest), title) : null;
    }
    return null;
  }
  // "[Senior] Sales Manager".
  const split = splitHead(first);
  if (!split) return null;
  let m = 0;
  while (m < split.before.length && LEVEL_WORDS.has(key(split.before[m]))) m++;
  const mods = split.before.slice(0, m);
  const field = split.before.slice(m);
  // "Medical Director", "Technical Manager": an adjective is not a field ("Director of Medical").
  if (!isField(field) || ADJECTIVE.test(key(field[field.length - 1]))) return null;
  const form = choose(split.next, "suffix", rest);
  return form ? done(render(mods, split.head, field, form, rest), title) : null;
}

function done(out: string, title: string): string | null {
  return out === title || out.trim() === "" ? null : out;
}

/** Splits words into what comes before a head noun at their end, and the head. */
function splitHead(words: string[]): { before: string[]; head: string[]; next: Record<Form, Form[]> } | null {
  for (const n of [2, 1]) {
    if (words.length < n) continue;
    const head = words.slice(words.length - n);
    const next = HEADS.get(head.map(key).join(" "));
    if (next) return { before: words.slice(0, words.length - n), head, next };
  }
  return null;
}

/** Two-letter fields that are not a state or country code ("Manager, IT"). */
const FIELD_ACRONYMS = new Set(["it", "hr", "qa", "qc", "pr", "bd", "ux", "ui", "ai", "ml", "bi"]);

/** A field a head can take: some words, not a place or a schedule, not a phrase with its own prepositions. */
function isField(field: string[]): boolean {
  if (field.length === 0 || field.length > 6) return false;
  if (!field.every((w) => (w === "&" || /[\p{L}\p{N}]/u.test(w)) && !/[/()[\]|@]/.test(w))) return false;
  const keys = field.map(key);
  if (keys.some((k) => NOT_FIELD.has(k))) return false;
  if (keys.every((k) => LEVEL_WORDS.has(k) || GRADE.test(k))) return false;
  const phrase = keys.join(" ");
  if (PLACE_WORDS.has(phrase) || SCHEDULE_WORDS.has(phrase)) return false;
  return !(/^[a-z]{2}$/.test(phrase) && !FIELD_ACRONYMS.has(phrase));
}

// ---------------------------------------------------------------------------------------------------------------
// Typos
// ---------------------------------------------------------------------------------------------------------------

/** Neighbouring keys on a QWERTY keyboard. */
const KEYBOARD: Record<string, string> = {
  a: "qwsz", b: "vghn", c: "xdfv", d: "serfcx", e: "wsdr", f: "drtgvc", g: "ftyhbv", h: "gyujnb", i: "ujko",
  j: "huikmn", k: "jiolm", l: "kop", m: "njk", n: "bhjm", o: "iklp", p: "ol", q: "wa", r: "edft", s: "awedxz",
  t: "rfgy", u: "yhji", v: "cfgb", w: "qase", x: "zsdc", y: "tghu", z: "asx",
};

type Edit = "substitute" | "delete" | "double" | "transpose";

/** Where an edit may go: not a word's first letter; a transposition also needs a different next letter. */
interface Slot {
  pos: number;
  edits: Edit[];
}

function slots(title: string): Slot[] {
  const out: Slot[] = [];
  for (const m of title.matchAll(/\p{L}+/gu)) {
    const w = m[0];
    if ([...w].length !== w.length || w.length < 4) continue; // letters outside the BMP: left alone
    const at = m.index ?? 0;
    for (let i = 1; i < w.length; i++) {
      const edits: Edit[] = ["delete", "double"];
      if (KEYBOARD[w[i].toLowerCase()]) edits.push("substitute");
      if (i + 1 < w.length && w[i].toLowerCase() !== w[i + 1].toLowerCase()) edits.push("transpose");
      out.push({ pos: at + i, edits });
    }
  }
  return out;
}

function applyEdit(s: string, pos: number, edit: Edit, rng: Rng): string {
  const ch = s[pos];
  switch (edit) {
    case "delete":
      return s.slice(0, pos) + s.slice(pos + 1);
    case "double":
      return s.slice(0, pos + 1) + ch + s.slice(pos + 1);
    case "transpose":
      return s.slice(0, pos) + s[pos + 1] + ch + s.slice(pos + 2);
    case "substitute": {
      const sub = rng.pick([...KEYBOARD[ch.toLowerCase()]]);
      return s.slice(0, pos) + (ch === ch.toLowerCase() ? sub : sub.toUpperCase()) + s.slice(pos + 1);
    }
  }
}

/**
 * One or two character edits inside words of four or more letters, never a word's first letter; the result always
 * differs from the title and is within `edits` edits of it. Null when no word has four letters.
 */
export function typo(title: string, rng: Rng, edits: 1 | 2 = 1): string | null {
  const all = slots(title);
  if (all.length === 0) return null;
  const first = rng.pick(all);
  const e1 = rng.pick(first.edits);
  const chosen: [Slot, Edit][] = [[first, e1]];
  if (edits === 2) {
    // Far enough apart that neither edit touches the other's letters (a transposition spans two).
    const far = all.filter((s) => Math.abs(s.pos - first.pos) >= 3);
    if (far.length) {
      const second = rng.pick(far);
      chosen.push([second, rng.pick(second.edits)]);
    }
  }
  // Right to left, so that an edit does not move the other's position.
  chosen.sort((a, b) => b[0].pos - a[0].pos);
  let out = title;
  for (const [s, e] of chosen) out = applyEdit(out, s.pos, e, rng);
  // Two edits can undo each other ("Maaaaager": a letter deleted here, doubled there); one never does.
  if (out === title) out = applyEdit(title, first.pos, e1 === "delete" ? "double" : "delete", rng);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Noise that does not change the job
// ---------------------------------------------------------------------------------------------------------------

export const NOISE_KINDS = ["location", "shift", "schedule", "employer", "level", "parentheses"] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

const CITIES: readonly [string, string][] = [
  ["Boston", "MA"], ["Chicago", "IL"], ["Austin", "TX"], ["Houston", "TX"], ["Seattle", "WA"], ["Denver", "CO"],
  ["Atlanta", "GA"], ["Phoenix", "AZ"], ["Miami", "FL"], ["San Diego", "CA"], ["New York", "NY"], ["Nashville", "TN"],
  ["Portland", "OR"], ["Columbus", "OH"], ["Minneapolis", "MN"], ["London", "UK"], ["Manchester", "UK"],
  ["Toronto", "ON"], ["Dublin", "Ireland"], ["Sydney", "NSW"], ["Berlin", "Germany"],
];
const COMPANIES: readonly string[] = [
  "Acme Corp", "Walmart", "Deloitte", "Amazon", "Globex", "Initech", "Kaiser Permanente", "Starbucks", "Target",
  "Accenture", "Hooli", "Umbrella Health", "Wayne Enterprises", "Stark Industries", "Home Depot", "Marriott", "FedEx",
  "Costco", "Northwind Traders", "Contoso Ltd", "Acme Inc.",
];
const SHIFTS: readonly string[] = ["Night Shift", "Day Shift", "Evening Shift", "Weekend", "Weekends", "Nights", "2nd Shift", "3rd Shift", "Overnight", "Swing Shift"];
const SCHEDULES: readonly string[] = ["Part-Time", "Part Time", "Full Time", "Full-Time", "Remote", "Hybrid", "Per Diem", "PRN", "Contract", "Temporary", "Seasonal"];
const LEVEL_NUMERALS: readonly string[] = ["I", "II", "III", "IV", "1", "2", "3"];

const PLACE_WORDS = new Set([...CITIES.map(([c]) => c.toLowerCase()), "remote", "onsite", "hybrid", "uk", "usa", "us", "emea", "apac"]);
const SCHEDULE_WORDS = new Set([...SCHEDULES, ...SHIFTS].map((s) => s.toLowerCase()));

/** A title's last " - X" or " | X" remark, split off: ["Registered Nurse", "Night Shift"]. */
function trailingRemark(title: string): [string, string] | null {
  const seps = [...title.matchAll(/\s+[-–|]\s+/g)];
  if (seps.length === 0) return null;
  const last = seps[seps.length - 1];
  const head = title.slice(0, last.index);
  const remark = title.slice((last.index ?? 0) + last[0].length).trim();
  if (!/\p{L}/u.test(head) || !/[\p{L}\p{N}]/u.test(remark) || /[()[\]]/.test(remark)) return null;
  return [head, remark];
}

function pickPlace(rng: Rng, title: string): string {
  const [city, region] = rng.pick(CITIES);
  return rng.pick([`${title} - ${city}, ${region}`, `${title} (${city})`, `${title} in ${city}`, `${title}, ${city}`, `${title} - ${city}`]);
}

function withNoise(title: string, kind: NoiseKind, rng: Rng, table: AbbreviationTable): string | null {
  switch (kind) {
    case "location":
      return pickPlace(rng, title);
    case "shift": {
      const s = rng.pick(SHIFTS);
      // "RN Night Shift", but not glued to a remark the title already has ("Nurse - Boston Night Shift").
      const bare = trailingRemark(title) ? [] : [`${title} ${s}`];
      return rng.pick([`${title} - ${s}`, ...bare, `${title} (${s})`, `${s} ${title}`]);
    }
    case "schedule": {
      const s = rng.pick(SCHEDULES);
      return rng.pick([`${s} ${title}`, `${title} - ${s}`, `${title} (${s})`]);
    }
    case "employer": {
      const c = rng.pick(COMPANIES);
      return rng.pick([`${title} at ${c}`, `${title} @ ${c}`, `${title} | ${c}`, `${title} - ${c}`]);
    }
    case "level": {
      const last = title.trim().split(/\s+/).pop() ?? "";
      if (GRADE.test(last.replace(/[.,)]+$/, "")) || !/\p{L}/u.test(title)) return null;
      return `${title} ${rng.pick(LEVEL_NUMERALS)}`;
    }
    case "parentheses": {
      const remark = trailingRemark(title);
      if (remark) return `${remark[0]} (${remark[1]})`;
      const acronym = trailingAcronym(title, table);
      if (acronym) return `${title} (${acronym})`;
      const inner = rng.pick<() => string>([
        () => rng.pick(CITIES)[0],
        () => rng.pick(SHIFTS),
        () => rng.pick(SCHEDULES),
      ])();
      return `${title} (${inner})`;
    }
  }
}

/** The acronym of the title's last words ("Registered Nurse" -> "RN"), when the table has one. */
function trailingAcronym(title: string, table: AbbreviationTable): string | null {
  const lower = title.toLowerCase().replace(/\s+/g, " ").trim();
  const found = compile(table)
    .longs.flatMap((l) => l.shorts)
    .filter((e) => e.acronym && e.long.includes(" ") && (lower === e.long.toLowerCase() || lower.endsWith(" " + e.long.toLowerCase())));
  // The longest long form: "Chief Executive Officer" rather than a shorter tail.
  found.sort((a, b) => b.long.length - a.long.length);
  return found.length ? found[0].short : null;
}

export interface NoiseOptions {
  /** One kind of noise; null is returned when it does not apply. By default a kind that applies, at random. */
  kind?: NoiseKind;
  table?: AbbreviationTable;
}

/**
 * The title with one remark that does not change the job (a place, shift, schedule, employer, level numeral, or
 * parentheses); the title's own words stay, in order. Null for a title with no letter or digit.
 */
export function addNoise(title: string, rng: Rng, opts: NoiseOptions = {}): string | null {
  if (!/[\p{L}\p{N}]/u.test(title)) return null;
  const t = title.trim();
  const table = opts.table ?? defaultAbbreviations();
  if (opts.kind) return withNoise(t, opts.kind, rng, table);
  const kinds = rng.shuffle([...NOISE_KINDS]);
  for (const k of kinds) {
    const out = withNoise(t, k, rng, table);
    if (out !== null && out !== title) return out;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// All together
// ---------------------------------------------------------------------------------------------------------------

/** The transformations, in the order augmentTitle applies them. */
export const AUGMENTATIONS = ["abbreviation", "word-order", "noise", "typo"] as const;
export type Augmentation = (typeof AUGMENTATIONS)[number];

/** Each transformation's probability, in [0, 1]. */
export interface AugmentRates {
  abbreviation: number;
  wordOrder: number;
  typo: number;
  noise: number;
}

/** Starting points, to be chosen on dev (the run records the rates it used). */
export const DEFAULT_AUGMENT_RATES: Readonly<AugmentRates> = Object.freeze({
  abbreviation: 0.5,
  wordOrder: 0.3,
  typo: 0.2,
  noise: 0.4,
});

export interface AugmentedTitle {
  title: string;
  /** The transformations that changed it, in the order applied; empty when the title is unchanged. */
  applied: Augmentation[];
}

/**
 * Applies each transformation with its rate, in a fixed order (abbreviation, word order, noise, typo last),
 * skipping those that do not apply to the title as it stands; a typo makes one edit, or two one time in four.
 */
export function augmentTitle(
  title: string,
  rng: Rng,
  rates: AugmentRates = DEFAULT_AUGMENT_RATES,
  table: AbbreviationTable = defaultAbbreviations(),
): AugmentedTitle {
  for (const name of ["abbreviation", "wordOrder", "noise", "typo"] as const) {
    const r = rates[name];
    if (typeof r !== "number" || !(r >= 0 && r <= 1)) throw new Error(`augmentTitle: rate ${name} must be in [0, 1], got ${String(r)}`);
  }
  const steps: [Augmentation, number, (t: string) => string | null][] = [
    ["abbreviation", rates.abbreviation, (t) => abbreviate(t, rng, table)],
    ["word-order", rates.wordOrder, (t) => reorder(t)],
    ["noise", rates.noise, (t) => addNoise(t, rng, { table })],
    ["typo", rates.typo, (t) => typo(t, rng, rng.next() < 0.25 ? 2 : 1)],
  ];
  let out = title;
  const applied: Augmentation[] = [];
  for (const [name, rate, f] of steps) {
    if (!(rng.next() < rate)) continue;
    const next = f(out);
    if (next === null || next === out || next.trim() === "") continue;
    out = next;
    applied.push(name);
  }
  return applied.length ? { title: out, applied } : { title, applied: [] };
}
