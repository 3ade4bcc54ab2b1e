// Category types of the user's own (issue 18): a taxonomy file's examples classify titles through any similarity
// model, and `jtlab classify --taxonomy FILE` adds the type to its answers.
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { OTHER, SimilarityModel } from "../src/core/types";
import { parseCsvText } from "../src/data/csv-stream";
import { CustomTypeClassifier, ExampleSet } from "../src/models/representatives/custom-type";
import { runCli, tinySiameseRun, tmpDir } from "./helpers";

/** Titles as fixed unit-ish vectors; similarity is the dot product (exact in float32). */
const V: Record<string, number[]> = {
  CEO: [1, 0, 0],
  Founder: [0.8, 0.6, 0],
  "Data Scientist": [0, 0, 1],
  "Chief Executive": [0.9, 0.1, 0],
  Analyst: [0, 0.25, 0.25],
};
const model: SimilarityModel = {
  name: "hand",
  dim: 3,
  async encode(titles) {
    const out = new Float32Array(titles.length * 3);
    titles.forEach((t, i) => out.set(V[t] ?? [0, 0, 0], i * 3));
    return out;
  },
  similarityMatrix(A, B) {
    const nA = A.length / 3;
    const nB = B.length / 3;
    const out = new Float32Array(nA * nB);
    for (let i = 0; i < nA; i++) for (let j = 0; j < nB; j++) for (let d = 0; d < 3; d++) out[i * nB + j] += A[i * 3 + d] * B[j * 3 + d];
    return out;
  },
};
const set: ExampleSet = {
  name: "Authority Level",
  classes: new Map([
    ["CEO/Founder", [{ title: "CEO", weight: 1 }, { title: "Founder", weight: 1 }]],
    ["Individual contributor", [{ title: "Data Scientist", weight: 1 }]],
  ]),
};

describe("CustomTypeClassifier", () => {
  it("answers the class of the closest example, names that example, and says Other below the threshold", async () => {
    const c = await CustomTypeClassifier.create(model, set);
    const [a, b, o] = await c.classify(["Chief Executive", "Data Scientist", "Analyst"]);
    expect(a).toMatchObject({ label: "CEO/Founder", best: "CEO/Founder", nearest: { title: "CEO" } });
    expect(a.score).toBeCloseTo(0.9, 6);
    expect(b).toMatchObject({ label: "Individual contributor", score: 1, nearest: { title: "Data Scientist", similarity: 1 } });
    expect(o).toMatchObject({ label: OTHER, best: "Individual contributor" });
    expect(o.score).toBeCloseTo(0.25, 6);
    c.threshold = 0.2;
    expect((await c.classify(["Analyst"]))[0].label).toBe("Individual contributor");
  });

  it("an example's weight scales its similarity", async () => {
    const weighted: ExampleSet = { name: "w", classes: new Map([...set.classes].map(([k, xs]) => [k, k === "CEO/Founder" ? xs.map((x) => ({ ...x, weight: 0.5 })) : xs])) };
    const c = await CustomTypeClassifier.create(model, weighted, { threshold: 0 });
    expect((await c.classify(["Chief Executive"]))[0].score).toBeCloseTo(0.45, 6);
  });
});

describe("a title that is an example", () => {
  it("gets its class even where the model's self-similarity is lower than another example's", async () => {
    // Analyst · Analyst = 0.125 but Analyst · Data Scientist = 0.25: by similarity alone Analyst would go to B.
    const c = await CustomTypeClassifier.create(model, { name: "t", classes: new Map([["A", [{ title: "Analyst", weight: 1 }]], ["B", [{ title: "Data Scientist", weight: 1 }]]]) }, { threshold: 0 });
    expect(await c.classify(["analyst"])).toEqual([{ label: "A", score: 1, best: "A", nearest: { title: "Analyst", similarity: 1 } }]);
    const t = await c.scoreTable(["Analyst"]);
    expect(t.scores[t.classes.indexOf("A")]).toBe(1);
  });
});

describe("examples the model cannot encode", () => {
  it("are named, with the file and line, by classify's warning", async () => {
    const { parseTaxonomyText } = await import("../src/taxonomy/taxonomy-file");
    const { unencodableWarnings } = await import("../src/cli/commands/classify");
    const t = parseTaxonomyText("class\texample\nCEO/Founder\tCEO\nCEO/Founder\t10/6;\nIndividual contributor\tData Scientist\n", "a.tsv", "tsv");
    const c = await CustomTypeClassifier.create(model, t);
    expect(c.unencodable()).toEqual([{ cls: "CEO/Founder", title: "10/6;" }]);
    expect(unencodableWarnings(t, c, "hand")).toEqual([
      'a.tsv:3: the hand model cannot encode "10/6;" (its vector is all zeros): it matches no title, so "CEO/Founder" is answered without it',
    ]);
  });
});

