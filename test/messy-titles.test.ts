import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { CATEGORY_TYPES, OTHER } from "../src/core/types";
import { loadMessyTitles, MESSY_KINDS, MESSY_TITLES_FILE, messyGold } from "../src/datasets/messy";
import { INDUSTRIES, LEVELS, ROLES } from "../src/taxonomy/classes";

describe("the committed messy-titles set", () => {
  const items = loadMessyTitles();

  it("loads with at least 150 rows, every kind present", () => {
    expect(items.length).toBeGreaterThanOrEqual(150);
    const kinds = new Set(items.map((i) => i.kind));
    for (const k of MESSY_KINDS) expect(kinds.has(k), k).toBe(true);
  });

  it("covers every role and industry class (except Other) at least twice", () => {
    for (const [type, classes] of [
      ["role", ROLES],
      ["industry", INDUSTRIES],
    ] as const) {
      const gold = messyGold(items, type);
      for (const c of classes) {
        if (c === OTHER) continue;
        expect(gold.filter((g) => g === c).length, `${type} ${c}`).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it("names only real classes", () => {
    for (const it of items) {
      expect(ROLES as readonly string[]).toContain(it.role);
      expect(LEVELS as readonly string[]).toContain(it.level);
      expect(INDUSTRIES as readonly string[]).toContain(it.industry);
    }
  });

  it("expects Other for every type on non-title and non-english rows", () => {
    const unreadable = items.filter((i) => i.kind === "non-title" || i.kind === "non-english");
    expect(unreadable.length).toBeGreaterThan(0);
    for (const it of unreadable) {
      for (const t of CATEGORY_TYPES) expect(it[t], `${it.title} (${t})`).toBe(OTHER);
    }
  });

  it("messyGold returns the labels of a type in order", () => {
    expect(messyGold(items, "level")).toEqual(items.map((i) => i.level));
    expect(messyGold(items, "role")).toHaveLength(items.length);
  });

  it("the file is UTF-8 text ending with a newline, no tabs inside cells", () => {
    const text = fs.readFileSync(MESSY_TITLES_FILE, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(text.includes("\r")).toBe(false);
    for (const line of text.trimEnd().split("\n")) expect(line.split("\t")).toHaveLength(6);
  });
});

describe("loadMessyTitles rejects bad rows", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jtlab-messy-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const header = "title\trole\tlevel\tindustry\tkind\tnote";
  const good = "Sr. SWE\tEngineering\tSpecialist, Professional, Analyst\tInformation Technology\tabbreviation\tsenior software engineer";
  let n = 0;
  const write = (...rows: string[]): string => {
    const file = path.join(dir, `case-${n++}.tsv`);
    fs.writeFileSync(file, [header, ...rows].join("\n") + "\n");
    return file;
  };

  it("accepts a good file, with Other for all three types", () => {
    const file = write(good, "asdfgh\tOther\tOther\tOther\tnon-title\tkeyboard mash");
    const items = loadMessyTitles(file);
    expect(items).toHaveLength(2);
    expect(items[1]).toMatchObject({ role: "Other", level: "Other", industry: "Other" });
  });

  it("an unknown class, naming file:line", () => {
    const file = write(good, "Barista\tBarista Work\tSpecialist, Professional, Analyst\tConsumer Services & Leisure\tcompany\tx");
    expect(() => loadMessyTitles(file)).toThrow(`${file}:3`);
    expect(() => loadMessyTitles(file)).toThrow(/Functional Role class "Barista Work"/);
    const badLevel = write("Barista\tOther Operations\tSenior\tConsumer Services & Leisure\tcompany\tx");
    expect(() => loadMessyTitles(badLevel)).toThrow(`${badLevel}:2`);
    const badIndustry = write("Barista\tOther Operations\tOther\tCoffee\tcompany\tx");
    expect(() => loadMessyTitles(badIndustry)).toThrow(/Professional Industry class "Coffee"/);
  });

  it("an unknown kind, naming file:line", () => {
    const file = write(good, "Barista\tOther\tOther\tOther\tslang\tx");
    expect(() => loadMessyTitles(file)).toThrow(`${file}:3: unknown kind "slang"`);
  });

  it("an empty title or an empty note, naming file:line", () => {
    const noTitle = write(good, "  \tOther\tOther\tOther\tnon-title\tblank");
    expect(() => loadMessyTitles(noTitle)).toThrow(`${noTitle}:3: empty title`);
    const noNote = write(good, "xyz\tOther\tOther\tOther\tnon-title\t ");
    expect(() => loadMessyTitles(noNote)).toThrow(`${noNote}:3: empty note`);
  });

  it("a duplicate title (ignoring case and spacing), naming file:line", () => {
    const file = write(good, "asdfgh\tOther\tOther\tOther\tnon-title\tmash", "sr.  swe\tEngineering\tOther\tOther\ttypo\tagain");
    expect(() => loadMessyTitles(file)).toThrow(`${file}:4: duplicate title`);
  });
});
