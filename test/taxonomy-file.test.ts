// Taxonomy files (src/taxonomy/taxonomy-file.ts): every error and warning names the file and the line to fix, the
// three formats read the same, TSV round-trips, and the shipped types read cleanly.
import fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/data/paths";
import {
  exampleKey,
  parseTaxonomyText,
  readTaxonomy,
  Taxonomy,
  TaxonomyError,
  taxonomyFromRepresentatives,
  TaxonomyFormat,
  writeTaxonomyTsv,
} from "../src/taxonomy/taxonomy-file";

const root = projectRoot();
const fixtures = path.join(root, "test", "fixtures", "taxonomy");

/** What a taxonomy means, without where it was read from. */
function content(t: Taxonomy): { name: string; classes: [string, [string, number][]][] } {
  return { name: t.name, classes: [...t.classes].map(([c, xs]) => [c, xs.map((x) => [x.title, x.weight] as [string, number])]) };
}

/** The error a text raises, so that its exact message can be asserted. */
function errorOf(text: string, file: string, format: TaxonomyFormat = "tsv"): TaxonomyError {
  try {
    parseTaxonomyText(text, file, format);
  } catch (e) {
    expect(e).toBeInstanceOf(TaxonomyError);
    return e as TaxonomyError;
  }
  throw new Error(`${file} parsed without an error`);
}

const tsv = (...lines: string[]): string => lines.join("\n") + "\n";

describe("TSV taxonomy errors name the file and the line", () => {
  it("an unknown column, with a suggestion and the known columns", () => {
    const e = errorOf(tsv("class\texmaple"), "t.tsv");
    expect(e.message).toBe('t.tsv:1: unknown column "exmaple" (did you mean "example"?); the columns are class, example, weight, kind, by, at, why');
    expect([e.file, e.line]).toEqual(["t.tsv", 1]);
    expect(() => readTaxonomy(path.join(fixtures, "bad-column.tsv"))).toThrow(
      `${path.join(fixtures, "bad-column.tsv")}:1: unknown column "label"; the columns are class, example, weight, kind, by, at, why`,
    );
    // The header is the first line that is neither blank nor a comment.
    expect(errorOf(tsv("# name: X", "", "# why", "class\texample\tscore"), "t.tsv").message).toMatch(/^t\.tsv:4: unknown column "score"/);
  });

  it("a missing class or example column, a column twice", () => {
    expect(errorOf(tsv("example\tweight", "CEO\t1"), "t.tsv").message).toBe('t.tsv:1: the header has no "class" column (the columns are class, example, weight, kind, by, at, why)');
    expect(errorOf(tsv("class", "Top"), "t.tsv").message).toBe('t.tsv:1: the header has no "example" column (the columns are class, example, weight, kind, by, at, why)');
    expect(errorOf(tsv("class\texample\tclass"), "t.tsv").message).toBe('t.tsv:1: the column "class" appears twice');
  });

  it("an empty class cell", () => {
    const e = errorOf(tsv("class\texample", "Top\tCEO", "", " \tFounder"), "t.tsv");
    expect(e.message).toBe("t.tsv:4: the class is empty");
    expect(e.line).toBe(4);
  });

  it("an empty example, and a row short of its example cell", () => {
    expect(errorOf(tsv("class\texample", "Top\tCEO", "Top\t  "), "t.tsv").message).toBe('t.tsv:3: an example of "Top" is empty');
    expect(errorOf(tsv("class\texample", "Top"), "t.tsv").message).toBe('t.tsv:2: an example of "Top" is empty');
  });

  it("a bad weight", () => {
    for (const w of ["abc", "0", "-1", "Infinity", "1,5", "0x10", "NaN"]) {
      expect(errorOf(tsv("class\texample\tweight", "Top\tCEO\t2", `Top\tFounder\t${w}`), "t.tsv").message).toBe(`t.tsv:3: the weight "${w}" is not a positive number`);
    }
  });

  it("the same example in two classes names both lines (case and spacing do not make it another example)", () => {
    const e = errorOf(tsv("class\texample", "Top\tChief  Executive Officer", "Bottom\tIntern", "Bottom\tchief executive officer "), "t.tsv");
    expect(e.message).toBe('t.tsv:4: "chief executive officer" is an example of both "Top" (line 2) and "Bottom" (line 4); an example must belong to one class');
    expect(e.line).toBe(4);
  });

  it("a file with no classes, no header, or a value past the header's columns", () => {
    expect(errorOf(tsv("# name: Empty", "class\texample", ""), "t.tsv").message).toBe("t.tsv: defines no classes");
    expect(errorOf("", "t.tsv").message).toBe("t.tsv: has no header row (expected the columns class, example and optionally weight, kind, by, at, why)");
    expect(errorOf(tsv("# only a comment"), "t.tsv").message).toMatch(/^t\.tsv: has no header row/);
    expect(errorOf(tsv("class\texample", "Top\tCEO\t2"), "t.tsv").message).toBe("t.tsv:2: 3 cells, but the header has 2 columns");
    // Trailing empty cells, as spreadsheets write them, are not values.
    expect(content(parseTaxonomyText(tsv("class\texample", "Top\tCEO\t\t"), "t.tsv", "tsv")).classes).toEqual([["Top", [["CEO", 1]]]]);
  });

  it("a name line that names nothing, or a second one", () => {
    expect(errorOf(tsv("# name:  ", "class\texample", "Top\tCEO"), "t.tsv").message).toBe('t.tsv:1: "# name:" gives no name');
    expect(errorOf(tsv("# name: A", "# name: B", "class\texample", "Top\tCEO"), "t.tsv").message).toBe('t.tsv:2: a second "# name:" line (the first is line 1)');
  });

  it("a file that cannot be read, or has another extension", () => {
    const missing = path.join(fixtures, "no-such.tsv");
    expect(() => readTaxonomy(missing)).toThrow(`${missing}: cannot be read (ENOENT)`);
    expect(() => readTaxonomy("types.csv")).toThrow("types.csv: is not a taxonomy file: expected the extension .tsv, .json, .yaml or .yml");
  });
});

