import { describe, expect, it } from "vitest";
import { cleanTitle, explainClean } from "../src/text/clean";

const cases = (pairs: [string, string][]): void => {
  for (const [input, want] of pairs) expect(cleanTitle(input), JSON.stringify(input)).toBe(want);
};

describe("cleanTitle: employers", () => {
  it("drops @ X, at X, | X and a legal suffix", () => {
    cases([
      ["Software Engineer @ Google", "Software Engineer"],
      ["Software Engineer at Google", "Software Engineer"],
      ["Data Analyst at Acme Corp, Inc.", "Data Analyst"],
      ["Software Engineer | Google", "Software Engineer"],
      ["Engineer, Acme Inc.", "Engineer"],
      ["Nurse - Acme Health LLC", "Nurse"],
      ["Accountant for Smith & Co.", "Accountant"],
    ]);
  });

  it("keeps 'at' and 'for' when they belong to the job", () => {
    cases([
      ["Attorney at Law", "Attorney at Law"],
      ["Sergeant at Arms", "Sergeant at Arms"],
      ["Caster at machine", "Caster at machine"],
      ["Teacher for the Deaf", "Teacher for the Deaf"],
      ["Special Education Teacher for Adults with Disabilities", "Special Education Teacher for Adults with Disabilities"],
      ["Clerk to the justices", "Clerk to the justices"],
    ]);
  });

  it("drops whom an assistant works for", () => {
    cases([
      ["Exec. Asst. to the CEO", "Executive Assistant"],
      ["Chief of Staff to the CEO", "Chief of Staff"],
    ]);
  });

  it("keeps a second role after a pipe, not an employer or a skill", () => {
    cases([
      ["Barista | Student", "Barista / Student"],
      ["Software Engineer | Google | AWS", "Software Engineer"],
    ]);
  });
});

describe("cleanTitle: places", () => {
  it("drops a city and state, a city, a country, remote and hybrid", () => {
    cases([
      ["Registered Nurse - Boston, MA", "Registered Nurse"],
      ["Registered Nurse – Boston", "Registered Nurse"],
      ["Sr. Software Engineer, Springfield, IL 62701", "Senior Software Engineer"],
      ["Retail Assistant (London, UK)", "Retail Assistant"],
      ["Retail Assistant, London", "Retail Assistant"],
      ["Project Manager based in Austin, TX", "Project Manager"],
      ["London-based Accountant", "Accountant"],
      ["Nurse in London", "Nurse"],
      ["Software Engineer (Remote)", "Software Engineer"],
      ["Software Engineer - Remote, US", "Software Engineer"],
      ["Product Designer Hybrid", "Product Designer"],
    ]);
  });

  it("keeps what only looks like a place", () => {
    cases([
      ["Remote Sensing Engineer", "Remote Sensing Engineer"],
      ["Hybrid Car Mechanic", "Hybrid Car Mechanic"],
      ["Homicide Squad Commanding Officer (Homicide Squad CO)", "Homicide Squad Commanding Officer (Homicide Squad CO)"],
      ["Medical Doctor (MD)", "Medical Doctor (MD)"],
      ["Cloth Measurer, Machine", "Cloth Measurer, Machine"],
      ["Preschool Teachers, Except Special Education", "Preschool Teachers, Except Special Education"],
      ["Software Engineer - Backend", "Software Engineer - Backend"],
    ]);
  });
});

