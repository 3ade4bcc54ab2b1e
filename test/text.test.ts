import { describe, expect, it } from "vitest";
import { CharEncoder, PAD, UNKNOWN } from "../src/text/chars";
import { foldText, normalizeTitle, normKey } from "../src/text/normalize";
import { phraseToken, tokenize } from "../src/text/tokenize";
import { seniorityRank } from "../src/text/seniority";

describe("normalization (the talk's Step 0)", () => {
  it("lower-cases, replaces & / and punctuation, and keeps seniority markers apart", () => {
    const n = normalizeTitle("Sr. Java Developer / Team-Lead & Architect");
    expect(n.words).toEqual(["sr", "java", "developer", "team", "lead", "and", "architect"]);
    expect(n.core).toEqual(["java", "developer", "team", "lead", "and", "architect"]);
    expect(n.seniority).toEqual(["senior"]);
    expect(n.norm).toBe("senior java developer team lead and architect");
  });

  it("spells out Jr/Sr so that variants share one key", () => {
    expect(normKey("Sr. Accountant")).toBe(normKey("Senior Accountant"));
    expect(normKey("Jr Analyst")).toBe(normKey("junior analyst"));
    expect(normKey("Snr. Analyst")).toBe("senior analyst");
  });

  it("parses grade numerals and level codes as seniority", () => {
    expect(normalizeTitle("Software Engineer II")).toMatchObject({ core: ["software", "engineer"], seniority: ["grade:2"] });
    expect(normalizeTitle("L3 Support Engineer")).toMatchObject({ core: ["support", "engineer"], seniority: ["grade:3"] });
    // A lone "I" is a word, not a grade.
    expect(normalizeTitle("I").core).toEqual(["i"]);
  });

  it("handles unicode: folds Latin accents, keeps other scripts", () => {
    expect(normKey("Gérant de Café")).toBe("gerant de cafe");
    expect(normKey("Инженер-программист")).toBe("инженер программист");
    expect(normKey("営業 マネージャー")).toBe("営業 マネージャー");
    expect(foldText("ÉCOLE")).toBe("ecole");
  });

  it("keeps digits and technology names that punctuation would erase", () => {
    expect(normalizeTitle("10/6;").words).toEqual(["10", "6"]);
    expect(normalizeTitle("C++ / C# Developer, .NET").words).toEqual(["c++", "c#", "developer", "dotnet"]);
  });

  it("gives empty results for empty and punctuation-only input", () => {
    for (const t of ["", "   ", "!!!", "---"]) {
      expect(normalizeTitle(t)).toEqual({ norm: "", words: [], core: [], seniority: [] });
      expect(tokenize(t)).toEqual([]);
    }
  });
});

describe("tokenization", () => {
  it("adds di-grams of adjacent words", () => {
    expect(tokenize("Account Manager")).toEqual(["account", "manager", "account_manager"]);
  });
  it("drops stop words before forming di-grams", () => {
    expect(tokenize("VP of Marketing")).toEqual(["vp", "marketing", "vp_marketing"]);
  });
  it("can keep seniority words and drop di-grams", () => {
    expect(tokenize("Senior Analyst", { seniorityTokens: true, digrams: false })).toEqual(["senior", "analyst"]);
  });
  it("turns a skill phrase into one token", () => {
    expect(phraseToken("Microsoft Excel")).toBe("microsoft_excel");
  });
});

describe("character encoder", () => {
  const enc = new CharEncoder({ maxLength: 8 });
  it("maps known characters, marks unknown ones, pads and cuts", () => {
    const a = enc.encode("Ab");
    expect(a.length).toBe(8);
    expect(a[0]).toBeGreaterThan(UNKNOWN);
    expect(a[0]).toBe(enc.encode("a")[0]);
    expect([...a.slice(2)]).toEqual(new Array(6).fill(PAD));
    expect(enc.encode("ж")[0]).toBe(UNKNOWN);
    expect(enc.encode("a very long title indeed").length).toBe(8);
  });
  it("encodes empty input as all padding", () => {
    expect([...enc.encode("")]).toEqual(new Array(8).fill(PAD));
  });
  it("folds accents and case before encoding", () => {
    expect([...enc.encode("CAFÉ")]).toEqual([...enc.encode("cafe")]);
  });
  it("encodes a batch row by row", () => {
    const b = enc.encodeBatch(["ab", "cd"]);
    expect([...b.slice(8, 16)]).toEqual([...enc.encode("cd")]);
  });
  it("rejects an alphabet with repeats", () => {
    expect(() => new CharEncoder({ alphabet: "aa" })).toThrow(/repeats/);
  });
});

describe("seniority rank", () => {
  it("orders a career", () => {
    const titles = ["Marketing Director", "Marketing Intern", "Marketing Manager", "Marketing Specialist", "Chief Marketing Officer"];
    expect(titles.map(seniorityRank)).toEqual([5, 0, 4, 2, 6]);
  });
});
