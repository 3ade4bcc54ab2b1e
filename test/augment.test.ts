import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import {
  abbreviate,
  addNoise,
  AUGMENTATIONS,
  augmentTitle,
  AugmentRates,
  DEFAULT_AUGMENT_RATES,
  defaultAbbreviations,
  loadAbbreviations,
  NOISE_KINDS,
  reorder,
  typo,
} from "../src/text/augment";
import { Rng } from "../src/util/random";
import { editDistance } from "../src/util/suggest";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jtlab-augment-"));
let tables = 0;

/** A table file made of the given lines (after the header unless `header` is given). */
function tableFile(lines: string[], header = "short\tlong\tnote"): string {
  const file = path.join(tmp, `abbreviations-${tables++}.tsv`);
  fs.writeFileSync(file, [header, ...lines].join("\n") + "\n");
  return file;
}
const tableOf = (...rows: [string, string, string?][]) => loadAbbreviations(tableFile(rows.map(([s, l, n]) => `${s}\t${l}\t${n ?? ""}`)));

/** Every output a seeded function gives for seeds 0..n-1. */
function outputs(f: (rng: Rng) => string | null, n = 200): Set<string | null> {
  const out = new Set<string | null>();
  for (let seed = 0; seed < n; seed++) out.add(f(new Rng(seed)));
  return out;
}

const wordsOf = (s: string): string[] => (s.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.toLowerCase());

/** Whether the words of `inner` appear in `outer` in the same order (other words may come between). */
function keepsWordsInOrder(inner: string, outer: string): boolean {
  const want = wordsOf(inner);
  let i = 0;
  for (const w of wordsOf(outer)) if (i < want.length && w === want[i]) i++;
  return i === want.length;
}

