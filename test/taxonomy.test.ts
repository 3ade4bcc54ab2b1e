import { describe, expect, it } from "vitest";
import { loadOccupations } from "../src/data/onet";
import { loadOnsIndex, loadSocFramework } from "../src/data/ons";
import { INDUSTRIES, LEVELS, parseClass, ROLES } from "../src/taxonomy/classes";
import { onetCrosswalk, onsCrosswalk, roleForTitle } from "../src/taxonomy/crosswalk";
import { normKey } from "../src/text/normalize";

describe("the talk's classes", () => {
  it("has 19 roles, 9 levels + Other, 14 industries", () => {
    expect(ROLES).toHaveLength(19);
    expect(LEVELS).toHaveLength(10);
    expect(LEVELS[LEVELS.length - 1]).toBe("Other");
    expect(INDUSTRIES).toHaveLength(14);
  });
  it("rejects an unknown class with a hint", () => {
    expect(() => parseClass("role", "engineering")).toThrow(/unknown Functional Role class "engineering" \(did you mean "Engineering"\?\)/);
    expect(() => parseClass("level", "Boss")).toThrow(/unknown Level class "Boss"/);
    expect(parseClass("industry", "Environment")).toBe("Environment");
  });
});

describe("crosswalks", () => {
  it("cover every O*NET-SOC occupation exactly once, with the occupation's title", () => {
    const x = onetCrosswalk();
    const occ = loadOccupations();
    expect(x.size).toBe(1016);
    for (const o of occ) expect(x.get(o.code)?.title).toBe(o.title);
  });

  it("cover every ONS SOC 2020 unit group of the coding index and the framework", () => {
    const x = onsCrosswalk();
    const inIndex = new Set(loadOnsIndex().map((e) => e.unitGroup));
    const inFramework = new Set(loadSocFramework().filter((g) => g.level === "unit").map((g) => g.code));
    expect(x.size).toBe(412);
    for (const c of inIndex) expect(x.has(c), c).toBe(true);
    for (const c of inFramework) expect(x.has(c), c).toBe(true);
  });

  it("use every role class but Product mgmt. (which comes from the title rules)", () => {
    const used = new Set([...onetCrosswalk().values(), ...onsCrosswalk().values()].map((e) => e.role));
    expect(ROLES.filter((r) => !used.has(r))).toEqual(["Product mgmt."]);
    expect(roleForTitle(normKey("Technical Product Manager"), "Marketing")).toBe("Product mgmt.");
    expect(roleForTitle(normKey("Product Marketing Manager"), "Marketing")).toBe("Marketing");
  });

  it("tag each row with its minor-group default or as an exception", () => {
    for (const e of onetCrosswalk().values()) expect(e.rule === "exception" || e.rule === `minor:${e.code.slice(0, 5)}00` || e.rule.startsWith("minor:")).toBe(true);
    for (const e of onsCrosswalk().values()) expect(e.rule === "exception" || e.rule === `minor:${e.code.slice(0, 3)}`).toBe(true);
  });
});
