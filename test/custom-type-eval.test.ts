// Notebook 07's measures (src/experiments/custom-type-eval.ts): the Level → Authority Level mapping file and its
// errors, the derived gold, the talk's titles, the threshold sweep and its baseline, and which runs answer.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OTHER } from "../src/core/types";
import type { GoldenCase } from "../src/datasets/gold";
import { loadLevelGold } from "../src/datasets/gold";
import { loadMessyTitles } from "../src/datasets/messy";
import {
  Answer,
  answerCell,
  authorityClasses,
  authorityGold,
  coverageAccuracyFigure,
  expectedAuthority,
  LEVEL_MAPPING_FILE,
  majorityBaselines,
  nearestCell,
  parseLevelMapping,
  pickSimilarityRuns,
  readLevelMapping,
  talkTitles,
  thresholdAccuracyFigure,
  thresholdRange,
  thresholdSweep,
  titleToFix,
} from "../src/experiments/custom-type-eval";
import type { Choice } from "../src/experiments/served";
import { LEVELS } from "../src/taxonomy/classes";
import { figureProblems } from "../src/viz/figure-rules";

const TARGETS = ["CEO/Founder", "C-level", "Head/Director", "Individual contributor", OTHER];

/** A mapping file: every Level class, in order, with `rows` replacing or adding lines. */
function mappingText(edit: (rows: string[]) => string[] = (r) => r): string {
  const rows = LEVELS.map((l) => `${l}\t${l === "Other" ? OTHER : "Individual contributor"}`);
  return ["# a comment", "level\tauthority_level", ...edit(rows)].join("\n") + "\n";
}

describe("the Level → Authority Level mapping", () => {
  it("the committed file maps every Level class to a class of authority-level.tsv or Other", () => {
    const m = readLevelMapping();
    expect([...m.keys()].sort()).toEqual([...LEVELS].sort());
    for (const v of m.values()) expect(authorityClasses()).toContain(v);
    expect(m.get("CEO/(Co)Founder/Owner")).toBe("CEO/Founder");
    expect(m.get("Director, Sr. Director, Associate Director")).toBe("Head/Director");
    expect(m.get("Entry-level")).toBe("Individual contributor");
    expect(m.get("Manager, Sr. Manager, Supervisor, Strategist")).toBe(OTHER);
  });

  it("reads comments, the header and one row per class", () => {
    const m = parseLevelMapping(mappingText(), "m.tsv", TARGETS);
    expect(m.size).toBe(LEVELS.length);
  });

  it("an unknown Level class names the line and the class it was likely meant to be", () => {
    const text = mappingText((r) => [...r.slice(0, 8), "Entry level\tIndividual contributor", ...r.slice(9)]);
    expect(() => parseLevelMapping(text, "m.tsv", TARGETS)).toThrow(/^m\.tsv:11: unknown Level class "Entry level"; did you mean "Entry-level"\?/);
  });

  it("an unknown target class names the line, with a suggestion or the classes", () => {
    expect(() => parseLevelMapping(mappingText((r) => [`${LEVELS[0]}\tC-Levle`, ...r.slice(1)]), "m.tsv", TARGETS)).toThrow(/^m\.tsv:3: unknown Authority Level class "C-Levle"; did you mean "C-level"\?/);
    expect(() => parseLevelMapping(mappingText((r) => [`${LEVELS[0]}\tBoss`, ...r.slice(1)]), "m.tsv", TARGETS)).toThrow(/^m\.tsv:3: unknown Authority Level class "Boss"; the classes: "CEO\/Founder"/);
  });

  it("a class mapped twice names both lines; a class without a row names the file", () => {
    expect(() => parseLevelMapping(mappingText((r) => [...r, `${LEVELS[2]}\tHead/Director`]), "m.tsv", TARGETS)).toThrow(`m.tsv:13: Level class "VP/Head of" is mapped twice (first on line 5)`);
    expect(() => parseLevelMapping(mappingText((r) => r.slice(1)), "m.tsv", TARGETS)).toThrow(`m.tsv: no row for the Level class "CEO/(Co)Founder/Owner"`);
  });

  it("a wrong header or column count names the line", () => {
    expect(() => parseLevelMapping("level\tclass\n", "m.tsv", TARGETS)).toThrow(/^m\.tsv:1: expected the header/);
    expect(() => parseLevelMapping(mappingText((r) => [`${LEVELS[0]}`, ...r.slice(1)]), "m.tsv", TARGETS)).toThrow("m.tsv:3: expected 2 tab-separated columns, found 1");
    expect(() => readLevelMapping(`${LEVEL_MAPPING_FILE}.missing`, TARGETS)).toThrow(/missing: cannot be read \(ENOENT\)/);
  });
});