describe("TSV taxonomy warnings name the file and the line", () => {
  it("the same example twice in one class is kept once", () => {
    const t = parseTaxonomyText(tsv("class\texample\tweight", "Top\tCEO\t2", "Top\tFounder\t", "Top\tceo\t3"), "t.tsv", "tsv");
    expect(content(t).classes).toEqual([["Top", [["CEO", 2], ["Founder", 1]]]]);
    expect(t.warnings).toEqual(['t.tsv:4: "ceo" is already an example of "Top" (line 2); kept once (its weight 2 is kept, not 3)']);
    const same = parseTaxonomyText(tsv("class\texample", "Top\tCEO", "Top\tCEO"), "t.tsv", "tsv");
    expect(same.warnings).toEqual(['t.tsv:3: "CEO" is already an example of "Top" (line 2); kept once']);
  });

  it("an example the model cannot encode is kept, with the model's reason", () => {
    const encodable = (title: string): string | null => (/[a-z]/i.test(title) ? null : "no character the model's alphabet knows");
    const t = parseTaxonomyText(tsv("class\texample", "Top\tCEO", "Top\t总经理", "Bottom\tIntern"), "t.tsv", "tsv", { encodable });
    expect(t.warnings).toEqual(['t.tsv:3: the model cannot encode "总经理": no character the model\'s alphabet knows']);
    expect(t.classes.get("Top")!.map((x) => x.title)).toEqual(["CEO", "总经理"]);
  });
});