// Real-looking titles, clean and messy, for the property loops below.
const BASE_TITLES = [
  "Software Engineer", "Senior Software Engineer", "Sr. Software Engineer", "Junior Web Developer", "Full Stack Developer",
  "Data Scientist", "Data Analyst", "Business Analyst", "Systems Administrator", "Network Administrator",
  "Database Administrator", "IT Support Specialist", "Help Desk Technician", "DevOps Engineer", "Site Reliability Engineer",
  "Machine Learning Engineer", "QA Engineer", "Quality Assurance Analyst", "Product Manager", "Project Manager",
  "Program Manager", "Engineering Manager", "Director of Engineering", "VP of Engineering", "Chief Technology Officer",
  "Chief Executive Officer", "CEO", "CFO", "Chief Financial Officer", "Chief Operating Officer", "Vice President of Sales",
  "Senior Vice President, Marketing", "Sales Manager", "Manager, Sales", "Regional Sales Manager", "Account Executive",
  "Account Manager", "Sales Representative", "Sales Rep", "Customer Service Representative", "Customer Success Manager",
  "Inside Sales Associate", "Retail Sales Associate", "Cashier", "Barista", "Store Manager", "Assistant Store Manager",
  "Shift Supervisor", "Warehouse Associate", "Warehouse Supervisor", "Forklift Operator", "Truck Driver", "CDL Driver",
  "Delivery Driver", "Package Handler", "Registered Nurse", "RN", "ICU RN", "Licensed Practical Nurse", "LPN",
  "Certified Nursing Assistant", "CNA", "Nurse Practitioner", "Medical Assistant", "Physician Assistant", "Pharmacist",
  "Pharmacy Technician", "Pharmacy Tech", "Physical Therapist", "Occupational Therapist", "Dental Hygienist",
  "Dental Assistant", "Home Health Aide", "Caregiver", "Surgical Technologist", "Radiologic Technologist",
  "Respiratory Therapist", "Medical Records Clerk", "Phlebotomist", "Paramedic", "EMT", "Accountant",
  "Senior Accountant", "Staff Accountant", "Certified Public Accountant", "Bookkeeper", "Payroll Specialist",
  "Financial Analyst", "Controller", "Auditor", "Tax Preparer", "HR Manager", "Human Resources Generalist",
  "HR Business Partner", "Recruiter", "Talent Acquisition Specialist", "Administrative Assistant", "Executive Assistant",
  "Office Manager", "Receptionist", "Front Desk Agent", "Data Entry Clerk", "Marketing Manager", "Marketing Director",
  "Director of Marketing", "Digital Marketing Specialist", "Social Media Manager", "Content Writer", "Copywriter",
  "Graphic Designer", "UX Designer", "Product Designer", "Art Director", "Creative Director", "Public Relations Manager",
  "Communications Coordinator", "Event Coordinator", "Operations Manager", "Director of Operations", "Head of Operations",
  "General Manager", "Plant Manager", "Production Supervisor", "Maintenance Technician", "Maintenance Supervisor",
  "Electrician", "Plumber", "Carpenter", "HVAC Technician", "Welder", "Machinist", "CNC Operator", "Mechanic",
  "Automotive Technician", "Diesel Mechanic", "Construction Laborer", "Construction Project Manager", "Civil Engineer",
  "Mechanical Engineer", "Electrical Engineer", "Chemical Engineer", "Process Engineer", "Manufacturing Engineer",
  "Quality Control Inspector", "Teacher", "Elementary School Teacher", "High School Math Teacher", "Substitute Teacher",
  "Teaching Assistant", "Professor", "Assistant Professor", "Adjunct Instructor", "School Counselor", "Principal",
  "Librarian", "Social Worker", "Licensed Clinical Social Worker", "Case Manager", "Attorney", "Paralegal",
  "Legal Assistant", "Police Officer", "Security Guard", "Firefighter", "Correctional Officer", "Chef", "Sous Chef",
  "Line Cook", "Prep Cook", "Dishwasher", "Server", "Bartender", "Host", "Housekeeper", "Janitor", "Custodian",
  "Landscaper", "Groundskeeper", "Real Estate Agent", "Property Manager", "Insurance Agent", "Claims Adjuster",
  "Loan Officer", "Bank Teller", "Branch Manager", "Investment Analyst", "Portfolio Manager", "Research Scientist",
  "Lab Technician", "Research Assistant", "Postdoctoral Researcher", "Veterinarian", "Veterinary Technician",
  "Dog Groomer", "Flight Attendant", "Pilot", "Travel Agent", "Hotel Manager", "Concierge",
  "Registered Nurse - Boston, MA", "Sr Mgr, Ops", "Software Engineer @ Google", "Part-Time Cashier",
  "Night Shift RN (ICU)", "Asst. Dir. of Admissions", "VP, Sales & Marketing", "Jr. Dev", "Admin Asst",
  "Tech Support Specialist", "Head of IT", "Sales Manager II", "Data Analyst III", "Senior Manager, Operations",
  "Deputy Director of Finance", "Executive Director", "Managing Director", "Founder & CEO", "Co-Founder",
  "Barista | Student", "C# Developer", ".NET Developer", "Node.js Developer", "R&D Engineer", "Med-Surg RN",
  "Ingénieur logiciel", "Müller", "Crew Member", "Team Lead", "Shift Lead", "Lead Engineer", "Intern",
  "Summer Intern", "Graduate Trainee", "Apprentice Electrician", "X-Ray Tech", "Sr.Eng", "IT", "HR", "a", "Ok",
];

/** The base titles, in lower case, in capitals and with a level word: a few hundred in all. */
const TITLES = [...new Set([
  ...BASE_TITLES,
  ...BASE_TITLES.map((t) => t.toLowerCase()),
  ...BASE_TITLES.map((t) => t.toUpperCase()),
  ...BASE_TITLES.filter((_, i) => i % 3 === 0).map((t) => `Senior ${t}`),
])];