describe("a type with labelled titles (the neighbours protocol)", () => {
  it("answers by a vote of the nearest labelled titles and examples, names the nearest of the winning class, keeps pins", async () => {
    // "Chief Executive" is nearest the example CEO, but three labelled titles right on top of it say Individual contributor.
    V["Chief Exec IC 1"] = [0.9, 0.1, 0];
    V["Chief Exec IC 2"] = [0.9, 0.1, 0];
    V["Chief Exec IC 3"] = [0.9, 0.1, 0];
    const labelled = { titles: ["Chief Exec IC 1", "Chief Exec IC 2", "Chief Exec IC 3"], labels: ["Individual contributor", "Individual contributor", "Individual contributor"] };
    const c = await CustomTypeClassifier.create(model, { ...set, labelledTitles: labelled, pins: [{ title: "Analyst", cls: "CEO/Founder" }] }, { threshold: 0 });
    expect(c.protocol).toBe("neighbours");
    const [a, b] = await c.classify(["Chief Executive", "Analyst"]);
    expect(a.label).toBe("Individual contributor");
    expect(a.nearest.title).toMatch(/^Chief Exec IC/);
    expect(b).toMatchObject({ label: "CEO/Founder", pinned: true });
    const t = await c.scoreTable(["Chief Executive"]);
    expect(t.classes).toEqual(["CEO/Founder", "Individual contributor"]);
    expect(t.scores[1]).toBeGreaterThan(t.scores[0]);
  });

  it("reads the labelled-titles file a taxonomy names, naming the line of a bad class or a missing file", async () => {
    const { readTaxonomy } = await import("../src/taxonomy/taxonomy-file");
    const { withLabelledTitles } = await import("../src/taxonomy/labelled-titles");
    const dir = tmpDir("jtlab-labelled-");
    const tax = path.join(dir, "auth.tsv");
    fs.writeFileSync(tax, "# name: Auth\n# labelled: titles.tsv\nclass\texample\nTop\tCEO\nLow\tAnalyst\n");
    fs.writeFileSync(path.join(dir, "titles.tsv"), "title\tclass\nBoss\tTop\nClerk\tLow\nQueen\tOther\nclerk\tLow\n");
    const t = withLabelledTitles(readTaxonomy(tax));
    expect(t.labelledTitles).toMatchObject({ titles: ["Boss", "Clerk", "Queen"], labels: ["Top", "Low", OTHER] });
    fs.writeFileSync(path.join(dir, "titles.tsv"), "title\tclass\nBoss\tTpo\n");
    expect(() => withLabelledTitles(readTaxonomy(tax))).toThrow(`${path.join(dir, "titles.tsv")}:2: "Tpo" is not a class of Auth; did you mean "Top"? (the classes are Top; Low; Other)`);
    fs.rmSync(path.join(dir, "titles.tsv"));
    expect(() => withLabelledTitles(readTaxonomy(tax))).toThrow(`${tax}:2: the labelled-titles file ${path.join(dir, "titles.tsv")} cannot be read (ENOENT)`);
    const y = path.join(dir, "auth.yaml");
    fs.writeFileSync(y, "name: Auth\nlabelled: sub/titles.tsv\nclasses:\n  Top: [CEO]\n");
    expect(readTaxonomy(y).labelled).toEqual({ file: path.join(dir, "sub", "titles.tsv"), line: 2 });
  });
});