describe("JSON and YAML taxonomy errors name the line too", () => {
  it("malformed JSON and YAML", () => {
    expect(errorOf('{\n  "classes": {\n    "Top": ["CEO"]\n    "Bottom": ["Intern"]\n  }\n}\n', "t.json", "json").message).toMatch(/^t\.json:4: is not valid JSON: /);
    expect(errorOf('{\n  "classes": {\n    "Top": ["CEO"\n', "t.json", "json").message).toMatch(/^t\.json:3: is not valid JSON: /);
    // Node 20 gives these no position; the line is found all the same.
    expect(errorOf('{"classes": {\n  "Top": ["CEO",\n  ]\n}}\n', "t.json", "json").message).toMatch(/^t\.json:3: is not valid JSON: Unexpected token ']'/);
    expect(errorOf('{"classes": {\n  "Top": [CEO]\n}}\n', "t.json", "json").message).toMatch(/^t\.json:2: is not valid JSON: Unexpected token 'C'/);
    expect(errorOf("", "t.json", "json").message).toBe("t.json:1: is not valid JSON: Unexpected end of JSON input");
    expect(errorOf("classes:\n  Top:\n    - CEO\n   - Founder\n", "t.yaml", "yaml").message).toMatch(/^t\.yaml:4: is not valid YAML: /);
    expect(errorOf("classes:\n  Top: [CEO, Founder\n  Bottom: [Intern]\n", "t.yaml", "yaml").message).toMatch(/^t\.yaml:\d+: is not valid YAML: /);
    expect(errorOf("classes:\n  Top: [CEO]\n---\nclasses: {}\n", "t.yaml", "yaml").message).toBe("t.yaml:3: is not valid YAML: holds more than one document (a taxonomy is one)");
  });

  it("an unknown key, with a suggestion", () => {
    expect(errorOf('{\n  "name": "X",\n  "clases": {}\n}\n', "t.json", "json").message).toBe('t.json:3: unknown key "clases" (did you mean "classes"?); the keys are name, classes, labelled');
    expect(errorOf("classes:\n  Top:\n    - title: CEO\n      wieght: 2\n", "t.yaml", "yaml").message).toBe(
      't.yaml:4: unknown example key "wieght" (did you mean "weight"?); the example keys are title, weight, kind, by, at, why',
    );
  });

  it("an empty class name, a class with no examples, a class twice", () => {
    expect(errorOf('{"classes": {\n  "Top": ["CEO"],\n  " ": ["Intern"]\n}}\n', "t.json", "json").message).toBe("t.json:3: the class is empty");
    expect(errorOf('{"classes": {\n  "Top": ["CEO"],\n  "Bottom": []\n}}\n', "t.json", "json").message).toBe('t.json:3: the class "Bottom" has no examples');
    expect(errorOf("classes:\n  Top: [CEO]\n  Bottom:\n", "t.yaml", "yaml").message).toBe('t.yaml:3: the class "Bottom" has no examples');
    expect(errorOf('{"classes": {\n  "Top": ["CEO"],\n  "Top": ["Founder"]\n}}\n', "t.json", "json").message).toBe('t.json:3: the class "Top" is defined twice (line 2)');
  });

  it("the same example in two classes names both lines", () => {
    const yaml = "name: X\nclasses:\n  Top:\n    - CEO\n    - Founder\n  Bottom:\n    - Intern\n    - { title: founder, weight: 2 }\n";
    expect(errorOf(yaml, "t.yaml", "yaml").message).toBe('t.yaml:8: "founder" is an example of both "Top" (line 5) and "Bottom" (line 8); an example must belong to one class');
    const json = '{"classes": {\n  "Top": ["CEO", "Founder"],\n  "Bottom": [\n    "Intern",\n    "CEO"\n  ]\n}}\n';
    expect(errorOf(json, "t.json", "json").message).toBe('t.json:5: "CEO" is an example of both "Top" (line 2) and "Bottom" (line 5); an example must belong to one class');
  });

  it("a bad weight, a missing title, an example that is not a title", () => {
    expect(errorOf('{"classes": {"Top": [\n  {"title": "CEO",\n   "weight": -2}\n]}}\n', "t.json", "json").message).toBe("t.json:3: the weight -2 is not a positive number");
    expect(errorOf("classes:\n  Top:\n    - title: CEO\n      weight: lots\n", "t.yaml", "yaml").message).toBe('t.yaml:4: the weight "lots" is not a positive number');
    expect(errorOf("classes:\n  Top:\n    - weight: 2\n", "t.yaml", "yaml").message).toBe('t.yaml:3: an example of "Top" has no "title"');
    expect(errorOf("classes:\n  Top:\n    - CEO\n    - 42\n", "t.yaml", "yaml").message).toBe('t.yaml:4: an example of "Top" must be a title (a string), not 42');
    expect(errorOf("classes:\n  Top: CEO\n", "t.yaml", "yaml").message).toBe('t.yaml:2: the examples of "Top" must be a list');
  });

  it("no classes, or not the expected shape", () => {
    expect(errorOf('{\n  "classes": {}\n}\n', "t.json", "json").message).toBe("t.json: defines no classes");
    expect(errorOf('{\n  "name": "X"\n}\n', "t.json", "json").message).toBe('t.json:1: has no "classes" key');
    expect(errorOf('["CEO"]\n', "t.json", "json").message).toBe("t.json:1: must be a mapping with the keys name, classes, labelled");
    expect(errorOf('name: ""\nclasses:\n  Top: [CEO]\n', "t.yaml", "yaml").message).toBe('t.yaml:1: "name" must be a non-empty string');
  });

  it("warnings carry lines in JSON and YAML", () => {
    const t = parseTaxonomyText("classes:\n  Top:\n    - CEO\n    - ' ceo'\n    - '---'\n", "t.yaml", "yaml", {
      encodable: (x) => (/[a-z]/i.test(x) ? null : "no letters"),
    });
    expect(t.warnings).toEqual(['t.yaml:4: "ceo" is already an example of "Top" (line 3); kept once', 't.yaml:5: the model cannot encode "---": no letters']);
  });
});

