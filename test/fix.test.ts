// Fixes as data (issue 18): pins and added examples in a taxonomy file with who/when/why, laid over any served
// answer, and `jtlab fix` printing what moved on dev before it writes.
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { Labelled, OTHER, SimilarityModel } from "../src/core/types";
import { parseCsvText } from "../src/data/csv-stream";
import { fixEffect } from "../src/experiments/fix-effect";
import { applyFixes, EXAMPLE_FIX_REACH } from "../src/experiments/fixed";
import { CustomTypeClassifier } from "../src/models/representatives/custom-type";
import { fixesOf, planFix, recordFix, writeFix } from "../src/taxonomy/fixes";
import { parseTaxonomyText, readTaxonomy, TaxonomyError, writeTaxonomyTsv } from "../src/taxonomy/taxonomy-file";
import { runCli, tinySiameseRun, tmpDir } from "./helpers";

const tsv = (...lines: string[]): string => lines.join("\n") + "\n";
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TaxonomyError);
    return (e as Error).message;
  }
  throw new Error("no error");
};
const parse = (text: string, overlay = false) => parseTaxonomyText(text, "t.tsv", "tsv", { overlay });
const who = { by: "ana", at: "2026-12-01T10:00:00Z", why: "seen in the logs" };

describe("fix rows in a taxonomy file", () => {
  const header = "class\texample\tkind\tby\tat\twhy";

  it("reads pins apart from examples, and keeps the provenance of added examples", () => {
    const t = parse(tsv(header, "Top\tCEO", "Top\tChief Boss\texample\tana\t2026-12-01T10:00:00Z\tseen in the logs", "Top\tHead Honcho\tpin\tbo\t2026-12-02\tslang", "Other\tQueen of the World\tpin\tbo\t2026-12-02\tnot a job"));
    expect([...t.classes.keys()]).toEqual(["Top"]);
    expect(t.classes.get("Top")!.map((x) => [x.title, x.fix?.kind ?? null])).toEqual([
      ["CEO", null],
      ["Chief Boss", "example"],
    ]);
    expect(t.pins.map((p) => [p.title, p.cls, p.fix.by, p.line])).toEqual([
      ["Head Honcho", "Top", "bo", 4],
      ["Queen of the World", OTHER, "bo", 5],
    ]);
    const f = fixesOf(t);
    expect([...f.pins.keys()]).toEqual(["head honcho", "queen of the world"]);
    expect(f.examples.get("Top")!.map((x) => x.title)).toEqual(["Chief Boss"]);
  });

  it("names the line of a bad fix: unknown kind, a date that is none, a pin with a weight, provenance without a kind, a title in two classes", () => {
    expect(errorOf(() => parse(tsv(header, "Top\tCEO", "Top\tBoss\tpinn\tana\t2026-12-01\tx")))).toBe('t.tsv:3: unknown kind "pinn" (did you mean "pin"?); the kinds are example, pin');
    expect(errorOf(() => parse(tsv(header, "Top\tCEO", "Top\tBoss\tpin\tana\tyesterday\tx")))).toMatch(/^t\.tsv:3: the date "yesterday" in "at" is not a date/);
    expect(errorOf(() => parse(tsv("class\texample\tweight\tkind", "Top\tCEO\t\t", "Top\tBoss\t2\tpin")))).toBe("t.tsv:3: a pin takes no weight (it gives its title the class whatever the scores)");
    expect(errorOf(() => parse(tsv(header, "Top\tCEO\t\tana")))).toBe("t.tsv:2: a row with by, at or why is a fix and needs a kind (example or pin)");
    expect(errorOf(() => parse(tsv(header, "Top\tCEO", "Low\tAnalyst", "Low\tceo\tpin\tana\t2026-12-01\tx")))).toBe(
      't.tsv:4: "ceo" is an example of "Top" (line 2) and given to "Low" (line 4); a title must belong to one class',
    );
    expect(errorOf(() => parse(tsv(header, "Top\tCEO", "Top\tBoss\tpin\ta\t2026-12-01\tx", "Low\tboss\tpin\ta\t2026-12-01\tx")))).toMatch(/^t\.tsv:4: "boss" is pinned to "Top" \(line 3\)/);
    expect(errorOf(() => parse(tsv(header, "Top\tCEO", "Low\tBoss\tpin\ta\t2026-12-01\tx")))).toBe('t.tsv:3: the class "Low" has no examples (a pin alone cannot define a class: add an example of it)');
  });

  it("a fixes-only file (the built-in role and industry types) may hold no classes", () => {
    expect(parse(tsv(header), true).classes.size).toBe(0);
    expect(parse(tsv(header, "HR\tPeople Partner\tpin\ta\t2026-12-01\tx"), true).pins).toHaveLength(1);
  });

  it("writes pins and provenance back as TSV that reads the same", () => {
    const t = parse(tsv(header, "Top\tCEO", "Top\tChief Boss\texample\tana\t2026-12-01T10:00:00Z\tseen", "Other\tQueen\tpin\tbo\t2026-12-02\tnot a job"));
    const back = parse(writeTaxonomyTsv(t));
    expect(back.pins.map(({ title, cls, fix }) => ({ title, cls, fix }))).toEqual(t.pins.map(({ title, cls, fix }) => ({ title, cls, fix })));
    expect(back.classes.get("Top")!.map(({ title, fix }) => ({ title, fix }))).toEqual(t.classes.get("Top")!.map(({ title, fix }) => ({ title, fix })));
  });
});

