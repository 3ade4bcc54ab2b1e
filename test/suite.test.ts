import { describe, expect, it } from "vitest";
import { CategoryType, Labelled, OTHER, Predictor } from "../src/core/types";
import { Datasets, DEFAULT_DATASET_CONFIG } from "../src/datasets/build";
import { GoldenCase, LevelGoldItem } from "../src/datasets/gold";
import { LabelledTitle } from "../src/datasets/labelled";
import { evaluateSuite } from "../src/eval/suite";
import { normKey } from "../src/text/normalize";

// A tiny hand-made split and a predictor whose every answer is chosen here, so that each number of the suite's
// result can be worked out by hand (the comments show the sums).
const ENG = "Engineering";
const ANA = "Analytics, Research & Data Science";
const MKT = "Marketing";
const OPS = "Other Operations";
const FIN = "Accounting, Finance & Audit";
const EDU = "Education";
const IT = "Information Technology";
const MA = "Marketing & Advertising";
const FL = "Financial & Law Services";
const AG = "Administrative & Government";
const CEO = "CEO/(Co)Founder/Owner";
const ENTRY = "Entry-level";
const VP = "VP/Head of";
const DIRECTOR = "Director, Sr. Director, Associate Director";

function titled(title: string, role: string | null, industry: string | null): LabelledTitle {
  return {
    title,
    norm: normKey(title),
    sources: ["onet-reported"],
    groups: ["onet:00-0000.00"],
    roles: role ? [role] : [ENG, MKT],
    role,
    industries: industry ? [industry] : [IT, MA],
    industry,
  };
}

const gold = (title: string, level: string): LevelGoldItem => ({ title, norm: normKey(title), level, source: "hand" });

function datasets(): Datasets {
  return {
    fingerprint: "hand-made",
    config: DEFAULT_DATASET_CONFIG,
    train: [],
    test: [titled("Software Engineer", ENG, IT), titled("Data Scientist", ANA, IT), titled("Brand Manager", MKT, MA), titled("Nurse", OPS, null)],
    testAmbiguous: 0,
    dev: [titled("Accountant", FIN, FL), titled("Assistant", null, AG), titled("Teacher", EDU, null)],
    levelDev: [gold("CEO", CEO), gold("Intern", ENTRY)],
    levelTest: [gold("VP Sales", VP)],
    profiles: [],
  };
}

const answer = (label: string, score: number, best = label): Labelled => ({ label, score, best });

const ANSWERS: Record<CategoryType, Record<string, Labelled>> = {
  role: {
    "Software Engineer": answer(ENG, 0.9), // right
    "Data Scientist": answer(OTHER, 0.4, ANA), // below threshold; best is right
    "Brand Manager": answer(ENG, 0.6), // wrong
    "Nurse": answer(OTHER, 0.2, OPS), // below threshold; best is right
    "Accountant": answer(FIN, 0.7), // right
    "Teacher": answer(MKT, 0.55), // wrong
  },
  industry: {
    "Software Engineer": answer(IT, 0.8),
    "Data Scientist": answer(IT, 0.7),
    "Brand Manager": answer(OTHER, 0.1, MA),
    "Accountant": answer(OTHER, 0.3, AG),
  },
  level: {
    "CEO": answer(CEO, 0.9),
    "Intern": answer(OTHER, 0.3, ENTRY),
    "VP Sales": answer(DIRECTOR, 0.7),
  },
};

const GOLDEN: GoldenCase[] = [
  { title: "Software Engineer", type: "role", expect: "is", label: ENG, why: "passes" },
  { title: "Brand Manager", type: "role", expect: "is", label: MKT, why: "fails: Engineering" },
  { title: "CEO", type: "level", expect: "is", label: CEO, why: "passes" },
  { title: "VP Sales", type: "level", expect: "is", label: VP, why: "fails: Director" },
  { title: "Data Scientist", type: "industry", expect: "is_not", label: IT, why: "fails: it is IT" },
  { title: "Nurse", type: "any", expect: "parses", label: "", why: "passes: a label for every type" },
];

/** Answers from ANSWERS (Other with score 0 for anything else) and remembers what it was asked. */
function handPredictor(types?: CategoryType[]): Predictor & { calls: { type: CategoryType; titles: string[] }[] } {
  const calls: { type: CategoryType; titles: string[] }[] = [];
  return {
    name: "hand",
    types,
    calls,
    predict(titles, type) {
      calls.push({ type, titles: [...titles] });
      return titles.map((t) => ANSWERS[type][t] ?? answer(OTHER, 0));
    },
  };
}

const point = (curve: { threshold: number }[], t: number): unknown => curve.find((p) => Math.abs(p.threshold - t) < 1e-9);