describe("the three formats", () => {
  it("TSV, JSON and YAML of one taxonomy read the same, each with its own lines", () => {
    const [t, j, y] = ["seniority.tsv", "seniority.json", "seniority.yaml"].map((f) => readTaxonomy(path.join(fixtures, f)));
    expect(content(t)).toEqual({
      name: "Seniority",
      classes: [
        ["Top", [["Founder", 2], ["CEO", 1]]],
        ["Bottom", [["Intern", 0.5], ["Trainee", 1]]],
      ],
    });
    expect(content(j)).toEqual(content(t));
    expect(content(y)).toEqual(content(t));
    for (const x of [t, j, y]) expect(x.warnings).toEqual([]);
    expect(t.classes.get("Bottom")!.map((x) => x.line)).toEqual([8, 9]);
    expect(j.classes.get("Top")!.map((x) => x.line)).toEqual([4, 4]);
    expect(y.classes.get("Top")!.map((x) => x.line)).toEqual([5, 7]);
    expect(y.classes.get("Bottom")!.map((x) => x.line)).toEqual([9, 10]);
  });

  it("a file without a name is named after the file", () => {
    expect(parseTaxonomyText(tsv("class\texample", "Top\tCEO"), "dir/my-levels.tsv", "tsv").name).toBe("my-levels");
    expect(parseTaxonomyText('{"classes": {"Top": ["CEO"]}}', "a/b.json", "json").name).toBe("b");
  });
});