describe("the abbreviation table", () => {
  it("data/abbreviations.tsv loads: 60-100 rows, no ambiguous abbreviations, the usual ones present", () => {
    const t = defaultAbbreviations();
    expect(t.entries.length).toBeGreaterThanOrEqual(60);
    expect(t.entries.length).toBeLessThanOrEqual(100);
    const shorts = new Map(t.entries.map((e) => [e.short.toLowerCase(), e.long]));
    for (const bad of ["md", "pa", "ma", "cs", "ta", "pm", "ds", "se", "po", "cso", "prod", "sec"]) expect(shorts.has(bad), bad).toBe(false);
    const want: [string, string][] = [
      ["sr", "Senior"], ["jr", "Junior"], ["mgr", "Manager"], ["eng", "Engineer"], ["asst", "Assistant"], ["dir", "Director"],
      ["vp", "Vice President"], ["coord", "Coordinator"], ["tech", "Technician"], ["admin", "Administrator"], ["rn", "Registered Nurse"],
    ];
    for (const [s, l] of want) expect(shorts.get(s), s).toBe(l);
    expect(defaultAbbreviations()).toBe(t);
  });

  it("marks acronyms and head nouns", () => {
    const byShort = new Map(defaultAbbreviations().entries.map((e) => [e.short, e]));
    expect(byShort.get("RN")?.acronym).toBe(true);
    expect(byShort.get("Sr")?.acronym).toBe(false);
    expect(byShort.get("Tech")?.headNoun).toBe(true);
    expect(byShort.get("Mgr")?.headNoun).toBe(false);
  });

  it("names the file and line of a bad row", () => {
    const cases: [string[], RegExp][] = [
      [["Sr\tSenior\tlevel", "\tManager\tjob"], /:3: empty short form/],
      [["Sr\tSenior\tlevel", "Mgr\t \tjob"], /:3: empty long form for "Mgr"/],
      [["Sr\tSenior\tlevel", "Mgr\tManager\tjob", "sr\tSenior\tagain"], /:4: duplicate short form "sr" \(first on line 2\)/],
      [["Sr.\tSenior\tlevel"], /:2: write the short form without its dot/],
      [["Vice P\tVice President\trank"], /:2: the short form must be one word/],
      [["VP\tVice  President\trank"], /:2: the long form must be words separated by single spaces/],
      [["Sr\tSenior"], /:2: expected 3 tab-separated columns/],
      [["Sr\tsr\tsame"], /:2: the short form "Sr" is the long form/],
    ];
    for (const [lines, re] of cases) {
      const file = tableFile(lines);
      expect(() => loadAbbreviations(file), lines.join(" / ")).toThrow(re);
      expect(() => loadAbbreviations(file)).toThrow(file);
    }
    const bad = tableFile(["Sr\tSenior\tlevel"], "short\tlong");
    expect(() => loadAbbreviations(bad)).toThrow(/:1: unexpected header/);
    expect(() => loadAbbreviations(tableFile([]))).toThrow(/no abbreviations/);
    expect(() => loadAbbreviations(path.join(tmp, "missing.tsv"))).toThrow(/missing\.tsv: cannot be read/);
  });
});