describe("evaluateSuite on a hand-made split", () => {
  it("scores role on the test split, counting Other as a prediction", async () => {
    const r = await evaluateSuite(handPredictor(), datasets(), { golden: GOLDEN });
    expect([r.method, r.split, r.levelSplit]).toEqual(["hand", "test", "dev"]);
    expect(r.role.n).toBe(4);
    // Gold Eng, Ana, Mkt, Ops; labels Eng, Other, Eng, Other: one right.
    expect(r.role.accuracy).toBe(1 / 4);
    // F1 over the gold classes: Eng P 1/2 R 1 → 2/3; Ana, Mkt, Ops 0.
    expect(r.role.macroF1).toBeCloseTo(2 / 3 / 4, 12);
    expect(r.role.report.perClass.find((c) => c.label === OTHER)).toMatchObject({ support: 0, predicted: 2 });
    // Covered: Software Engineer (right) and Brand Manager (wrong).
    expect(r.role.coverage).toBe(2 / 4);
    expect(r.role.coveredAccuracy).toBe(1 / 2);
    // Best classes Eng, Ana, Eng, Ops: three right.
    expect(r.role.accuracyAtFullCoverage).toBe(3 / 4);
  });

  it("draws the coverage curve from the best class and its score", async () => {
    const r = await evaluateSuite(handPredictor(), datasets(), { golden: GOLDEN });
    // Scores 0.9 (right), 0.4 (right), 0.6 (wrong), 0.2 (right).
    expect(r.role.curve).toHaveLength(21);
    expect(point(r.role.curve, 0)).toEqual({ threshold: 0, coverage: 1, accuracy: 3 / 4, overallAccuracy: 3 / 4 });
    expect(point(r.role.curve, 0.35)).toEqual({ threshold: 0.35, coverage: 3 / 4, accuracy: 2 / 3, overallAccuracy: 2 / 4 });
    expect(point(r.role.curve, 0.5)).toEqual({ threshold: 0.5, coverage: 2 / 4, accuracy: 1 / 2, overallAccuracy: 1 / 4 });
    expect(point(r.role.curve, 0.95)).toEqual({ threshold: 0.95, coverage: 0, accuracy: 0, overallAccuracy: 0 });
  });

  it("scores industry only on the titles that have one", async () => {
    const p = handPredictor();
    const r = await evaluateSuite(p, datasets(), { golden: GOLDEN });
    expect(p.calls[1]).toEqual({ type: "industry", titles: ["Software Engineer", "Data Scientist", "Brand Manager"] });
    // Gold IT, IT, M&A; labels IT, IT, Other; best IT, IT, M&A.
    expect(r.industry.n).toBe(3);
    expect(r.industry.accuracy).toBe(2 / 3);
    expect(r.industry.macroF1).toBe(1 / 2);
    expect(r.industry.coverage).toBe(2 / 3);
    expect(r.industry.coveredAccuracy).toBe(1);
    expect(r.industry.accuracyAtFullCoverage).toBe(1);
  });

  it("scores level on the dev half of the gold by default and on the test half when asked", async () => {
    const dev = await evaluateSuite(handPredictor(), datasets(), { golden: GOLDEN });
    // Gold CEO, Entry; labels CEO, Other; best CEO, Entry.
    expect(dev.level).toMatchObject({ n: 2, accuracy: 1 / 2, macroF1: 1 / 2, coverage: 1 / 2, coveredAccuracy: 1, accuracyAtFullCoverage: 1 });
    const test = await evaluateSuite(handPredictor(), datasets(), { golden: GOLDEN, levelSplit: "test" });
    expect(test.levelSplit).toBe("test");
    // Gold VP; label Director.
    expect(test.level).toMatchObject({ n: 1, accuracy: 0, macroF1: 0, coverage: 1, coveredAccuracy: 0, accuracyAtFullCoverage: 0 });
  });

  it("uses only the dev titles that have a role on the dev split", async () => {
    const p = handPredictor();
    const r = await evaluateSuite(p, datasets(), { split: "dev", golden: GOLDEN });
    expect(r.split).toBe("dev");
    expect(p.calls.slice(0, 2)).toEqual([
      { type: "role", titles: ["Accountant", "Teacher"] },
      { type: "industry", titles: ["Accountant"] },
    ]);
    // Role: gold Fin, Edu; labels Fin, Mkt. F1: Fin 1, Edu 0.
    expect(r.role).toMatchObject({ n: 2, accuracy: 1 / 2, macroF1: 1 / 2, coverage: 1, coveredAccuracy: 1 / 2, accuracyAtFullCoverage: 1 / 2 });
    // Industry: gold FL; label Other, best AG.
    expect(r.industry).toMatchObject({ n: 1, accuracy: 0, macroF1: 0, coverage: 0, coveredAccuracy: 0, accuracyAtFullCoverage: 0 });
  });

  it("lists the golden cases that fail, with what the method said", async () => {
    const r = await evaluateSuite(handPredictor(), datasets(), { golden: GOLDEN });
    expect(r.golden.total).toBe(6);
    expect(r.golden.passed).toBe(3);
    expect(r.golden.failures).toEqual([
      { title: "Brand Manager", type: "role", expect: "is", label: MKT, got: ENG },
      { title: "VP Sales", type: "level", expect: "is", label: VP, got: DIRECTOR },
      { title: "Data Scientist", type: "industry", expect: "is_not", label: IT, got: IT },
    ]);
  });

  it("reports level as not applicable for a method without it and skips its level golden cases", async () => {
    const p = handPredictor(["role", "industry"]);
    const r = await evaluateSuite(p, datasets(), { golden: GOLDEN });
    expect(r.level).toBeNull();
    expect(p.calls.some((c) => c.type === "level" && c.titles.includes("Intern"))).toBe(false);
    expect(r.role.accuracy).toBe(1 / 4);
    expect(r.industry.accuracy).toBe(2 / 3);
    // Left: two role cases (one fails), the industry case (fails) and the "parses" case.
    expect(r.golden.total).toBe(4);
    expect(r.golden.passed).toBe(2);
    expect(r.golden.failures.map((f) => `${f.type}: ${f.title}`)).toEqual(["role: Brand Manager", "industry: Data Scientist"]);
  });
});