describe("recording a fix", () => {
  it("appends to a TSV, adding the fix columns to an old header, keeping the comments, and says the line", () => {
    const dir = tmpDir("jtlab-fix-");
    const file = path.join(dir, "auth.tsv");
    fs.writeFileSync(file, tsv("# name: Auth", "# the talk's slide", "class\texample", "Top\tCEO", "Low\tAnalyst"));
    const p = recordFix(file, { title: "Founder  & CEO ", label: "Top", kind: "pin", ...who });
    expect(p.line).toBe(6);
    expect(fs.readFileSync(file, "utf8")).toBe(tsv("# name: Auth", "# the talk's slide", "class\texample\tkind\tby\tat\twhy", "Top\tCEO", "Low\tAnalyst", "Top\tFounder & CEO\tpin\tana\t2026-12-01T10:00:00Z\tseen in the logs"));
    expect(readTaxonomy(file).pins.map((x) => x.title)).toEqual(["Founder & CEO"]);
  });

  it("refuses a title that already belongs to another class, naming its line, and leaves the file as it was", () => {
    const dir = tmpDir("jtlab-fix-");
    const file = path.join(dir, "auth.tsv");
    const text = tsv("class\texample", "Top\tCEO", "Low\tAnalyst");
    fs.writeFileSync(file, text);
    expect(errorOf(() => recordFix(file, { title: "analyst", label: "Top", kind: "pin", ...who }))).toBe(`${file}:3: "analyst" is already an example of "Low"; edit or remove that line to move it to "Top"`);
    expect(errorOf(() => recordFix(file, { title: "CEO", label: "Top", kind: "example", ...who }))).toBe(`${file}:2: "CEO" is already an example of "Top": nothing to fix`);
    expect(fs.readFileSync(file, "utf8")).toBe(text);
  });

  it("keeps a YAML file's comments and writes JSON that reads back", () => {
    const dir = tmpDir("jtlab-fix-");
    const y = path.join(dir, "auth.yaml");
    fs.writeFileSync(y, "# my levels\nname: Auth\nclasses:\n  Top: [CEO]  # the boss\n  Low:\n    - Analyst\n");
    const p = recordFix(y, { title: "Boss", label: "Top", kind: "example", ...who });
    const text = fs.readFileSync(y, "utf8");
    expect(text).toContain("# my levels");
    expect(text).toContain("# the boss");
    expect(p.after.classes.get("Top")!.map((x) => [x.title, x.fix?.by])).toEqual([
      ["CEO", undefined],
      ["Boss", "ana"],
    ]);
    const j = path.join(dir, "auth.json");
    fs.writeFileSync(j, JSON.stringify({ name: "Auth", classes: { Top: ["CEO"], Low: ["Analyst"] } }));
    recordFix(j, { title: "Queen", label: OTHER, kind: "pin", ...who });
    expect(readTaxonomy(j).pins).toMatchObject([{ title: "Queen", cls: OTHER, fix: { kind: "pin", by: "ana" } }]);
  });

  it("plans without writing, and never writes over a file that changed since", () => {
    const dir = tmpDir("jtlab-fix-");
    const file = path.join(dir, "auth.tsv");
    fs.writeFileSync(file, tsv("class\texample", "Top\tCEO"));
    const p = planFix(file, { title: "Boss", label: "Top", kind: "example", ...who });
    expect(p.after.classes.get("Top")).toHaveLength(2);
    expect(readTaxonomy(file).classes.get("Top")).toHaveLength(1);
    fs.appendFileSync(file, "Top\tChief\n");
    expect(errorOf(() => writeFix(p))).toBe(`${file}: changed while the fix was being checked: nothing was written; run jtlab fix again`);
    expect(readTaxonomy(file).classes.get("Top")!.map((x) => x.title)).toEqual(["CEO", "Chief"]);
  });
});

