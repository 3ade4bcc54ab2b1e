// Result tables: every row's figures sit under headers that name the split they were measured on.
import { describe, expect, it } from "vitest";
import type { SuiteResult, TypeResult } from "../src/eval/suite";
import { suiteRows } from "../src/eval/tables";

const type = (accuracy: number): TypeResult => ({ accuracy, macroF1: accuracy / 2, coverage: 1 }) as unknown as TypeResult;
const result = (split: "dev" | "test", levelSplit: "dev" | "test", acc: number): SuiteResult => ({
  method: "m",
  split,
  levelSplit,
  role: type(acc),
  industry: type(acc),
  level: type(acc),
  golden: { passed: 1, total: 2, failures: [] },
  seconds: 0,
});

describe("suiteRows", () => {
  it("names one shared split in the headers", () => {
    const rows = suiteRows([result("test", "dev", 0.5), result("test", "dev", 0.25)]);
    expect(Object.keys(rows[0])).toEqual(Object.keys(rows[1]));
    expect(rows[1]["role acc % (test)"]).toBeCloseTo(25);
    expect(rows[1]["level acc % (gold dev)"]).toBeCloseTo(25);
  });

  it("gives mixed splits a column of their own, so that every row fills the same headers", () => {
    const rows = suiteRows([result("dev", "dev", 0.5), result("test", "test", 0.25)]);
    expect(Object.keys(rows[0])).toEqual(Object.keys(rows[1]));
    expect(rows.map((r) => r.split)).toEqual(["dev", "test"]);
    expect(rows.map((r) => r["level split"])).toEqual(["gold dev", "gold test"]);
    expect(rows[1]["role acc %"]).toBeCloseTo(25);
    expect(rows[1]["level acc %"]).toBeCloseTo(25);
  });
});