describe("derived gold and the talk's titles", () => {
  it("maps each title's Level gold through the mapping; an unmapped class is an error", () => {
    const m = new Map([["Entry-level", "Individual contributor"]]);
    expect(authorityGold([{ title: "Intern", level: "Entry-level" }], m)).toEqual([{ title: "Intern", level: "Entry-level", authority: "Individual contributor" }]);
    expect(() => authorityGold([{ title: "Boss", level: "VP/Head of" }], m)).toThrow(/"VP\/Head of" of "Boss" has no row/);
  });

  it("the committed Level gold and messy titles all get Authority Level gold", () => {
    const m = readLevelMapping();
    expect(authorityGold(loadLevelGold(), m).length).toBeGreaterThan(800);
    expect(authorityGold(loadMessyTitles(), m).length).toBeGreaterThan(150);
  });

  it("talkTitles: distinct titles of the cases from the talk, in order; expectedAuthority from their Level cases", () => {
    const c = (title: string, why: string, type: GoldenCase["type"] = "role", label = "Engineering"): GoldenCase => ({ title, type, expect: "is", label, why });
    const cases = [c("A", "talk"), c("B", "trap: no"), c("A", "talk: again"), c("C", "talk", "level", "Entry-level"), c("D", "common")];
    expect(talkTitles(cases)).toEqual(["A", "C"]);
    expect([...expectedAuthority(cases, new Map([["Entry-level", "Individual contributor"]]))]).toEqual([["C", "Individual contributor"]]);
    const real = talkTitles();
    expect(real).toContain("Director of IT");
    expect(real).not.toContain("Chief Police Officer");
  });
});

describe("thresholdSweep", () => {
  const answers: Answer[] = [
    { best: "A", score: 0.9 },
    { best: "A", score: 0.6 },
    { best: "B", score: 0.4 },
    { best: OTHER, score: 0 },
  ];
  const gold = ["A", "B", OTHER, OTHER];

  it("coverage, accuracy on the answered titles and accuracy with Other, per threshold", () => {
    const [t0, t5, t95] = thresholdSweep(answers, gold, [0, 0.5, 0.95]);
    // A title with nothing to compare (best Other) is never answered.
    expect(t0).toMatchObject({ answered: 3, coverage: 0.75, accuracyAll: 0.5 });
    expect(t0.accuracyAnswered).toBeCloseTo(1 / 3, 9);
    expect(t5).toMatchObject({ answered: 2, coverage: 0.5, accuracyAnswered: 0.5, accuracyAll: 0.75 });
    expect(t95).toMatchObject({ answered: 0, coverage: 0, accuracyAnswered: null, accuracyAll: 0.5 });
  });

  it("refuses answers and gold of different lengths", () => {
    expect(() => thresholdSweep(answers, gold.slice(1), [0])).toThrow("4 answers for 3 gold labels");
  });

  it("coverage never grows with the threshold, and the answered titles are the right share of them", () => {
    const classes = ["A", "B", "C", OTHER];
    const arb = fc
      .array(fc.record({ best: fc.constantFrom(...classes), score: fc.double({ min: -1, max: 1, noNaN: true }), gold: fc.constantFrom(...classes) }), { minLength: 1, maxLength: 40 })
      .chain((rows) => fc.tuple(fc.constant(rows), fc.uniqueArray(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 10 })));
    fc.assert(
      fc.property(arb, ([rows, ts]) => {
        const sorted = [...ts].sort((a, b) => a - b);
        const points = thresholdSweep(rows, rows.map((r) => r.gold), sorted);
        for (let i = 1; i < points.length; i++) expect(points[i].coverage).toBeLessThanOrEqual(points[i - 1].coverage);
        for (const p of points) {
          expect(p.coverage).toBeCloseTo(p.answered / rows.length, 12);
          if (p.accuracyAnswered !== null) expect(p.accuracyAnswered * p.answered).toBeLessThanOrEqual(p.accuracyAll * rows.length + 1e-9);
        }
      }),
    );
  });

  it("thresholdRange: inclusive, rounded", () => {
    const r = thresholdRange(0, 0.95, 0.05);
    expect(r).toHaveLength(20);
    expect(r[3]).toBe(0.15);
    expect(r.at(-1)).toBe(0.95);
    expect(() => thresholdRange(0, 1, 0)).toThrow(/positive/);
  });
});