describe("jtlab classify --taxonomy", () => {
  const dir = tmpDir("jtlab-custom-type-");
  const env = { JTLAB_RUNS_DIR: path.join(dir, "runs"), JTLAB_BACKEND: "cpu" };
  const file = path.join(dir, "authority.tsv");
  fs.writeFileSync(file, "# name: Authority Level\nclass\texample\nCEO/Founder\tCEO\nCEO/Founder\tFounder\nIndividual contributor\tData Scientist\nIndividual contributor\tRecruiter\n");
  let run = "";
  beforeAll(async () => {
    run = await tinySiameseRun(env.JTLAB_RUNS_DIR);
  }, 300_000);

  it("adds the file's type to each title's answers, with the nearest example and the run whose vectors answered", () => {
    const r = runCli(["classify", "Founder & CEO", "Recruiter", "--run", run, "--taxonomy", file, "--threshold", "0", "--json"], env);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(["CEO/Founder", "Individual contributor"]).toContain(row["Authority Level"].label);
      expect(row["Authority Level"]).toMatchObject({ protocol: "taxonomy", method: expect.stringMatching(/^siamese/) });
      expect(row.role).toBeDefined();
    }
    // The tiny model is barely trained: which class wins is its business, but the nearest example is one of that class's.
    const examples: Record<string, string[]> = { "CEO/Founder": ["CEO", "Founder"], "Individual contributor": ["Data Scientist", "Recruiter"] };
    for (const row of rows) expect(examples[row["Authority Level"].label]).toContain(row["Authority Level"].nearest.title);
    const text = runCli(["classify", "Recruiter", "--run", run, "--taxonomy", file], env);
    expect(text.stdout).toMatch(/Authority Level: Individual contributor/);
  }, 120_000);

  it("round-trips through jtlab score: the same label and score per title as classify, its own columns, on 2 workers", () => {
    const input = path.join(dir, "people.csv");
    const titles = ["Founder & CEO", "Recruiter", "VP of Sales", "", "Data Scientist"];
    fs.writeFileSync(input, ["person_id,title", ...titles.map((t, i) => `p${i},${t.includes(",") ? `"${t}"` : t}`)].join("\n") + "\n");
    const out = path.join(dir, "scores.csv");
    const r = runCli(["score", "--in", input, "--out", out, "--run", run, "--taxonomy", file, "--threshold", "0", "--workers", "2", "--batch", "2"], env);
    expect(r.status, r.stderr).toBe(0);
    const lines = parseCsvText(fs.readFileSync(out, "utf8"), out).map((rec) => rec.fields);
    const head = lines[0];
    for (const c of ["authority_level", "authority_level_score", "authority_level_score__ceo_founder", "authority_level_score__individual_contributor"]) expect(head).toContain(c);
    const cls = JSON.parse(runCli(["classify", ...titles.filter((t) => t), "--run", run, "--taxonomy", file, "--threshold", "0", "--json"], env).stdout);
    const byTitle = new Map(cls.map((x: Record<string, { label: string; score: number }> & { title: string }) => [x.title, x["Authority Level"]]));
    for (const row of lines.slice(1)) {
      const title = row[1];
      const label = row[head.indexOf("authority_level")];
      const score = row[head.indexOf("authority_level_score")];
      if (title === "") {
        expect([label, score]).toEqual(["Other", ""]);
        continue;
      }
      const want = byTitle.get(title) as { label: string; score: number };
      expect(label, title).toBe(want.label);
      expect(Math.abs(Number(score) - want.score), title).toBeLessThanOrEqual(1e-4);
    }
    // Two types that would write the same columns are refused before anything is read.
    expect(runCli(["score", "--in", input, "--out", path.join(dir, "x.csv"), "--run", run, "--taxonomy", file, "--taxonomy", file], env).stderr).toMatch(/would write the columns authority_level, authority_level_score… of .*authority\.tsv/);
  }, 300_000);

  it("a file that names labelled titles answers by their vote", () => {
    const own = path.join(dir, "voted.tsv");
    fs.writeFileSync(own, "# name: Voted\n# labelled: voted-titles.tsv\nclass\texample\nCEO/Founder\tCEO\nIndividual contributor\tRecruiter\n");
    fs.writeFileSync(path.join(dir, "voted-titles.tsv"), "title\tclass\nFounder & CEO\tCEO/Founder\nTalent Sourcer\tIndividual contributor\n");
    const r = runCli(["classify", "Founder & CEO", "--run", run, "--taxonomy", own, "--threshold", "0", "--json"], env);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)[0].Voted).toMatchObject({ protocol: "taxonomy-neighbours", label: "CEO/Founder", nearest: { title: "Founder & CEO" } });
  }, 120_000);

  it("names the line of a bad file, refuses a built-in type's name and a --threshold without a file", () => {
    const bad = path.join(dir, "bad.tsv");
    fs.writeFileSync(bad, "class\texample\nCEO/Founder\tCEO\n\tFounder\n");
    expect(runCli(["classify", "CEO", "--run", run, "--taxonomy", bad], env).stderr).toMatch(/bad\.tsv:3: /);
    const level = path.join(dir, "level.tsv");
    fs.writeFileSync(level, "class\texample\nBoss\tCEO\n");
    expect(runCli(["classify", "CEO", "--run", run, "--taxonomy", level], env).stderr).toMatch(/a category type named "level" is already answered \(a built-in type\)/);
    expect(runCli(["classify", "CEO", "--run", run, "--threshold", "0.3"], env).stderr).toMatch(/--threshold applies to --taxonomy types/);
  }, 120_000);
});
