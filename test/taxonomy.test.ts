import { describe, expect, it } from "vitest";
import { loadOccupations } from "../src/data/onet";
import { loadOnsIndex, loadSocFramework } from "../src/data/ons";
import { INDUSTRIES, LEVELS, parseClass, ROLES } from "../src/taxonomy/classes";
import { CrosswalkEntry, onetCrosswalk, onsCrosswalk, roleForTitle } from "../src/taxonomy/crosswalk";
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

  it("tag each row with its own minor group's default or as an exception", () => {
    expectMinorGroupTags(onetCrosswalk(), onetMinorGroup);
    expectMinorGroupTags(onsCrosswalk(), (code) => code.slice(0, 3));
  });

  it("find the SOC minor group that contains an O*NET occupation, including the two three-digit ones", () => {
    expect(onetMinorGroup("11-1011.03")).toBe("11-1000");
    expect(onetMinorGroup("15-1252.00")).toBe("15-1200");
    expect(onetMinorGroup("15-2031.00")).toBe("15-2000");
    expect(onetMinorGroup("31-1122.00")).toBe("31-1100");
    expect(onetMinorGroup("31-9011.00")).toBe("31-9000");
  });
});

// SOC 2018 minor groups are the code up to the first digit after the hyphen, then zeros, except these two, which
// keep three digits (data/crosswalks/RULES.md). A group contains the codes that start with its code less the zeros.
const THREE_DIGIT_ONET_GROUPS = ["15-1200", "31-1100"];

function onetMinorGroup(code: string): string {
  return THREE_DIGIT_ONET_GROUPS.find((g) => code.startsWith(g.replace(/0+$/, ""))) ?? `${code.slice(0, 4)}000`;
}

/**
 * Every row is "exception" or `minor:<the group containing its code>`; the rows tagged with one group share that
 * group's default role and industry; an exception differs from its group's default (else it was not changed).
 */
function expectMinorGroupTags(x: Map<string, CrosswalkEntry>, groupOf: (code: string) => string): void {
  const defaults = new Map<string, CrosswalkEntry>();
  for (const e of x.values()) {
    if (e.rule === "exception") continue;
    const group = groupOf(e.code);
    expect(e.rule, e.code).toBe(`minor:${group}`);
    const first = defaults.get(group);
    if (!first) defaults.set(group, e);
    else expect({ code: e.code, role: e.role, industry: e.industry }).toEqual({ code: e.code, role: first.role, industry: first.industry });
  }
  for (const e of x.values()) {
    const d = e.rule === "exception" ? defaults.get(groupOf(e.code)) : undefined;
    if (d) expect(`${e.role} / ${e.industry}`, `${e.code} is an exception to minor:${groupOf(e.code)}`).not.toBe(`${d.role} / ${d.industry}`);
  }
}