describe("the baseline, cells and figures", () => {
  it("always the most frequent gold class; when that is Other, also the most frequent of the type's classes", () => {
    expect(majorityBaselines(["A", "B", "A"]).map((b) => [b.name, b.point.coverage, b.point.accuracyAll])).toEqual([["always A", 1, 2 / 3]]);
    const [other, a] = majorityBaselines([OTHER, OTHER, "A", "B", "A", OTHER]);
    expect(other.point).toMatchObject({ coverage: 0, accuracyAnswered: null, accuracyAll: 0.5 });
    expect(a.point).toMatchObject({ coverage: 1, accuracyAll: 2 / 6 });
    expect(a.label).toBe("A");
  });

  it("cells show three decimals; no nearest example is a dash", () => {
    expect(answerCell({ label: "C-level", score: 0.73456 })).toBe("C-level (0.735)");
    expect(nearestCell({ nearest: { title: "CTO", similarity: 0.5 } })).toBe("CTO (0.500)");
    expect(nearestCell({ nearest: { title: "", similarity: 0 } })).toBe("—");
  });

  it("the figures follow the figure rules", () => {
    const series = [
      { method: "m1", points: thresholdSweep([{ best: "A", score: 0.7 }], ["A"], [0, 0.5, 0.9]) },
      { method: "m2", points: thresholdSweep([{ best: "B", score: 0.3 }], ["A"], [0, 0.5, 0.9]) },
    ];
    const fig = coverageAccuracyFigure(series, majorityBaselines(["A"])[0], "sweep");
    expect(figureProblems(fig)).toEqual([]);
    expect(fig.data).toHaveLength(3);
    expect((fig.data[0] as { x: number[] }).x).toEqual([100, 100]);
    expect(figureProblems(thresholdAccuracyFigure(series, "by threshold"))).toEqual([]);
    const withBaseline = thresholdAccuracyFigure(series, "by threshold", majorityBaselines(["X", "X", OTHER])[0]);
    expect(figureProblems(withBaseline)).toEqual([]);
    expect(withBaseline.data.at(-1)).toMatchObject({ name: "baseline: always X", y: [100 * (2 / 3), 100 * (2 / 3)] });
  });
});

describe("pickSimilarityRuns", () => {
  const ch = (method: string, runId = `run-${method}`, protocol = "representatives"): Choice => ({ runId, method, protocol, devMacroF1: 0.5 });
  const choices = [ch("siamese-both"), ch("siamese-both", "run-siamese-both", "head"), ch("char-tfidf"), ch("fasttext", "run-ft", "head"), ch("word2vec")];

  it("the latest run of each method named (siamese: every variant), once each; the rest skipped with a reason", () => {
    const { picked, skipped } = pickSimilarityRuns(["char-tfidf", "doc2vec", "siamese", "fasttext", "char-tfidf"], choices);
    expect(picked.map((c) => c.method)).toEqual(["char-tfidf", "siamese-both"]);
    expect(skipped.map((s) => s.method)).toEqual(["doc2vec", "fasttext"]);
    expect(skipped[0].reason).toMatch(/no finished run of doc2vec .*03-word2vec-doc2vec/);
    expect(skipped[1].reason).toMatch(/no title vectors/);
  });

  it("no names: every method with title vectors", () => {
    expect(pickSimilarityRuns([], choices).picked.map((c) => c.method)).toEqual(["char-tfidf", "siamese-both", "word2vec"]);
  });
});

describe("titleToFix", () => {
  it("picks the title of a class (not Other) the most methods get wrong, the first among equals", () => {
    const titles = ["a", "b", "c", "d"];
    const gold = ["X", OTHER, "Y", "X"];
    const answers = new Map([
      ["m1", [{ label: "Y" }, { label: "X" }, { label: "X" }, { label: "Y" }]],
      ["m2", [{ label: "X" }, { label: "X" }, { label: "X" }, { label: "Y" }]],
    ]);
    expect(titleToFix(titles, gold, answers)).toEqual({ title: "c", gold: "Y", wrong: ["m1", "m2"] });
    expect(titleToFix(["a"], ["X"], new Map([["m", [{ label: "X" }]]]))).toBeNull();
  });
});