describe("abbreviate", () => {
  const table = tableOf(
    ["Sr", "Senior"], ["Snr", "Senior"], ["Mgr", "Manager"], ["VP", "Vice President"], ["RN", "Registered Nurse"],
    ["IT", "Information Technology"], ["Tech", "Technician", "head noun: Tech Support is technical"], ["Dir", "Director"],
  );

  it("long to short: one whole-word long form, one of its short forms, sometimes with a dot", () => {
    expect(outputs((rng) => abbreviate("Senior Accountant", rng, table))).toEqual(
      new Set(["Sr Accountant", "Sr. Accountant", "Snr Accountant", "Snr. Accountant"]),
    );
    expect(outputs((rng) => abbreviate("Vice President of Sales", rng, table))).toEqual(new Set(["VP of Sales"]));
    expect(outputs((rng) => abbreviate("Registered Nurse - Boston, MA", rng, table))).toEqual(new Set(["RN - Boston, MA"]));
    expect(outputs((rng) => abbreviate("Senior Sales Manager", rng, table))).toEqual(
      new Set(["Sr Sales Manager", "Sr. Sales Manager", "Snr Sales Manager", "Snr. Sales Manager", "Senior Sales Mgr", "Senior Sales Mgr."]),
    );
  });

  it("short to long: a whole token, with or without its dot, in the title's case", () => {
    expect(outputs((rng) => abbreviate("Sr. Accountant", rng, table))).toEqual(new Set(["Senior Accountant"]));
    expect(outputs((rng) => abbreviate("Sr Mgr", rng, table))).toEqual(new Set(["Senior Mgr", "Sr Manager"]));
    expect(outputs((rng) => abbreviate("ICU RN", rng, table))).toEqual(new Set(["ICU Registered Nurse"]));
    expect(outputs((rng) => abbreviate("icu rn", rng, table))).toEqual(new Set(["icu registered nurse"]));
    expect(outputs((rng) => abbreviate("SR ACCOUNTANT", rng, table))).toEqual(new Set(["SENIOR ACCOUNTANT"]));
    expect(outputs((rng) => abbreviate("SENIOR ACCOUNTANT", rng, table))).toEqual(new Set(["SR ACCOUNTANT", "SR. ACCOUNTANT", "SNR ACCOUNTANT", "SNR. ACCOUNTANT"]));
    expect(outputs((rng) => abbreviate("VP, Sales", rng, table))).toEqual(new Set(["Vice President, Sales"]));
    expect(outputs((rng) => abbreviate("it support", rng, table))).toEqual(new Set(["information technology support"]));
  });

  it("leaves words that only contain a form, glued tokens and the word 'it' alone", () => {
    for (const t of ["Seniority Analyst", "Co-Director", "Directorate Clerk", "Sr.Eng", "Make It Happen Lead", "Accountant"]) {
      expect(outputs((rng) => abbreviate(t, rng, table)), t).toEqual(new Set([null]));
    }
  });

  it("spells out a head noun only at the end of its phrase, not after a leader word", () => {
    expect(outputs((rng) => abbreviate("Pharmacy Tech", rng, table))).toEqual(new Set(["Pharmacy Technician"]));
    expect(outputs((rng) => abbreviate("Pharmacy Tech II", rng, table))).toEqual(new Set(["Pharmacy Technician II"]));
    expect(outputs((rng) => abbreviate("Pharmacy Tech - Nights", rng, table))).toEqual(new Set(["Pharmacy Technician - Nights"]));
    expect(outputs((rng) => abbreviate("Tech Support Specialist", rng, table))).toEqual(new Set([null]));
    // "Director of Tech" can still lose "Director" to "Dir", but Tech is not spelled out.
    expect(outputs((rng) => abbreviate("Director of Tech", rng, table))).toEqual(new Set(["Dir of Tech", "Dir. of Tech"]));
  });

  it("works with the project's table", () => {
    expect(outputs((rng) => abbreviate("Sr. Mgr.", rng))).toEqual(new Set(["Senior Mgr.", "Sr. Manager"]));
    expect(outputs((rng) => abbreviate("Registered Nurse", rng))).toEqual(new Set(["RN"]));
  });
});