/** Titles as fixed vectors; similarity is the dot product. */
const V: Record<string, number[]> = { "Head of People": [1, 0], "People Lead": [0.9, 0.436], "Data Lead": [0, 1], Gardener: [0.3, -0.95] };
const model: SimilarityModel = {
  name: "hand",
  dim: 2,
  async encode(titles) {
    const out = new Float32Array(titles.length * 2);
    titles.forEach((t, i) => out.set(V[t] ?? [0, 0], i * 2));
    return out;
  },
  similarityMatrix(A, B) {
    const nA = A.length / 2;
    const nB = B.length / 2;
    const out = new Float32Array(nA * nB);
    for (let i = 0; i < nA; i++) for (let j = 0; j < nB; j++) out[i * nB + j] = A[i * 2] * B[j * 2] + A[i * 2 + 1] * B[j * 2 + 1];
    return out;
  },
};

describe("fixes laid over a served answer", () => {
  const base: Labelled[] = [
    { label: "Analytics", score: 0.95 },
    { label: "Analytics", score: 0.6 },
    { label: "Analytics", score: 0.99 },
    { label: OTHER, score: 0.2, best: "Ops" },
  ];
  const titles = ["Head of People", "People Lead", "Data Lead", "Gardener"];

  it("an added example claims titles as similar as their answer's score (and at least the reach); the rest keep theirs", async () => {
    const t = parse(tsv("class\texample\tkind\tby\tat\twhy", "HR\tHead of People\texample\tana\t2026-12-01\tx"), true);
    const out = await applyFixes(fixesOf(t), async () => model, titles, base);
    expect(out.map((a) => a.label)).toEqual(["HR", "HR", "Analytics", OTHER]);
    expect(out[1].score).toBeCloseTo(0.9, 5);
    expect(out[1].fixedBy).toMatchObject({ kind: "example", title: "Head of People", by: "ana", line: 2 });
    expect(out[1].evidence![0]).toMatchObject({ title: "Head of People", label: "HR" });
    expect(out[2]).toBe(base[2]);
    expect(EXAMPLE_FIX_REACH).toBe(0.5);
  });

  it("a pin gives exactly its title (spacing and case folded) its class, score 1, whatever the answer", async () => {
    const t = parse(tsv("class\texample\tkind\tby\tat\twhy", "HR\tdata  lead\tpin\tana\t2026-12-01\tx"), true);
    const out = await applyFixes(fixesOf(t), async () => {
      throw new Error("pins need no vectors");
    }, titles, base);
    expect(out.map((a) => a.label)).toEqual(["Analytics", "Analytics", "HR", OTHER]);
    expect(out[2]).toMatchObject({ score: 1, fixedBy: { kind: "pin", title: "data  lead" } });
  });

  it("a custom type honours its pins, Other included, in labels and score tables", async () => {
    const t = parse(tsv("class\texample\tkind\tby\tat\twhy", "People\tHead of People", "Data\tData Lead", "Data\tPeople Lead\tpin\ta\t2026-12-01\tx", "Other\tGardener\tpin\ta\t2026-12-01\tx"));
    const c = await CustomTypeClassifier.create(model, t, { threshold: 0 });
    const a = await c.classify(["People Lead", "Gardener", "Head of People"]);
    expect(a.map((x) => [x.label, x.score, x.pinned ?? false])).toEqual([
      ["Data", 1, true],
      [OTHER, 1, true],
      ["People", 1, false],
    ]);
    const table = await c.scoreTable(["People Lead"]);
    expect(table.scores[table.classes.indexOf("Data")]).toBe(1);
  });
});

