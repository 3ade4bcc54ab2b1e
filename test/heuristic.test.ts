import { describe, expect, it } from "vitest";
import { loadGoldenCases, passesGoldenCase } from "../src/datasets/gold";
import { HeuristicClassifier } from "../src/models/heuristic/classifier";
import { levelOf, roleParts } from "../src/models/heuristic/level-rules";

const heads = new Set(["engineer", "developer", "nurse", "manager", "professor", "auditor", "specialist", "officer", "analyst", "cook"]);
const h = new HeuristicClassifier({ trainingTitles: ["Software Engineer", "Software Engineer", "Registered Nurse", "Registered Nurse", "Cook", "Cook", "Line Cook"] });

describe("the keyword heuristic (the talk's 'before')", () => {
  it("naive keywords in the talk's class order make exactly the talk's mistakes", () => {
    const naive = new HeuristicClassifier({ ruleSet: "naive" });
    expect(naive.role("Sales Engineer")).toMatchObject({ label: "Engineering", rule: "role:noun:engineer" });
    expect(naive.role("Business Developer")).toMatchObject({ label: "Engineering", rule: "role:noun:engineer" });
    expect(naive.role("Programmer Marketing Team")).toMatchObject({ label: "Marketing", rule: "role:function:marketing" });
  });

  it("priority rules fix each failure with a rule of its own, and say which rule fired", () => {
    expect(h.role("Sales Engineer")).toMatchObject({ label: "Sales & Account Mgmt", rule: "role:phrase:sales-engineer", confidence: 0.9 });
    expect(h.role("Business Developer")).toMatchObject({ label: "Sales & Account Mgmt", rule: "role:phrase:business-development" });
    expect(h.role("Programmer Marketing Team")).toMatchObject({ label: "Engineering", rule: "role:noun:engineer" });
    expect(h.role("Senior Java Developer")).toMatchObject({ label: "Engineering", rule: "role:noun:engineer" });
    expect(h.role("Director of IT")).toMatchObject({ label: "IT Ops & Technology", rule: "role:function:it" });
    expect(h.role("Queen of the World")).toMatchObject({ label: "Other", confidence: 0, rule: "none" });
  });

  it("matches whole words only", () => {
    expect(h.level("Internal Auditor").label).not.toBe("Entry-level");
    expect(h.role("Itinerant Teacher").rule).not.toBe("role:function:it");
  });

  it("passes every golden case", () => {
    const failures = loadGoldenCases().filter((c) => !passesGoldenCase(c, (t, type) => h.classify(t, type).label));
    expect(failures).toEqual([]);
  });
});

describe("Level rules (data/gold/level-guide.md)", () => {
  it.each([
    ["Founder & CEO", "CEO/(Co)Founder/Owner", "level:ceo:founder-owner"],
    ["Co-founder & CTO", "CEO/(Co)Founder/Owner", "level:ceo:founder-owner"],
    ["Chief Financial Officer", "C-Level & Partner", "level:c:chief-x-officer"],
    ["Chief Police Officer", "VP/Head of", "level:vp:chief-public-office"],
    ["VP of Marketing", "VP/Head of", "level:vp:vp"],
    ["Head of Growth", "VP/Head of", "level:vp:head-of"],
    ["Director of IT", "Director, Sr. Director, Associate Director", "level:director"],
    ["Team Lead, Customer Support", "Group Manager, Lead, Coordinator", "level:lead:head"],
    ["Lead Generation Specialist", "Specialist, Professional, Analyst", "level:specialist:lead-object"],
    ["Middle East Sales Manager", "Manager, Sr. Manager, Supervisor, Strategist", "level:manager:head"],
    ["Associate Professor", "Specialist, Professional, Analyst", "level:specialist:academic-clinical"],
    ["Marketing Intern", "Entry-level", "level:entry:marker"],
    ["Software Engineer I", "Entry-level", "level:entry:marker"],
    ["Software Engineer II", "Specialist, Professional, Analyst", "level:specialist:occupation"],
    ["L3 Support Engineer", "Specialist, Professional, Analyst", "level:specialist:occupation"],
    ["Dental Assistant (DA)", "Entry-level", "level:entry:supporting-role"],
    ["Queen of the World", "Other", "level:other:no-role-word"],
    ["10/6;", "Other", "level:other:no-role-word"],
  ])("%s -> %s", (title, label, rule) => {
    expect(levelOf(title, heads)).toEqual({ label, rule });
  });

  it("splits combined titles but not a department after a comma", () => {
    expect(roleParts("Founder & CEO")).toEqual(["Founder", "CEO"]);
    expect(roleParts("Owner/Manager")).toEqual(["Owner", "Manager"]);
  });
});