describe("cleanTitle: schedules and contracts", () => {
  it("drops shifts, part/full time, per diem, seasonal and contract remarks", () => {
    cases([
      ["PT Cashier (weekends)", "Cashier"],
      ["Night Shift Warehouse Associate", "Warehouse Associate"],
      ["Warehouse Associate 2nd Shift", "Warehouse Associate"],
      ["RN - Nights", "Registered Nurse"],
      ["Part-Time Sales Associate", "Sales Associate"],
      ["Full Time Barista", "Barista"],
      ["Per Diem Medical Assistant", "Medical Assistant"],
      ["Seasonal Retail Associate", "Retail Associate"],
      ["Temp Receptionist", "Receptionist"],
      ["Software Developer - Contract", "Software Developer"],
      ["Data Analyst (Summer 2024)", "Data Analyst"],
      ["Sales Associate - Part Time - $15/hr", "Sales Associate"],
      ["Transporter PRN (Transporter Pro Re Nata)", "Transporter"],
    ]);
  });

  it("keeps levels and the titles that need the word", () => {
    cases([
      ["Summer Intern", "Summer Intern"],
      ["Software Engineering Intern", "Software Engineering Intern"],
      ["Seasonal worker", "Seasonal worker"],
      ["Part-time help", "Part-time help"],
      ["Temporary Help Agency Referral Clerk", "Temporary Help Agency Referral Clerk"],
      ["Night guard", "Night guard"],
      ["Weekend Anchor", "Weekend Anchor"],
      ["Shift Supervisor", "Shift Supervisor"],
    ]);
  });

  it("reads PT as physical therapy next to clinical words, part-time elsewhere", () => {
    cases([
      ["PT", "Physical Therapist"],
      ["Travel PT", "Travel Physical Therapist"],
      ["PT Aide", "Physical Therapy Aide"],
      ["PT Cashier", "Cashier"],
      ["Cashier PT", "Cashier"],
    ]);
  });
});

describe("cleanTitle: remarks, punctuation, casing", () => {
  it("drops hiring noise, gender markers, ids, emoji and stray punctuation", () => {
    cases([
      ["Senior Developer (Urgently Hiring!)", "Senior Developer"],
      ["Developer (m/w/d)", "Developer"],
      ["Java Developer Req #12345", "Java Developer"],
      ["🔥 Barista 🔥", "Barista"],
      ["Welder!!!", "Welder"],
      ["Barista -", "Barista"],
      ["  Project   Manager  ", "Project Manager"],
      ['"Office Manager"', "Office Manager"],
    ]);
  });

  it("puts an all-caps title in title case, keeping acronyms", () => {
    cases([
      ["REGISTERED NURSE - BOSTON, MA", "Registered Nurse"],
      ["IT MANAGER", "IT Manager"],
      ["SR. SOFTWARE ENGINEER - REMOTE", "Senior Software Engineer"],
      // A single capitalised word may be an acronym.
      ["ACIS", "ACIS"],
    ]);
  });

  it("keeps apostrophes and technology names", () => {
    cases([
      ["Workers' Compensation Attorney", "Workers' Compensation Attorney"],
      [".NET Dev", ".NET Developer"],
      ["C++ Dev", "C++ Developer"],
      ["C# Developer", "C# Developer"],
    ]);
  });
});