describe("reorder", () => {
  const cases: [string, string | null][] = [
    ["Sales Manager", "Manager, Sales"],
    ["Manager, Sales", "Sales Manager"],
    ["Director of Marketing", "Marketing Director"],
    ["Marketing Director", "Director of Marketing"],
    ["Director, Marketing", "Marketing Director"],
    ["Manager of Sales", "Sales Manager"],
    ["Head of Sales", "Sales Head"],
    ["Department Head", "Head of Department"],
    ["Vice President of Sales", "Vice President, Sales"],
    ["Vice President, Sales", "Vice President of Sales"],
    ["Sales Vice President", "Vice President of Sales"],
    ["VP of Engineering", "VP, Engineering"],
    ["Production Supervisor", "Supervisor, Production"],
    ["Senior Sales Manager", "Senior Manager, Sales"],
    ["Senior Manager, Operations", "Senior Operations Manager"],
    ["Sr Director of Product Marketing", "Sr Product Marketing Director"],
    ["Sales and Marketing Manager", "Manager, Sales and Marketing"],
    ["Sales Manager II", "Manager, Sales II"],
    ["Sales Manager - Boston, MA", "Manager, Sales - Boston, MA"],
    ["Marketing Director (Remote)", "Director of Marketing (Remote)"],
    ["Sales Manager, EMEA", "Manager of Sales, EMEA"],
    ["Manager, Sales, EMEA", "Sales Manager, EMEA"],
    ["Head of the Department", "Department Head"],
    ["HEAD OF SALES", "SALES HEAD"],
    ["Sr Mgr, Ops", "Sr Ops Mgr"],
    ["VP, Sales & Marketing", "VP of Sales & Marketing"],
    ["Director, Medical", "Medical Director"],
    // Not applicable.
    ["Manager", null],
    ["Senior Manager", null],
    ["General Manager", null],
    ["Managing Director", null],
    ["Software Engineer", null],
    ["Registered Nurse", null],
    ["Manager, Boston", null],
    ["Manager, MA", null],
    ["Manager, Part-Time", null],
    ["Director of Sales for Europe", null],
    ["Chief of Staff", null],
    ["Medical Director", null],
    ["Creative Director", null],
    ["Technical Manager", null],
    ["", null],
  ];
  it("turns a head noun's word order around, both ways", () => {
    for (const [t, want] of cases) expect(reorder(t), JSON.stringify(t)).toBe(want);
  });

  it("round-trips the simple forms", () => {
    for (const t of ["Sales Manager", "Director of Marketing", "Vice President of Sales", "Senior Manager, Operations"]) {
      expect(reorder(reorder(t)!), t).toBe(t);
    }
  });
});

describe("typo", () => {
  it("one edit: distance 1, inside a word of four or more letters, first letters kept", () => {
    const seen = new Set<string | null>();
    for (let seed = 0; seed < 300; seed++) {
      const out = typo("Registered Nurse", new Rng(seed), 1);
      expect(out).not.toBeNull();
      expect(editDistance("Registered Nurse", out!)).toBe(1);
      expect(out!.split(" ").map((w) => w[0])).toEqual(["R", "N"]);
      seen.add(out);
    }
    // All four kinds of edit occur: a deletion, a doubled letter, a substitution, a transposition.
    const outs = [...seen] as string[];
    expect(outs.some((o) => o.length === 15)).toBe(true);
    expect(outs.some((o) => o.length === 17)).toBe(true);
    expect(outs.includes("Registered Nusre") || outs.some((o) => o.length === 16 && [...o].sort().join() === [..."Registered Nurse"].sort().join())).toBe(true);
    expect(seen.size).toBeGreaterThan(40);
  });

  it("two edits: distance 1 or 2, never the first letter", () => {
    const dist = new Set<number>();
    for (let seed = 0; seed < 300; seed++) {
      const out = typo("Software Engineer", new Rng(seed), 2)!;
      const d = editDistance("Software Engineer", out);
      expect(d).toBeGreaterThanOrEqual(1);
      expect(d).toBeLessThanOrEqual(2);
      dist.add(d);
      expect(out.split(" ").map((w) => w[0])).toEqual(["S", "E"]);
    }
    expect(dist.has(2)).toBe(true);
  });

  it("leaves short words alone and gives null when no word has four letters", () => {
    for (let seed = 0; seed < 100; seed++) expect(typo("ICU RN Nurse", new Rng(seed))!.startsWith("ICU RN N")).toBe(true);
    for (const t of ["RN", "ICU RN", "Sr. VP", "", "C++", "2nd"]) expect(typo(t, new Rng(1)), t).toBeNull();
  });

  it("keeps the case of a substituted letter", () => {
    for (let seed = 0; seed < 100; seed++) {
      const out = typo("NURSE", new Rng(seed))!;
      expect(out).toBe(out.toUpperCase());
    }
  });
});