describe("fixEffect", () => {
  it("lists what moved, what the fix broke first, with the figures before and after", () => {
    const e = fixEffect(["a", "b", "c", "d"], ["X", "Y", "X", "Z"], ["X", "Z", "Y", "Y"], ["X", "Z", "X", null]);
    expect(e.moved.map((m) => m.title)).toEqual(["c", "b", "d"]);
    expect([e.broken, e.mended, e.labelled]).toEqual([1, 1, 3]);
    expect(e.before!.accuracy).toBeCloseTo(2 / 3, 9);
    expect(e.after!.accuracy).toBeCloseTo(2 / 3, 9);
    expect(fixEffect(["a"], ["X"], ["Y"], null).before).toBeNull();
  });

  it("nothing moves when the answers are the same", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("X", "Y", "Z"), { maxLength: 30 }), (labels) => {
        const e = fixEffect(labels.map((_, i) => `t${i}`), labels, labels, labels);
        expect(e.moved).toEqual([]);
        if (labels.length) expect(e.after).toEqual(e.before);
      }),
    );
  });
});

describe("jtlab fix", () => {
  const dir = tmpDir("jtlab-fix-cli-");
  const taxonomies = path.join(dir, "taxonomy");
  const env = { JTLAB_RUNS_DIR: path.join(dir, "runs"), JTLAB_BACKEND: "cpu", JTLAB_TAXONOMY_DIR: taxonomies, JTLAB_USER: "tester" };
  let run = "";
  beforeAll(async () => {
    fs.cpSync(path.join(__dirname, "..", "data", "taxonomy"), taxonomies, { recursive: true });
    run = await tinySiameseRun(env.JTLAB_RUNS_DIR);
  }, 300_000);

  it("pins a title: the title changes, the fix is recorded with who/when/why, and the dev delta is reported", () => {
    const title = "Zookeeper of the Year";
    const before = JSON.parse(runCli(["classify", title, "--run", run, "--json"], env).stdout)[0].role.label;
    const label = before === "HR" ? "Education" : "HR";
    const r = runCli(["fix", title, "--type", "role", "--label", label, "--as", "pin", "--why", "a test", "--run", run, "--json"], env);
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep).toMatchObject({ type: "role", written: true, fixes: [{ title, label, kind: "pin", by: "tester", why: "a test", before: { label: before }, after: { label, score: 1 } }] });
    expect(rep.dev.titles).toBeGreaterThan(1000);
    expect(rep.dev.labelled).toBe(rep.dev.titles);
    for (const k of ["accuracy", "macroF1"]) {
      expect(rep.dev.before[k]).toBeGreaterThanOrEqual(0);
      expect(rep.dev.after[k]).toBeGreaterThanOrEqual(0);
    }
    // A pin of a title outside dev moves no dev title.
    expect(rep.dev.moved).toEqual([]);
    expect(rep.dev.after).toEqual(rep.dev.before);
    const row = fs.readFileSync(path.join(taxonomies, "role.tsv"), "utf8").trim().split("\n").at(-1)!.split("\t");
    expect(row.slice(0, 5)).toEqual([label, title, "pin", "tester", rep.fixes[0].at]);
    const after = JSON.parse(runCli(["classify", title.toLowerCase(), "--run", run, "--json"], env).stdout)[0].role;
    expect(after).toMatchObject({ label, score: 1, fixed_by: { kind: "pin", by: "tester", why: "a test" } });
    // jtlab score applies it too (on a worker thread).
    const input = path.join(dir, "people.csv");
    fs.writeFileSync(input, `person_id,title\np1,${title}\n`);
    const out = path.join(dir, "scores.csv");
    expect(runCli(["score", "--in", input, "--out", out, "--run", run, "--workers", "1"], env).status).toBe(0);
    const [head, first] = parseCsvText(fs.readFileSync(out, "utf8"), out).map((x) => x.fields);
    expect(first[head.indexOf("role")]).toBe(label);
  }, 300_000);

  it("an added example moves the dev titles like it, and a dry run writes nothing", () => {
    const file = path.join(taxonomies, "level.tsv");
    const text = fs.readFileSync(file, "utf8");
    const r = runCli(["fix", "Chief People Officer", "--type", "level", "--label", "C-Level & Partner", "--why", "a test", "--run", run, "--protocol", "representatives", "--dry-run", "--json"], env);
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.written).toBe(false);
    expect(rep.fixes[0].after.label).toBe("C-Level & Partner");
    expect(rep.dev.labelled).toBeGreaterThan(300);
    for (const m of rep.dev.moved) expect(m.after).toBe("C-Level & Partner");
    expect(rep.dev.broken + rep.dev.mended).toBeLessThanOrEqual(rep.dev.moved.length);
    expect(fs.readFileSync(file, "utf8")).toBe(text);
  }, 300_000);

  it("refuses bad input with a clear error", () => {
    const err = (args: string[]): string => {
      const r = runCli(["fix", ...args], env);
      expect(r.status).not.toBe(0);
      return r.stderr;
    };
    expect(err(["CEO", "--type", "role", "--label", "Executive", "--why", "x", "--run", run])).toMatch(/unknown Functional Role class "Executive" \(did you mean "Executives"\?\)/);
    expect(err(["CEO", "--type", "role", "--label", "Executives", "--run", run])).toMatch(/give --why/);
    expect(err(["", "--type", "role", "--label", "Executives", "--why", "x"])).toMatch(/the title is empty/);
    expect(err(["CEO", "--type", "rank", "--label", "X", "--why", "x"])).toMatch(/--type must be one of role, level, industry/);
    expect(err(["Zookeeper of the Year", "--type", "role", "--label", "Sales & Account Mgmt", "--as", "pin", "--why", "x", "--run", run])).toMatch(/role\.tsv:\d+: "Zookeeper of the Year" is already pinned to/);
    const own = path.join(dir, "auth.tsv");
    fs.writeFileSync(own, tsv("class\texample", "Top\tCEO", "Low\tAnalyst"));
    expect(err(["Boss", "--taxonomy", own, "--label", "Middle", "--why", "x", "--run", run])).toMatch(/has no class "Middle".*--new-class/);
  }, 300_000);

  it("fixes a type of your own from a fixes file, with --dev gold", () => {
    const own = path.join(dir, "own.tsv");
    fs.writeFileSync(own, tsv("# name: Seniority", "class\texample", "Top\tCEO", "Top\tFounder", "Low\tAnalyst", "Low\tRecruiter"));
    const fixes = path.join(dir, "fixes.tsv");
    fs.writeFileSync(fixes, tsv("title\tlabel\tkind", "Chief Executive Officer\tTop\tpin", "Data Scientist\tLow\t"));
    const dev = path.join(dir, "dev.tsv");
    fs.writeFileSync(dev, tsv("title\tclass", "Chief Executive Officer\tTop", "Data Scientist\tLow", "Queen of the World\tOther"));
    const r = runCli(["fix", "--taxonomy", own, "--file", fixes, "--why", "batch", "--dev", dev, "--run", run, "--threshold", "0", "--json"], env);
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.type).toBe("Seniority");
    expect(rep.fixes.map((f: { after: { label: string } }) => f.after.label)).toEqual(["Top", "Low"]);
    expect(rep.dev.after.accuracy).toBeGreaterThanOrEqual(2 / 3 - 1e-9);
    const t = readTaxonomy(own);
    expect(t.pins.map((p) => p.title)).toEqual(["Chief Executive Officer"]);
    expect(t.classes.get("Low")!.at(-1)).toMatchObject({ title: "Data Scientist", fix: { kind: "example", by: "tester", why: "batch" } });
  }, 300_000);
});