describe("cleanTitle: abbreviations", () => {
  it("spells out common job-title abbreviations", () => {
    cases([
      ["Sr. SWE", "Senior Software Engineer"],
      ["Jr Dev", "Junior Developer"],
      ["Mktg Coord.", "Marketing Coordinator"],
      ["Cust Svc Rep", "Customer Service Representative"],
      ["Asst. Mgr", "Assistant Manager"],
      ["V.P. of Sales", "Vice President of Sales"],
      ["SVP Ops", "Senior Vice President Operations"],
      ["CEO", "Chief Executive Officer"],
      ["HR Bus. Partner", "Human Resources Bus. Partner"],
      ["HRBP", "Human Resources Business Partner"],
      ["RN", "Registered Nurse"],
      ["Med Surg RN", "Medical Surgical Registered Nurse"],
      ["Certified Physician Assistant (PA-C)", "Certified Physician Assistant"],
      ["sr data sci", "senior data scientist"],
      ["SDR", "Sales Development Representative"],
      ["PM", "Project Manager"],
      ["Senior PM", "Senior Project Manager"],
    ]);
  });

  it("reads positional abbreviations by position", () => {
    cases([
      ["Sys Admin", "Systems Administrator"],
      ["Admin Assistant", "Administrative Assistant"],
      ["Director of Admin", "Director of Administration"],
      ["VP Eng", "Vice President Engineering"],
      ["Eng Manager", "Engineering Manager"],
      ["Software Eng", "Software Engineer"],
      ["Tech Lead", "Technical Lead"],
      ["Pharmacy Tech II", "Pharmacy Technician II"],
      ["Head of Tech", "Head of Technology"],
      ["Web Dev", "Web Developer"],
      ["Business Dev Manager", "Business Development Manager"],
      ["Acct Mgr", "Account Manager"],
      ["Sr Acct", "Senior Accountant"],
      ["PM and R Physician", "PM and R Physician"],
    ]);
  });

  it("expands whole words only, never inside a word or a hyphenated word", () => {
    cases([
      ["Managerial Accountant", "Managerial Accountant"],
      ["Technician", "Technician"],
      ["Developer Advocate", "Developer Advocate"],
      ["Administrator", "Administrator"],
      ["DevOps Engineer", "DevOps Engineer"],
      ["Co-Founder", "Co-Founder"],
      ["Med-Surg Nurse", "Med-Surg Nurse"],
      ["Constructor", "Constructor"],
    ]);
  });

  it("keeps abbreviations that the labelled titles themselves use", () => {
    cases([
      ["IT Support Technician", "IT Support Technician"],
      ["UX Designer", "UX Designer"],
      ["HVAC Technician", "HVAC Technician"],
      ["ICU Nurse", "ICU Nurse"],
    ]);
  });

  it("drops a bracket that only repeats the title once both are spelled out", () => {
    cases([
      ["Registered Nurse (RN)", "Registered Nurse"],
      ["Plant Tech (Plant Technician)", "Plant Technician"],
      ["Customer Service Representative (CSR)", "Customer Service Representative"],
      ["Nurse (RN)", "Nurse (Registered Nurse)"],
      ["Registered Nurse (ICU)", "Registered Nurse (ICU)"],
      ["Emergency Medical Technician - Basic (EMT-B)", "Emergency Medical Technician - Basic (EMT-B)"],
      ["Direct Support (DIRSUP)/Ships Signals Exploitation Equipment Operator", "Direct Support (DIRSUP)/Ships Signals Exploitation Equipment Operator"],
    ]);
  });
});

describe("cleanTitle: several roles", () => {
  it("cleans each role and does not split them", () => {
    cases([
      ["Founder & CEO / Lead Developer", "Founder & Chief Executive Officer / Lead Developer"],
      ["CEO at Acme / Lead Dev", "Chief Executive Officer / Lead Developer"],
    ]);
  });
});

describe("cleanTitle: edge cases", () => {
  it("returns an empty string for empty or punctuation-only input", () => {
    for (const x of ["", "   ", "!!!", "- / -", "()", "🔥🔥"]) expect(cleanTitle(x), JSON.stringify(x)).toBe("");
  });

  it("never returns an empty string for a title with letters", () => {
    for (const x of ["Remote", "Night Shift", "Part Time", "(Remote)", "@ Google", "Boston, MA", "Urgently Hiring", "PT", "a", "Summer 2024"]) {
      const c = cleanTitle(x);
      expect(c, JSON.stringify(x)).not.toBe("");
      expect(/\p{L}/u.test(c), JSON.stringify(x)).toBe(true);
    }
    // If everything would go, the original (trimmed) comes back.
    expect(cleanTitle("  Remote ")).toBe("Remote");
    expect(cleanTitle("Night Shift")).toBe("Night Shift");
  });

  it("leaves non-Latin scripts untouched", () => {
    for (const x of ["软件工程师", "Инженер-программист (Москва)", "営業 マネージャー", "مهندس برمجيات", "Sr. Engineer 工程师"]) expect(cleanTitle(x)).toBe(x);
  });

  it("keeps accented Latin titles and cleans them", () => {
    expect(cleanTitle("Gérant de Café - Paris")).toBe("Gérant de Café");
  });

  it("is pure: the same input gives the same output", () => {
    expect(cleanTitle("Sr. SWE @ Google")).toBe(cleanTitle("Sr. SWE @ Google"));
  });
});