describe("addNoise", () => {
  it("each kind adds a remark and keeps the title's words in order", () => {
    for (const kind of NOISE_KINDS) {
      for (let seed = 0; seed < 50; seed++) {
        const out = addNoise("Registered Nurse", new Rng(seed), { kind });
        expect(out, kind).not.toBeNull();
        expect(out).not.toBe("Registered Nurse");
        expect(keepsWordsInOrder("Registered Nurse", out!), `${kind}: ${out}`).toBe(true);
      }
    }
  });

  it("writes the remarks users write", () => {
    const all = (kind: (typeof NOISE_KINDS)[number], t = "Registered Nurse") => [...outputs((rng) => addNoise(t, rng, { kind }), 300)] as string[];
    expect(all("location").some((o) => /^Registered Nurse - [A-Z][a-z]+( [A-Z][a-z]+)?, [A-Z]{2}$/.test(o))).toBe(true);
    expect(all("location").some((o) => /^Registered Nurse \([A-Z][a-z ]+\)$/.test(o))).toBe(true);
    expect(all("location").some((o) => /^Registered Nurse in [A-Z]/.test(o))).toBe(true);
    expect(all("shift")).toContain("Registered Nurse - Night Shift");
    expect(all("schedule")).toContain("Part-Time Registered Nurse");
    expect(all("schedule")).toContain("Registered Nurse (Remote)");
    expect(all("employer")).toContain("Registered Nurse at Acme Corp");
    expect(all("employer")).toContain("Registered Nurse @ Walmart");
    expect(all("employer")).toContain("Registered Nurse | Deloitte");
    expect(new Set(all("level"))).toEqual(new Set(["I", "II", "III", "IV", "1", "2", "3"].map((n) => `Registered Nurse ${n}`)));
    expect(all("parentheses")).toEqual(["Registered Nurse (RN)"]);
    expect(all("parentheses", "Registered Nurse - Night Shift")).toEqual(["Registered Nurse (Night Shift)"]);
    expect(all("parentheses", "Cashier").every((o) => /^Cashier \(.+\)$/.test(o))).toBe(true);
  });

  it("adds no second level numeral, and any kind that applies when none is asked for", () => {
    expect(addNoise("Engineer II", new Rng(1), { kind: "level" })).toBeNull();
    for (let seed = 0; seed < 50; seed++) expect(addNoise("Engineer II", new Rng(seed))).not.toBeNull();
    expect(addNoise("", new Rng(1))).toBeNull();
    expect(addNoise(" - ", new Rng(1))).toBeNull();
  });
});

