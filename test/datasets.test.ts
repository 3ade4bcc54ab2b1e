import { describe, expect, it } from "vitest";
import { buildDatasets, DEFAULT_DATASET_CONFIG, loadDatasets } from "../src/datasets/build";
import { loadGoldenCases, loadLevelGold } from "../src/datasets/gold";
import { buildTitleUniverse } from "../src/datasets/labelled";
import { heldOutKeys, makeSplits } from "../src/datasets/splits";
import { LEVELS } from "../src/taxonomy/classes";
import { normKey } from "../src/text/normalize";

describe("role/industry splits", () => {
  const universe = buildTitleUniverse();
  const s = makeSplits(universe);

  it("are disjoint by normalized title: no test title in dev or train", () => {
    const held = heldOutKeys(s);
    expect(s.train.filter((t) => held.has(t.norm))).toEqual([]);
    expect(s.dev.filter((t) => held.has(t.norm))).toEqual([]);
    const dev = new Set(s.dev.map((t) => t.norm));
    expect(s.train.filter((t) => dev.has(t.norm))).toEqual([]);
  });

  it("draw about half of the reported titles for test and 10% of the rest for dev", () => {
    const drawn = s.test.length + s.testAmbiguous.length;
    expect(drawn / universe.reported.size).toBeGreaterThan(0.45);
    expect(drawn / universe.reported.size).toBeLessThan(0.55);
    expect(s.dev.length / (s.dev.length + s.train.length)).toBeCloseTo(0.1, 2);
    expect(s.test.every((t) => universe.reported.has(t.norm) && t.role !== null)).toBe(true);
    expect(s.testAmbiguous.every((t) => t.roles.length > 1)).toBe(true);
  });

  it("are identical for one seed and different for another", () => {
    const again = makeSplits(buildTitleUniverse());
    expect(again.test.map((t) => t.norm)).toEqual(s.test.map((t) => t.norm));
    expect(again.dev.map((t) => t.norm)).toEqual(s.dev.map((t) => t.norm));
    const other = makeSplits(universe, { ...s.config, seed: 7 });
    expect(other.test.map((t) => t.norm)).not.toEqual(s.test.map((t) => t.norm));
  });

  it("train holds O*NET and ONS titles; the ONS ones are labelled through the ONS crosswalk", () => {
    expect(s.train.some((t) => t.sources.includes("ons-index"))).toBe(true);
    expect(s.train.some((t) => t.sources.includes("onet-alternate"))).toBe(true);
    expect(s.train.length + s.dev.length).toBeGreaterThan(50000);
  });
});

describe("derived datasets", () => {
  const d = loadDatasets(DEFAULT_DATASET_CONFIG);

  it("simulated profiles use train titles only and are marked simulated", () => {
    const test = new Set(d.test.map((t) => t.norm));
    const dev = new Set(d.dev.map((t) => t.norm));
    for (const p of d.profiles) {
      expect(p.simulated).toBe(true);
      expect(p.titles.length).toBeGreaterThanOrEqual(2);
      expect(p.titles.length).toBeLessThanOrEqual(5);
      for (const t of p.titles) {
        expect(test.has(normKey(t))).toBe(false);
        expect(dev.has(normKey(t))).toBe(false);
      }
    }
    expect(d.profiles.filter((p) => p.tokens.length > 0).length / d.profiles.length).toBeGreaterThan(0.9);
  });

  it("round-trips through the data/derived cache", () => {
    const built = buildDatasets(DEFAULT_DATASET_CONFIG);
    expect(d.fingerprint).toBe(built.fingerprint);
    expect(d.test).toEqual(built.test);
    expect(d.train.slice(0, 50)).toEqual(built.train.slice(0, 50));
    expect(d.profiles.slice(0, 20)).toEqual(built.profiles.slice(0, 20));
    expect(d.levelDev.map((x) => x.title)).toEqual(built.levelDev.map((x) => x.title));
  });
});

describe("Level gold and golden cases", () => {
  it("has at least 600 distinct titles and 30 per class, split in two halves", () => {
    const gold = loadLevelGold();
    expect(gold.length).toBeGreaterThanOrEqual(600);
    for (const l of LEVELS) expect(gold.filter((g) => g.level === l).length, l).toBeGreaterThanOrEqual(30);
    const d = loadDatasets();
    expect(d.levelDev.length + d.levelTest.length).toBe(gold.length);
    expect(Math.abs(d.levelDev.length - d.levelTest.length)).toBeLessThan(gold.length * 0.1);
  });

  it("golden cases parse and name real classes", () => {
    const cases = loadGoldenCases();
    expect(cases.length).toBeGreaterThan(25);
    expect(cases.find((c) => c.title === "Sales Engineer" && c.expect === "is_not")?.label).toBe("Engineering");
  });
});