describe("writing TSV", () => {
  // Cells the TSV reader keeps as they are: no tab or line break, no space at an end, a class not starting with #.
  const cellChars = fc.constantFrom(..."abcXYZ019 &/-().,'#é总".split(""));
  const cell = fc.string({ unit: cellChars, minLength: 1, maxLength: 12 }).filter((s) => s === s.trim() && s !== "");
  const className = cell.filter((s) => !s.startsWith("#"));
  const taxonomy = fc
    .record({
      name: cell,
      classes: fc.uniqueArray(className, { minLength: 1, maxLength: 5 }),
      titles: fc.uniqueArray(cell, { minLength: 5, maxLength: 30, selector: exampleKey }),
      weights: fc.array(fc.oneof(fc.constant(1), fc.double({ min: 1e-6, max: 1e6, noNaN: true })), { minLength: 30, maxLength: 30 }),
      owner: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
    })
    .filter((r) => r.titles.length >= r.classes.length)
    .map((r) => {
      const reps = new Map(r.classes.map((c) => [c, [] as string[]]));
      // Every class gets one title first, so none is empty; the rest go where `owner` says.
      r.titles.forEach((title, i) => reps.get(r.classes[i < r.classes.length ? i : r.owner[i] % r.classes.length])!.push(title));
      const t = taxonomyFromRepresentatives(r.name, reps);
      let i = 0;
      for (const xs of t.classes.values()) for (const x of xs) x.weight = r.weights[i++];
      return t;
    });

  it("parse(write(t)) is t", () => {
    fc.assert(
      fc.property(taxonomy, (t) => {
        const back = parseTaxonomyText(writeTaxonomyTsv(t), "t.tsv", "tsv");
        expect(content(back)).toEqual(content(t));
        expect(back.warnings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("writes the weight column only when a weight is not 1", () => {
    const t = taxonomyFromRepresentatives("Two", new Map([["A", ["x"]], ["B", ["y"]]]));
    expect(writeTaxonomyTsv(t)).toBe("# name: Two\nclass\texample\nA\tx\nB\ty\n");
    t.classes.get("B")![0].weight = 2.5;
    expect(writeTaxonomyTsv(t)).toBe("# name: Two\nclass\texample\tweight\nA\tx\t1\nB\ty\t2.5\n");
  });

  it("refuses what TSV cannot hold, rather than writing a file that reads back differently", () => {
    const t = (cls: string, title: string): Taxonomy => ({ name: "T", file: "t", classes: new Map([[cls, [{ title, weight: 1, line: null }]]]), pins: [], warnings: [] });
    expect(() => writeTaxonomyTsv(t("#1", "x"))).toThrow('t: cannot be written as TSV: the class "#1" starts with #, which marks a comment line');
    expect(() => writeTaxonomyTsv(t("A", "x\ty"))).toThrow(/t: cannot be written as TSV: the example "x\\ty"/);
  });

  it("representatives get the same checks as a file", () => {
    expect(() => taxonomyFromRepresentatives("R", new Map([["A", ["CEO"]], ["B", ["ceo"]]]))).toThrow(
      'R: "ceo" is an example of both "A" and "B"; an example must belong to one class',
    );
    expect(() => taxonomyFromRepresentatives("R", new Map([["A", []]]))).toThrow('R: the class "A" has no examples');
  });
});

describe("the shipped taxonomies", () => {
  it("level.tsv is the built-in Level type: every Level class but Other, in the file's order, as the classifier reads it", async () => {
    const t = readTaxonomy(path.join(root, "data", "taxonomy", "level.tsv"));
    expect(t.name).toBe("Level");
    expect(t.warnings).toEqual([]);
    const { levelRepresentatives } = await import("../src/models/representatives/classifier");
    const { LEVELS } = await import("../src/taxonomy/classes");
    const reps = levelRepresentatives();
    expect([...reps.keys()]).toEqual([...t.classes.keys()]);
    expect([...reps.keys()].sort()).toEqual(LEVELS.filter((c) => c !== "Other").slice().sort());
    for (const [cls, examples] of t.classes) expect(reps.get(cls)).toEqual(examples.map((x) => x.title));
  });

  it("authority-level.tsv is the talk's slide", () => {
    const t = readTaxonomy(path.join(root, "data", "taxonomy", "authority-level.tsv"));
    expect(t.name).toBe("Authority Level");
    expect(t.warnings).toEqual([]);
    expect(Object.fromEntries([...t.classes].map(([c, xs]) => [c, xs.map((x) => x.title)]))).toEqual({
      "CEO/Founder": ["CEO", "Chief Executive Officer", "Founder", "Co-Founder", "Owner", "President"],
      "C-level": ["COO", "CFO", "CTO", "CMO", "CIO", "Chief Operating Officer", "Chief Financial Officer", "Chief Technology Officer"],
      "Head/Director": ["Head of IT", "Director of IT", "Head of Marketing", "Director of Sales", "VP Engineering", "Vice President of Sales"],
      "Individual contributor": ["Data Scientist", "Software Engineer", "Recruiter", "Accountant", "Designer", "Sales Representative"],
    });
  });

  it("every shipped taxonomy file reads without warnings", () => {
    const dir = path.join(root, "data", "taxonomy");
    // role.tsv and industry.tsv hold only fixes to examples a run chooses (fixes.ts reads them as overlays).
    const overlays = ["role.tsv", "industry.tsv"];
    for (const f of fs.readdirSync(dir)) expect(readTaxonomy(path.join(dir, f), { overlay: overlays.includes(f) }).warnings, f).toEqual([]);
  });
});