describe("augmentTitle", () => {
  const zero: AugmentRates = { abbreviation: 0, wordOrder: 0, typo: 0, noise: 0 };
  const one: AugmentRates = { abbreviation: 1, wordOrder: 1, typo: 1, noise: 1 };

  it("lists the transformations in the order it applies them", () => {
    expect([...AUGMENTATIONS]).toEqual(["abbreviation", "word-order", "noise", "typo"]);
    for (const r of Object.values(DEFAULT_AUGMENT_RATES)) expect(r >= 0 && r <= 1).toBe(true);
  });

  it("with every rate 0 returns the title unchanged", () => {
    for (let seed = 0; seed < 50; seed++) {
      expect(augmentTitle("Senior Sales Manager", new Rng(seed), zero)).toEqual({ title: "Senior Sales Manager", applied: [] });
    }
  });

  it("with every rate 1 applies each that applies, in order", () => {
    for (let seed = 0; seed < 50; seed++) {
      const r = augmentTitle("Senior Sales Manager", new Rng(seed), one);
      expect(r.applied).toEqual(["abbreviation", "word-order", "noise", "typo"]);
      expect(r.title).not.toBe("Senior Sales Manager");
    }
    // Nothing but noise applies to a word with no abbreviation, no head and fewer than four letters.
    for (let seed = 0; seed < 20; seed++) expect(augmentTitle("Cook", new Rng(seed), { ...zero, noise: 1, wordOrder: 1, abbreviation: 1 }).applied).toEqual(["noise"]);
    expect(augmentTitle("??", new Rng(1), one)).toEqual({ title: "??", applied: [] });
  });

  it("applies one transformation alone when only its rate is 1", () => {
    const only = (k: keyof AugmentRates) => augmentTitle("Senior Sales Manager", new Rng(3), { ...zero, [k]: 1 });
    expect(only("abbreviation").applied).toEqual(["abbreviation"]);
    expect(only("wordOrder")).toEqual({ title: "Senior Manager, Sales", applied: ["word-order"] });
    expect(only("noise").applied).toEqual(["noise"]);
    expect(only("typo").applied).toEqual(["typo"]);
  });

  it("refuses a rate outside [0, 1]", () => {
    expect(() => augmentTitle("Nurse", new Rng(1), { ...zero, typo: 1.5 })).toThrow(/rate typo must be in \[0, 1\]/);
    expect(() => augmentTitle("Nurse", new Rng(1), { ...zero, noise: Number.NaN })).toThrow(/rate noise/);
  });

  it("is deterministic for a seed, and the seed matters", () => {
    const run = (seed: number) => {
      const rng = new Rng(seed);
      return TITLES.map((t) => augmentTitle(t, rng, DEFAULT_AUGMENT_RATES));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
    const each = (seed: number) => {
      const rng = new Rng(seed);
      return TITLES.map((t) => [abbreviate(t, rng), typo(t, rng, 2), addNoise(t, rng)]);
    };
    expect(each(7)).toEqual(each(7));
  });
});

describe("every transformation on a few hundred titles", () => {
  it("has enough titles to mean something", () => {
    expect(TITLES.length).toBeGreaterThan(500);
  });

  it("never throws; what it returns is non-empty and differs from the title", () => {
    const applied = new Map<string, number>();
    for (const [i, t] of TITLES.entries()) {
      for (let seed = 0; seed < 4; seed++) {
        const rng = new Rng(1000 * i + seed);
        const outs: [string, string | null][] = [
          ["abbreviate", abbreviate(t, rng)],
          ["reorder", reorder(t)],
          ["typo1", typo(t, rng, 1)],
          ["typo2", typo(t, rng, 2)],
          ["noise", addNoise(t, rng)],
        ];
        for (const [name, out] of outs) {
          if (out === null) continue;
          applied.set(name, (applied.get(name) ?? 0) + 1);
          expect(out.trim(), `${name}(${JSON.stringify(t)})`).not.toBe("");
          expect(out, `${name}(${JSON.stringify(t)})`).not.toBe(t);
          expect(out, `${name}(${JSON.stringify(t)})`).toBe(out.trim());
          expect(out, `${name}(${JSON.stringify(t)})`).not.toMatch(/\s{2}/);
        }
        const typed = typo(t, new Rng(seed), 2);
        if (typed !== null) expect(editDistance(t, typed), t).toBeLessThanOrEqual(2);
        const noisy = addNoise(t, new Rng(seed));
        if (noisy !== null) expect(keepsWordsInOrder(t, noisy), `${t} -> ${noisy}`).toBe(true);
        const r = augmentTitle(t, rng, { abbreviation: 0.5, wordOrder: 0.5, typo: 0.5, noise: 0.5 });
        expect(r.title.trim()).not.toBe("");
        if (r.applied.length === 0) expect(r.title).toBe(t);
        else expect(r.title).not.toBe(t);
      }
    }
    // Each applies to a fair share of the titles.
    const n = TITLES.length * 4;
    expect(applied.get("abbreviate")! / n).toBeGreaterThan(0.3);
    expect(applied.get("reorder")! / n).toBeGreaterThan(0.1);
    expect(applied.get("typo1")! / n).toBeGreaterThan(0.8);
    expect(applied.get("noise")! / n).toBeGreaterThan(0.95);
  });

  it("reordering twice gives back the title for the titles it reorders (up to spacing)", () => {
    let n = 0;
    for (const t of TITLES) {
      const once = reorder(t);
      if (once === null) continue;
      const twice = reorder(once);
      expect(twice, `${t} -> ${once}`).not.toBeNull();
      if (twice === t) n++;
    }
    expect(n).toBeGreaterThan(20);
  });
});