describe("explainClean", () => {
  it("lists what was removed and expanded", () => {
    const e = explainClean("Sr. SWE (Remote) @ Google");
    expect(e.cleaned).toBe("Senior Software Engineer");
    expect(e.steps).toEqual(expect.arrayContaining(['removed employer "@ Google"', 'removed location "(Remote)"', 'expanded "Sr." -> "Senior"', 'expanded "SWE" -> "Software Engineer"']));
  });

  it("lists nothing for a clean title", () => {
    expect(explainClean("Registered Nurse")).toEqual({ cleaned: "Registered Nurse", steps: [] });
  });

  it("agrees with cleanTitle", () => {
    for (const x of ["PT Cashier (weekends)", "Mktg Coord.", "Attorney at Law", "Remote", ""]) expect(explainClean(x).cleaned).toBe(cleanTitle(x));
  });
});

// Idempotence as a property: fast-check is not a dependency, so titles are composed at random (seeded) from typed
// fragments: a core title, abbreviated or not, with employers, places, schedules and remarks around it.
describe("cleanTitle is idempotent", () => {
  const cores = [
    "Sr. SWE", "Registered Nurse", "RN", "Mktg Coord.", "Exec. Asst.", "Software Engineer", "Cashier", "Sys Admin", "Admin Asst", "VP Eng",
    "Pharmacy Tech II", "Attorney at Law", "Nurse (RN)", "Founder & CEO / Lead Developer", "Plant Tech (Plant Technician)", "PT", "Travel PT",
    "Cloth Measurer, Machine", "Managerial Accountant", "Data Sci", "Cust Svc Rep", "IT MANAGER", "Acct Mgr", "Biz Dev", "Med Surg RN", "HR Admin",
    "Emergency Medical Technician - Basic (EMT-B)", "Seasonal worker", "PM", "Head of Tech", "Warehouse Associate", "Welder", "软件工程师",
  ];
  const before = ["", "", "", "PT ", "Night Shift ", "Part-Time ", "🔥 ", "Senior ", "Temp ", "Remote "];
  const after = [
    "", "", "", " @ Google", " at Acme Corp", " | Google", " - Boston, MA", " – London", " (Remote)", " (weekends)", " (Summer 2024)", ", Inc.",
    " - Nights", " (m/w/d)", " - $20/hr", " based in Austin, TX", " to the CEO", " (ICU)", " - Contract", "!!", " 2nd shift", " | Student",
  ];
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const titles: string[] = [...cores];
  for (let i = 0; i < 1500; i++) {
    let t = before[rand(before.length)] + cores[rand(cores.length)] + after[rand(after.length)];
    if (rand(3) === 0) t += after[rand(after.length)];
    if (rand(5) === 0) t = t.toUpperCase();
    if (rand(5) === 0) t = t.toLowerCase();
    titles.push(t);
  }

  it("cleanTitle(cleanTitle(x)) === cleanTitle(x)", () => {
    const bad = titles.filter((t) => cleanTitle(cleanTitle(t)) !== cleanTitle(t)).map((t) => `${t} -> ${cleanTitle(t)} -> ${cleanTitle(cleanTitle(t))}`);
    expect(bad).toEqual([]);
  });

  it("never empties a title with letters", () => {
    expect(titles.filter((t) => /\p{L}/u.test(t) && !/\p{L}/u.test(cleanTitle(t)))).toEqual([]);
  });
});
