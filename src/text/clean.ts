// Title cleaning: turns a title as people type it ("Sr. SWE @ Google", "Registered Nurse - Boston, MA",
// "PT Cashier (weekends)") into the kind of title the labelled data holds (O*NET / UK ONS titles: "Senior Software
// Engineer", "Registered Nurse", "Cashier"), before any classifier sees it. Applied to a user's title only; the
// training titles are already clean.
//
// The rules come from how job titles are commonly written on job boards and profiles, not from any evaluation file:
//   1. remarks that are not the job: employer ("@ X", "at X", "| X", ", Inc."), place ("- Boston, MA", "(Remote)",
//      "based in X"), schedule and contract ("Night Shift", "PT", "Per Diem", "(Summer 2024)", "- Contract"),
//      hiring noise ("Urgently Hiring", "$5,000 Sign-On Bonus", "(m/w/d)", "Req #123"), emoji and stray punctuation;
//   2. abbreviations spelled out as whole words (Sr -> Senior, Mktg -> Marketing, RN -> Registered Nurse), some by
//      position (Admin Assistant -> Administrative Assistant but Sys Admin -> Systems Administrator);
//   3. a parenthetical that only repeats the title ("Registered Nurse (RN)") dropped once both are spelled out.
// What stays: levels (Intern, Trainee, Lead, II), specialties ("ICU", "- Backend"), several roles ("Founder & CEO /
// Lead Developer"), and anything not recognised as a remark. Cleaning is conservative: a remark is dropped only when
// every word of it is recognised as place, schedule, employer suffix or hiring noise.
//
// Guarantees: pure (no IO); idempotent (the steps run to a fixed point); a title with letters never comes back empty
// (if cleaning would remove every letter, the original, trimmed, is returned); a title with any non-Latin letter is
// returned trimmed and otherwise untouched, since the rules are written for English.

/** What cleaning did to a title, for showing users. */
export interface CleanExplanation {
  cleaned: string;
  /** One line per change, in order ("removed location \"Boston, MA\"", "expanded \"Sr.\" -> \"Senior\""). */
  steps: string[];
}

/** Cleans a typed job title into a canonical-looking one (see the module comment for the rules). */
export function cleanTitle(title: string): string {
  return run(title, null);
}

/** cleanTitle, with the list of what was removed or expanded. */
export function explainClean(title: string): CleanExplanation {
  const steps: string[] = [];
  const cleaned = run(title, steps);
  return { cleaned, steps };
}

// ---------------------------------------------------------------------------------------------------------------
// Abbreviations
// ---------------------------------------------------------------------------------------------------------------

/**
 * An abbreviation with a reading that depends on its position: `head` when it ends its phrase ("Pharmacy Tech" ->
 * Technician), `mod` when a noun follows ("Tech Support" -> Technical; null keeps the abbreviation), `field` after a
 * leadership word or "of" ("VP Eng", "Head of Tech" -> Engineering, Technology).
 */
interface Positional {
  head: string | null;
  mod: string | null;
  field?: string;
  /** Spelled out only as the very last word of its phrase ("PM and R Physician" is physical medicine). */
  lastOnly?: boolean;
}
type Expansion = string | Positional;

// Whole tokens, case-insensitive, with or without a trailing dot. Not listed on purpose:
// - abbreviations that are the usual title word in the training titles themselves (they are used there, outside
//   brackets, about as often as the spelled-out form): IT, UX, UI, HVAC, CNC, EMT, ICU, MRI, CT, AI, GP, HGV, LGV,
//   ICT, SEN, ESL, R&D;
// - ambiguous ones: MD (physician in the US, Managing Director in UK and finance, and Maryland), PA (physician
//   assistant, personal assistant, Pennsylvania; "PA-C" is handled), MA (medical assistant, Massachusetts, Master
//   of Arts), CMA, CS, DS, SE, TA (teaching assistant or talent acquisition), PO, AP/AR, OR/ER, RT, SA, CSO, CPO, CRO,
//   Prod (product or production), Sec (security or secretary), Comp, Res, Dist, Reg.
// PM is read as Project Manager: across occupations (construction, engineering, IT, events) project manager is the
// common reading, and the training titles spell "PM" that way ("Civil Project Manager (Civil PM)"); before a noun
// ("PM Coordinator", often preventive maintenance) it is left alone. "Eng" is Engineer at the end of a phrase
// ("Software Eng"), Engineering before a noun or after a leadership word ("Eng Manager", "VP Eng").
const ABBREVIATIONS: Record<string, Expansion> = {
  // levels and ranks
  sr: "senior",
  snr: "senior",
  jr: "junior",
  jnr: "junior",
  assoc: "associate",
  asst: "assistant",
  "ass't": "assistant",
  assts: "assistants",
  assist: "assistant",
  dep: "deputy",
  dpty: "deputy",
  prin: "principal",
  princ: "principal",
  exec: "executive",
  execs: "executives",
  gen: "general",
  mng: "managing",
  mgng: "managing",
  chmn: "chairman",
  pres: "president",
  vp: "vice president",
  svp: "senior vice president",
  evp: "executive vice president",
  avp: "assistant vice president",
  gm: "general manager",
  ceo: "chief executive officer",
  cfo: "chief financial officer",
  coo: "chief operating officer",
  cto: "chief technology officer",
  cmo: "chief marketing officer",
  cio: "chief information officer",
  ciso: "chief information security officer",
  chro: "chief human resources officer",
  // managing and supervising
  mgr: "manager",
  mngr: "manager",
  mgrs: "managers",
  mgmt: "management",
  mgt: "management",
  mngmt: "management",
  dir: "director",
  dirs: "directors",
  supv: "supervisor",
  supvr: "supervisor",
  supvsr: "supervisor",
  sprvsr: "supervisor",
  spvr: "supervisor",
  supt: "superintendent",
  ldr: "leader",
  coord: "coordinator",
  coordr: "coordinator",
  coords: "coordinators",
  admin: { head: "administrator", mod: "administrative", field: "administration" },
  admins: "administrators",
  // generic job nouns
  rep: "representative",
  reps: "representatives",
  spec: "specialist",
  specl: "specialist",
  anlst: "analyst",
  engr: "engineer",
  "eng'r": "engineer",
  engnr: "engineer",
  engrs: "engineers",
  eng: { head: "engineer", mod: "engineering", field: "engineering" },
  engg: "engineering",
  engrg: "engineering",
  tech: { head: "technician", mod: "technical", field: "technology" },
  techs: "technicians",
  techn: "technician",
  dev: { head: "developer", mod: "development", field: "development" },
  devs: "developers",
  devel: "development",
  prog: { head: "programmer", mod: "program", field: "programs" },
  pgmr: "programmer",
  prgmr: "programmer",
  progr: "programmer",
  pgm: "program",
  prgm: "program",
  arch: { head: "architect", mod: "architecture", field: "architecture" },
  archt: "architect",
  sci: { head: "scientist", mod: "science", field: "science" },
  ofc: { head: "officer", mod: "office" },
  ofcr: "officer",
  offcr: "officer",
  clk: "clerk",
  recep: "receptionist",
  secy: "secretary",
  "sec'y": "secretary",
  secty: "secretary",
  atty: "attorney",
  prof: "professor",
  instr: "instructor",
  lect: "lecturer",
  tchr: "teacher",
  cnslr: "counselor",
  wkr: "worker",
  wrkr: "worker",
  lbr: "laborer",
  labr: "laborer",
  oper: "operator",
  optr: "operator",
  opr: "operator",
  drvr: "driver",
  mech: { head: "mechanic", mod: "mechanical" },
  elec: { head: "electrician", mod: "electrical" },
  carp: "carpenter",
  appr: "apprentice",
  merch: { head: "merchandiser", mod: "merchandising", field: "merchandising" },
  bkkpr: "bookkeeper",
  recr: "recruiter",
  rcrtr: "recruiter",
  sgt: "sergeant",
  lt: "lieutenant",
  capt: "captain",
  cpl: "corporal",
  cmdr: "commander",
  dr: "doctor",
  // departments and fields
  acct: { head: "accountant", mod: "account" },
  acctg: "accounting",
  acctng: "accounting",
  accts: "accounts",
  fin: "finance",
  mktg: "marketing",
  mkt: "marketing",
  mkting: "marketing",
  biz: "business",
  cust: "customer",
  svc: "service",
  svcs: "services",
  ops: "operations",
  proj: "project",
  pm: { head: "project manager", mod: null, lastOnly: true },
  tpm: "technical program manager",
  hr: "human resources",
  hrbp: "human resources business partner",
  info: "information",
  sys: "systems",
  sysadmin: "systems administrator",
  sw: "software",
  hw: "hardware",
  fw: "firmware",
  infra: "infrastructure",
  db: "database",
  dba: "database administrator",
  swe: "software engineer",
  sde: "software development engineer",
  sdet: "software development engineer in test",
  sre: "site reliability engineer",
  mle: "machine learning engineer",
  ml: "machine learning",
  qa: "quality assurance",
  qc: "quality control",
  qual: "quality",
  compl: "compliance",
  ctrl: "control",
  cntrl: "control",
  ba: "business analyst",
  bd: "business development",
  sdr: "sales development representative",
  bdr: "business development representative",
  ae: "account executive",
  csm: "customer success manager",
  tam: "technical account manager",
  csr: "customer service representative",
  cx: "customer experience",
  pr: "public relations",
  comms: "communications",
  natl: "national",
  intl: "international",
  "reg'l": "regional",
  regl: "regional",
  rgnl: "regional",
  div: "division",
  dept: "department",
  govt: "government",
  ctr: "center",
  maint: "maintenance",
  whse: "warehouse",
  whs: "warehouse",
  mfg: "manufacturing",
  purch: "purchasing",
  recv: "receiving",
  rcvg: "receiving",
  shpg: "shipping",
  trng: "training",
  acq: "acquisition",
  cert: "certified",
  lic: "licensed",
  foh: "front of house",
  boh: "back of house",
  ea: "executive assistant",
  ra: "research assistant",
  edu: "education",
  sped: "special education",
  phys: "physical",
  // health care
  med: { head: null, mod: "medical" },
  surg: { head: null, mod: "surgical" },
  psych: { head: "psychologist", mod: "psychiatric" },
  pharm: { head: "pharmacist", mod: "pharmacy" },
  rad: { head: "radiologist", mod: "radiologic" },
  resp: { head: null, mod: "respiratory" },
  peds: { head: "pediatrics", mod: "pediatric" },
  vet: { head: "veterinarian", mod: "veterinary" },
  rn: "registered nurse",
  lpn: "licensed practical nurse",
  lvn: "licensed vocational nurse",
  cna: "certified nursing assistant",
  np: "nurse practitioner",
  aprn: "advanced practice registered nurse",
  crna: "certified registered nurse anesthetist",
  pt: { head: "physical therapist", mod: "physical therapy" },
  ot: { head: "occupational therapist", mod: "occupational therapy" },
  slp: "speech-language pathologist",
  pct: "patient care technician",
  hha: "home health aide",
  lcsw: "licensed clinical social worker",
  dds: "dentist",
  dmd: "dentist",
  rph: "pharmacist",
  pharmd: "pharmacist",
  cpa: "certified public accountant",
};

/** A Map, so that words like "constructor" are not looked up on Object.prototype. */
const ABBR: ReadonlyMap<string, Expansion> = new Map(Object.entries(ABBREVIATIONS));

/** Words after which a positional abbreviation names a field ("VP Eng", "Head of Tech", "Director of Admin"). */
const LEADER_PREV = new Set(["of", "vp", "svp", "evp", "avp", "director", "dir", "head", "chief", "president"]);
/** "Business Dev" is business development, not a business developer. */
const DEV_FIELD_PREV = new Set(["business", "biz", "bus", "learning", "talent", "leadership", "organizational", "organisational", "professional", "community", "economic", "market", "fund"]);
/** Grades after a word do not make it a modifier: "Tech II" is a technician. */
const GRADE = /^(?:i{1,3}|iv|v|vi|[0-9]+|l[0-9]|lvl|level|grade)$/i;

/** PT is physical therapy next to these words ("PT Aide", "Travel PT"); elsewhere it is part-time ("PT Cashier"). */
const PT_CLINICAL_NEXT = new Set(["tech", "techs", "technician", "aide", "attendant", "nurse", "assistant", "asst", "clinic", "clinician", "dpt"]);
const PT_CLINICAL_PREV = new Set(["travel", "outpatient", "inpatient", "acute", "pediatric", "peds", "pulmonary", "orthopedic", "orthopaedic", "ortho", "sports", "snf", "staff", "home", "health", "neuro", "vestibular", "geriatric", "rehab", "hospital", "clinic", "licensed", "senior", "sr", "lead", "school", "dpt"]);

/** Acronyms kept in upper case when an ALL-CAPS title is recased. */
const KEEP_UPPER = new Set(
  "it hr ux ui qa qc hvac cnc emt icu nicu picu mri ct ai ml bi etl api ios gis seo sem ppc crm erp sap sql aws gcp cad esl sen gp hgv lgv ict nhs cdl ehs hse r&d ceo cfo coo cto cmo cio rn lpn cna np md pa ot pt dds dmd cpa llc inc ltd plc".split(" "),
);
/** Small words written in lower case inside a title. */
const CONNECTORS = new Set(["and", "of", "the", "for", "to", "in", "at", "on", "or", "with", "a", "an", "de", "du", "la", "le", "van", "von"]);

// ---------------------------------------------------------------------------------------------------------------
// Remarks: places, schedules, hiring noise, employers
// ---------------------------------------------------------------------------------------------------------------

type NoiseKind = "location" | "schedule" | "hiring" | "company";

const US_STATES =
  "alabama, alaska, arizona, arkansas, california, colorado, connecticut, delaware, florida, georgia, hawaii, idaho, illinois, indiana, iowa, kansas, kentucky, louisiana, maine, maryland, massachusetts, michigan, minnesota, mississippi, missouri, montana, nebraska, nevada, new hampshire, new jersey, new mexico, new york, north carolina, north dakota, ohio, oklahoma, oregon, pennsylvania, rhode island, south carolina, south dakota, tennessee, texas, utah, vermont, virginia, washington, west virginia, wisconsin, wyoming, district of columbia";
// Large cities whose names are not also common English or job words (no "Mobile", "Reading", "Bath", "Victoria").
const CITIES =
  "new york city, nyc, brooklyn, manhattan, los angeles, san francisco, bay area, silicon valley, san jose, san diego, seattle, portland, boston, chicago, houston, dallas, austin, san antonio, fort worth, phoenix, philadelphia, philly, atlanta, miami, orlando, tampa, jacksonville, charlotte, raleigh, durham, nashville, memphis, denver, boulder, salt lake city, las vegas, minneapolis, st louis, saint louis, kansas city, detroit, cleveland, columbus, cincinnati, pittsburgh, baltimore, washington dc, dc, richmond, indianapolis, milwaukee, omaha, albuquerque, tucson, sacramento, oakland, honolulu, anchorage, new orleans, louisville, buffalo, hartford, providence, newark, jersey city, irvine, santa clara, palo alto, mountain view, sunnyvale, redmond, bellevue, cambridge, toronto, montreal, vancouver, calgary, ottawa, edmonton, winnipeg, london, manchester, birmingham, leeds, glasgow, edinburgh, liverpool, bristol, sheffield, newcastle, nottingham, leicester, cardiff, belfast, southampton, dublin, paris, berlin, munich, hamburg, frankfurt, amsterdam, rotterdam, brussels, madrid, barcelona, lisbon, rome, milan, zurich, geneva, vienna, prague, warsaw, stockholm, copenhagen, oslo, helsinki, budapest, bucharest, athens, istanbul, dubai, abu dhabi, riyadh, doha, tel aviv, cairo, lagos, nairobi, johannesburg, cape town, mumbai, bombay, delhi, new delhi, bangalore, bengaluru, hyderabad, chennai, pune, kolkata, gurgaon, gurugram, noida, karachi, lahore, dhaka, singapore, hong kong, shanghai, beijing, shenzhen, tokyo, osaka, seoul, taipei, manila, jakarta, bangkok, kuala lumpur, hanoi, sydney, melbourne, brisbane, perth, adelaide, auckland, wellington, mexico city, sao paulo, rio de janeiro, buenos aires, bogota, lima, santiago";
const COUNTRIES =
  "usa, us, u s, united states, america, uk, united kingdom, great britain, britain, england, scotland, wales, northern ireland, ireland, canada, mexico, brazil, argentina, chile, colombia, peru, germany, france, spain, portugal, italy, netherlands, holland, belgium, switzerland, austria, poland, sweden, norway, denmark, finland, czech republic, czechia, hungary, romania, greece, israel, uae, united arab emirates, saudi arabia, qatar, egypt, nigeria, kenya, south africa, india, pakistan, bangladesh, sri lanka, china, japan, korea, south korea, taiwan, philippines, indonesia, malaysia, thailand, vietnam, australia, new zealand, emea, apac, latam, amer, americas, europe, eu, asia, africa, middle east, north america, south america, latin america, nordics, benelux, dach, anz, ontario, quebec, british columbia, alberta, manitoba, saskatchewan, nova scotia, queensland, new south wales, midlands, yorkshire, lancashire, kent, essex, surrey, cornwall, devon, cumbria, home counties, greater manchester";
// Words that only ever qualify a place ("Greater Boston Area", "North West", "US-based", "Multiple Locations").
const PLACE_WORDS =
  "remote, remotely, hybrid, onsite, on site, in office, office, offices, wfh, work from home, working from home, from home, telecommute, telecommuting, telework, virtual, nationwide, worldwide, anywhere, global, multiple, various, several, locations, location, sites, site, store, stores, branch, campus, area, areas, greater, metro, metropolitan, region, county, city, town, based, downtown, north, south, east, west, central, northern, southern, eastern, western, northeast, northwest, southeast, southwest, midwest, upstate, east coast, west coast, tri state";
// Schedule and contract words ("Night Shift", "Weekends Required", "Temp-to-Perm", "12 hr Days", "Mon-Fri").
const SCHEDULE_WORDS =
  "shift, shifts, night, nights, day, days, evening, evenings, weekend, weekends, overnight, overnights, morning, mornings, afternoon, afternoons, swing, graveyard, rotating, rotation, early, late, 1st, 2nd, 3rd, first, second, third, part time, full time, pt, ft, prn, per diem, pro re nata, seasonal, temporary, temp, contract, contractor, contractors, perm, permanent, fixed term, ftc, hire, c2h, w2, 1099, c2c, corp to corp, ongoing, summer, fall, autumn, winter, spring, flexible, flex, schedule, hours, hrs, hr, hour, week, weeks, weekly, month, months, monthly, year, years, yr, mon, tue, tues, wed, thu, thur, thurs, fri, sat, sun, monday, tuesday, wednesday, thursday, friday, saturday, sunday, mondays, tuesdays, wednesdays, thursdays, fridays, saturdays, sundays, m f, on call, oncall, locum, weekday, weekdays";
// Hiring noise ("Urgently Hiring", "Immediate Start", "Sign-On Bonus", "Apply Now", "Req 1234").
const HIRING_WORDS =
  "hiring, urgent, urgently, immediate, immediately, asap, start, starts, starting, apply, today, now, bonus, sign, signon, new, needed, wanted, opening, openings, opportunity, opportunities, vacancy, vacancies, position, positions, job, jobs, role, roles, req, requisition, ref, id, pay, paid, salary, benefits, great, excellent, competitive, daily, hourly, up, plus, relocation, relo, visa, sponsorship";
/** Words that join the others without meaning anything themselves. */
const NOISE_CONNECTORS = new Set(["and", "or", "the", "of", "in", "at", "to", "with", "a", "an", "only", "required", "req'd", "reqd", "available", "availability", "all", "any", "per", "from", "for", "on", "off", "mandatory", "must", "be", "is", "including", "incl", "some", "every", "other", "alternate", "alternating", "x", "s"]);

/** Place, schedule and hiring words and phrases (lists are comma-separated; phrases are lower-case words). */
const NOISE_PHRASES: Map<string, NoiseKind> = (() => {
  const m = new Map<string, NoiseKind>();
  const add = (list: string, kind: NoiseKind): void => {
    for (const p of list.split(",")) m.set(p.trim(), kind);
  };
  add(US_STATES, "location");
  add(CITIES, "location");
  add(COUNTRIES, "location");
  add(PLACE_WORDS, "location");
  add(SCHEDULE_WORDS, "schedule");
  add(HIRING_WORDS, "hiring");
  return m;
})();

const MAX_PHRASE = Math.max(...[...NOISE_PHRASES.keys()].map((k) => k.split(" ").length));

/** Postal codes of US states and DC, Canadian provinces and Australian states. */
const STATE_CODES = new Set(
  "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AB BC MB NB NL NS NT NU ON PE QC SK YT NSW VIC QLD".split(" "),
);
/** Codes that are also common title abbreviations or words: a place only with a city before them ("Baltimore, MD"). */
const AMBIGUOUS_CODES = new Set("MD PA MA OR IN ME OK HI CO ID LA DE AL CT MS MT NP PE ON".split(" "));
// "Boston, MA", "Springfield IL 62701", "Toronto, ON": capitalised words, then a code.
const CITY_STATE = /(?:^|(?<=[\s,(]))((?:[A-Z][\p{L}'’.]*(?:-[A-Z][\p{L}'’.]*)?\s+){0,3}[A-Z][\p{L}'’.]*(?:-[A-Z][\p{L}'’.]*)?),?\s+([A-Z]{2,3})(?:\s+\d{5}(?:-\d{4})?)?(?=$|[\s,)])/gu;
const LONE_CODE = /^\s*([A-Z]{2,3})\s*$/;

/** Legal suffixes of an organisation's name: a remark ending in one names an employer ("Acme Inc.", "Smith & Co."). */
const COMPANY_SUFFIX = new Set(["inc", "llc", "ltd", "limited", "corp", "corporation", "plc", "gmbh", "llp", "lp", "pty", "bv", "nv", "srl", "sarl", "co", "company", "group", "holdings"]);
/** These also end ordinary phrases ("Support Group"): an employer only after a name with "&" or "and". */
const WEAK_SUFFIX = new Set(["co", "company", "group", "holdings"]);

/**
 * Whether a remark (a bracket's content, a tail after " - " or ",") is entirely noise, and of which kind: every
 * word must be a place, schedule, or hiring word (or a connector), and at least one must be more than a connector.
 */
function noiseKind(seg: string): NoiseKind | null {
  let s = seg.trim();
  if (!s) return null;
  const kinds: NoiseKind[] = [];
  const words = wordsOf(s);
  const last = words[words.length - 1];
  if (last && words.length <= 6 && COMPANY_SUFFIX.has(last) && (!WEAK_SUFFIX.has(last) || (words.length >= 2 && /&|\band\b/i.test(s)))) return "company";
  // Patterns that count as strong noise on their own.
  const strong = (re: RegExp, kind: NoiseKind): void => {
    s = s.replace(re, () => {
      kinds.push(kind);
      return " ";
    });
  };
  s = s.replace(CITY_STATE, (m: string, _city: string, code: string) => {
    // "Baltimore, MD" is a place; "Homicide Squad CO" (commanding officer) is not: ambiguous codes need the comma.
    if (!STATE_CODES.has(code) || (AMBIGUOUS_CODES.has(code) && !m.includes(","))) return m;
    kinds.push("location");
    return " ";
  });
  const lone = LONE_CODE.exec(s);
  if (lone && STATE_CODES.has(lone[1]) && !AMBIGUOUS_CODES.has(lone[1])) {
    kinds.push("location");
    s = " ";
  }
  strong(/[$£€]\s?\d[\d,.]*\s*k?(?:\s*[-–]\s*[$£€]?\s?\d[\d,.]*\s*k?)?(?:\s*(?:\/|per)\s*(?:hr|hour|h|yr|year|annum|wk|week))?/gi, "hiring");
  strong(/\b\d[\d,.]*\s*k\b/gi, "hiring");
  strong(/\b\d{1,2}(?::\d\d)?\s*(?:am|pm|a|p)\b(?:\s*[-–to]+\s*\d{1,2}(?::\d\d)?\s*(?:am|pm|a|p)\b)?/gi, "schedule");
  strong(/\b(?:19|20)\d\d(?:\s*[-/]\s*(?:19|20)?\d\d)?\b/g, "schedule");
  strong(/\b\d+\s*(?:-\s*)?(?:hrs?|hours?|h)\b/gi, "schedule");
  strong(/(?:^|\s)(?:[mfwdxhn]\s*\/\s*){1,3}[mfwdxhn*](?=\s|$)|\ball genders\b|\bgn\*?(?![\p{L}\p{N}])/giu, "hiring");
  strong(/#\s?\d[\w-]*|\b(?:req|job|ref|id)\s*(?:id|no|#)?[:#.\s]*[a-z]*-?\d[\w-]*/gi, "hiring");
  strong(/^\s*\d[\d\s.-]*$/, "hiring");
  const ws = wordsOf(s);
  let i = 0;
  while (i < ws.length) {
    let matched = 0;
    for (let n = Math.min(MAX_PHRASE, ws.length - i); n >= 1; n--) {
      const k = NOISE_PHRASES.get(ws.slice(i, i + n).join(" "));
      if (k) {
        kinds.push(k);
        matched = n;
        break;
      }
    }
    if (matched) {
      i += matched;
      continue;
    }
    if (NOISE_CONNECTORS.has(ws[i])) {
      i++;
      continue;
    }
    return null;
  }
  if (!kinds.length) return null;
  // Report the most specific kind: a place beats a schedule beats hiring noise.
  for (const k of ["location", "schedule", "hiring"] as NoiseKind[]) if (kinds.includes(k)) return k;
  return kinds[0];
}

/** Lower-cased, accent-folded words of a text (apostrophes kept inside words, hyphens split). */
function wordsOf(s: string): string[] {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}'’&]+/u)
    .map((w) => w.replace(/^['’]+|['’]+$/g, ""))
    .filter((w) => w && w !== "&");
}

/** Job nouns: a part after a "|" is kept only if it names a job ("Founder | CEO"), not an employer or a skill. */
const JOB_HEADS = new Set(
  (
    "manager engineer developer designer analyst director founder cofounder co-founder owner partner president officer executive lead leader head chief " +
    "principal architect consultant advisor adviser mentor coach teacher tutor lecturer professor researcher scientist student intern trainee apprentice " +
    "nurse doctor physician surgeon therapist technician technologist assistant associate specialist coordinator administrator clerk cashier driver " +
    "operator mechanic electrician plumber carpenter worker laborer labourer supervisor foreman writer editor author journalist producer artist " +
    "photographer chef cook server waiter waitress bartender barista host hostess receptionist secretary accountant bookkeeper auditor attorney " +
    "lawyer solicitor barrister paralegal agent broker representative recruiter trainer instructor educator counselor counsellor volunteer member " +
    "fellow resident pharmacist dentist hygienist veterinarian pilot guard soldier sergeant captain programmer strategist marketer seller salesperson " +
    "planner buyer merchandiser stylist cleaner housekeeper janitor custodian caregiver carer aide nanny investor entrepreneur freelancer contractor " +
    "expert evangelist advocate ambassador speaker consultant practitioner officer inspector investigator estimator surveyor controller treasurer " +
    "economist statistician librarian curator translator interpreter paramedic midwife psychologist psychiatrist chiropractor optometrist " +
    "dietitian nutritionist sales"
  ).split(" "),
);

// ---------------------------------------------------------------------------------------------------------------
// The pipeline
// ---------------------------------------------------------------------------------------------------------------

const MAX_PASSES = 6;

function run(title: string, log: string[] | null): string {
  const original = title.replace(/\s+/g, " ").trim();
  if (!/[\p{L}\p{N}]/u.test(original)) {
    if (original) log?.push("no letters or digits: nothing to clean");
    return "";
  }
  if (hasNonLatinLetter(original)) {
    log?.push("non-Latin script: left as written");
    return original;
  }
  let s = original;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const passLog: string[] = [];
    const next = step(s, passLog);
    if (!/\p{L}/u.test(next) && /\p{L}/u.test(s)) {
      log?.push(`cleaning would leave no words: kept "${s}"`);
      return s;
    }
    if (next === s) return s;
    log?.push(...passLog);
    s = next;
  }
  return s;
}

function hasNonLatinLetter(s: string): boolean {
  for (const ch of s) if (/\p{L}/u.test(ch) && !/\p{Script=Latin}/u.test(ch)) return true;
  return false;
}

// Brackets are taken out of the text first, so that the separators inside them do not split the title; each is
// replaced by one private-use character (U+E000 + its index), which no rule reads as a word, and put back in place
// at the end of the pass (or dropped as a remark or a repetition).
const PH_BASE = 0xe000;
const PH_MAX = 0x100;
const PH = /[\ue000-\ue0ff]/gu;
const ph = (i: number): string => String.fromCharCode(PH_BASE + i);
const bare = (s: string): string => squash(s.replace(PH, " "));

/** One pass of every rule. */
function step(input: string, log: string[]): string {
  let s = tidyCharacters(input, log);
  s = recase(s, log);
  const brackets: string[] = [];
  s = extractBrackets(s, brackets);

  // Parts: "|", "•", "·", ";" and "//" separate a title from an employer, a skill list, or a second role.
  const parts = s.split(/\s*(?:\||•|·|;|\/\/)\s*/).map(squash);
  const kept: string[] = [];
  parts.forEach((p, i) => {
    const words = bare(p);
    const kind = noiseKind(words);
    if (kind && parts.some((q, j) => j !== i && bare(q) && !noiseKind(bare(q)))) {
      log.push(`removed ${kind} "${words}"`);
      return;
    }
    if (!p) return;
    if (kept.length > 0 && words && !isJobLike(words)) {
      log.push(`removed employer or remark "${words}"`);
      return;
    }
    kept.push(p);
  });
  const from = log.length;
  const out = kept.map((p) => cleanPart(p, brackets, log)).filter((x) => x);
  // Log lines show brackets as written and quoted text trimmed.
  for (let i = from; i < log.length; i++) {
    log[i] = log[i]
      .replace(PH, (m: string) => ` (${brackets[m.charCodeAt(0) - PH_BASE]}) `)
      .replace(/"([^"]*)"/g, (_m, c: string) => `"${squash(c).replace(/\(\s+/g, "(").replace(/\s+\)/g, ")")}"`);
  }
  return finish(out.join(" / "));
}

/** Unicode tidying, emoji, quotes, stray symbols, dotted acronyms ("V.P." -> "VP"), "PA-C". */
function tidyCharacters(input: string, log: string[]): string {
  let s = input.normalize("NFC").replace(/[\ue000-\uf8ff]/g, " ");
  const before = s;
  s = s.replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}\u{20E3}]/gu, " ");
  s = s.replace(/[\p{So}\p{Sk}]/gu, (c) => (c === "^" || c === "`" ? " " : " "));
  s = s.replace(/[“”„"«»]/g, " ");
  // Single quotes around words ('Engineer'), not apostrophes ("Workers' Compensation", "Eng'r").
  s = s.replace(/(^|[\s(])['‘]([^'‘’]+)['’](?=$|[\s),.])/g, "$1$2");
  s = s.replace(/[*!?~=_<>]+/g, " ");
  s = s.replace(/[\u2012-\u2015\u2212]/g, " – ");
  s = s.replace(/\s+-{2,}\s+|\s+-\s+/g, " – ");
  if (squash(s) !== squash(before)) log.push("removed emoji, quotes or stray punctuation");
  // Dotted acronyms: "V.P." -> "VP", "R.N." -> "RN".
  s = s.replace(/(?<![\p{L}.])((?:\p{L}\.){2,})(?![\p{L}])/gu, (m: string) => m.replace(/\./g, ""));
  // "PA-C" (certified physician assistant): the only hyphenated abbreviation that is spelled out.
  s = s.replace(/\bPA-C\b/gi, (m: string) => {
    log.push(`expanded "${m}" -> "Physician Assistant"`);
    return m === m.toLowerCase() ? "physician assistant" : "Physician Assistant";
  });
  // Job-board ids: "Req #1234", "Job ID: R-5521", "#12345".
  s = s.replace(/\b(?:req(?:uisition)?|job\s*id|job\s*no|ref)\.?(?:\s*(?:id|no\.?|number))?\s*[:#]?\s*[a-z]{0,3}-?\d[\w-]*|(?:^|(?<=\s))#\s?\d[\w-]*/gi, (m: string) => {
    log.push(`removed job id "${m.trim()}"`);
    return " ";
  });
  // Hashtags: "#hiring".
  s = s.replace(/(^|\s)#(?![\d])[\p{L}\p{N}_]+/gu, (m: string, sp: string) => {
    log.push(`removed hashtag "${m.trim()}"`);
    return sp;
  });
  return squash(s);
}

/** An ALL-CAPS title is put in title case, keeping known acronyms upper-case. */
function recase(s: string, log: string[]): string {
  if (/\p{Ll}/u.test(s)) return s;
  // One word in capitals may be an acronym ("ACIS"); several, with a long one that is no abbreviation, are shouting.
  const words = s.match(/\p{L}+/gu) ?? [];
  const longWord = words.some((w) => w.length >= 4 && !ABBR.has(w.toLowerCase()) && !KEEP_UPPER.has(w.toLowerCase()));
  if (words.length < 2 || !longWord) return s;
  log.push("recased an all-caps title");
  let first = true;
  return s.replace(/[\p{L}][\p{L}'’&]*/gu, (w: string) => {
    const lw = w.toLowerCase();
    const isFirst = first;
    first = false;
    if (w.length <= 2 && !CONNECTORS.has(lw)) return w;
    if (KEEP_UPPER.has(lw) || ABBR.has(lw)) return w;
    if (CONNECTORS.has(lw) && !isFirst) return lw;
    return w[0] + w.slice(1).toLowerCase();
  });
}

/** Replaces each bracketed group with a placeholder (innermost first); unbalanced brackets are handled too. */
function extractBrackets(s: string, out: string[]): string {
  const inner = /[([{]([^()[\]{}]*)[)\]}]/;
  while (out.length < PH_MAX - 1 && inner.test(s)) {
    s = s.replace(inner, (_m, c: string) => {
      out.push(restoreBrackets(c, out));
      return ph(out.length - 1);
    });
  }
  // An opening bracket never closed: the rest of the title is its content.
  s = s.replace(/[([{](.*)$/, (_m, c: string) => {
    out.push(restoreBrackets(c.replace(/[()[\]{}]/g, " "), out));
    return ph(out.length - 1);
  });
  return s.replace(/[()[\]{}]/g, " ");
}

/** Nested brackets inside a bracket are put back as text. */
function restoreBrackets(c: string, out: string[]): string {
  return squash(c.replace(PH, (m: string) => `(${out[m.charCodeAt(0) - PH_BASE]})`));
}

function isJobLike(text: string): boolean {
  const ws = wordsOf(text);
  return ws.some((w) => {
    const e = ABBR.get(w);
    const full = typeof e === "string" ? e : e ? e.head ?? "" : "";
    const last = full.split(" ").pop() ?? "";
    return JOB_HEADS.has(w) || JOB_HEADS.has(w.replace(/s$/, "")) || (last !== "" && JOB_HEADS.has(last));
  });
}

/** Cleans one role: employer, place and schedule remarks, then abbreviations, then brackets that repeat it. */
function cleanPart(part: string, allBrackets: string[], log: string[]): string {
  let text = part;

  // "@ Google": always an employer.
  text = text
    .split(/\s+\/\s+/)
    .map((piece) =>
      piece.replace(/\s*@\s*(.*)$/, (m: string, rest: string) => {
        if (!/\p{L}/u.test(piece.slice(0, piece.length - m.length))) return ` ${rest}`;
        log.push(`removed employer "${m.trim()}"`);
        return "";
      }),
    )
    .join(" / ");

  // "Executive Assistant to the CEO": whom an assistant works for is not part of the job. Only after assistant-like
  // words and before leadership titles, so that "Clerk to the Justices" or "Writer to the Signet" stay.
  text = text.replace(
    /\b((?:assistant|asst|assist|secretary|secy|pa|ea|aide|adviser|advisor|chief of staff)\.?)\s+to\s+(?:the\s+)?(?:ceo|cfo|coo|cto|cmo|cio|md|president|founders?|co-?founders?|chair(?:man|woman|person)?|board|vp|svp|evp|managing director|executive director|directors?|partners?|principal|executives?|executive team|leadership(?: team)?|senior leadership(?: team)?|head of [\p{L} ]+|c-suite|owners?)\b.*$/iu,
    (m: string, who: string) => {
      log.push(`removed "${m.slice(who.length).trim()}"`);
      return who;
    },
  );

  // "based in Austin", "located in London".
  text = text.replace(/[\s,–-]*\b(?:based|located)\s+(?:in|at|out of)\b.*$/i, (m: string) => {
    log.push(`removed location "${m.replace(/^[\s,–-]+/, "")}"`);
    return "";
  });
  // "London-based", "US-based".
  text = text.replace(/(?:^|\s)([\p{L}.]+(?:\s[\p{L}.]+)?)-based\b/gu, (m: string, where: string) => {
    if (noiseKind(where) !== "location") return m;
    log.push(`removed location "${m.trim()}"`);
    return " ";
  });

  // " at X": an employer, unless "at" belongs to the job ("Attorney at Law", "Sergeant at Arms", "Caster at
  // Machine"). Cut at " / ", so that "CEO at Acme / Lead Developer" keeps its second role.
  text = text
    .split(/\s+\/\s+/)
    .map((piece) =>
      piece.replace(/\s+at\s+(\S+)(.*)$/i, (m: string, next: string) => {
        const before = piece.slice(0, piece.length - m.length);
        if (!/\p{L}/u.test(before)) return m;
        if (AT_KEEP.has(next.toLowerCase().replace(/[^a-z]/g, ""))) return m;
        log.push(`removed employer "${m.trim()}"`);
        return "";
      }),
    )
    .join(" / ");

  // " in Boston", " for Acme Inc.", " with Acme LLC": only when the rest is a recognised place or ends in an
  // organisation's legal suffix, since "for" and "in" are often part of a job ("Teacher for the Deaf", "Officer in
  // Charge").
  text = text.replace(/\s+(in|for|with)\s+(.+)$/i, (m: string, prep: string, rest: string) => {
    const kind = noiseKind(rest);
    if (kind === "company" || (kind === "location" && prep.toLowerCase() !== "with")) {
      log.push(`removed ${kind === "company" ? "employer" : "location"} "${m.trim()}"`);
      return "";
    }
    return m;
  });

  // Tails after a dash: dropped when they are a remark ("- Boston, MA", "– Nights", "- Acme Corp"); a specialty
  // ("- Backend", "- Basic") stays.
  let segs = text.split(/\s*–\s*/);
  segs = dropNoise(segs, " – ", log);
  // Comma tails the same way, trying runs of up to three so that "Boston, MA" and "Austin, TX, USA" are seen whole;
  // O*NET's ", Hand" or ", Except Special Education" are not remarks and stay.
  segs = segs.map((seg) => dropNoise(seg.split(/\s*,\s*/), ", ", log).join(", "));

  // Schedule words inside a segment.
  segs = segs.map((seg) => dropSchedule(seg, log)).filter((x) => /[\p{L}\p{N}]/u.test(x));
  text = segs.join(" - ");

  text = expand(text, log);
  // "CNA - Certified Nursing Assistant": once spelled out, a segment that repeats another goes.
  const segKeys = new Set<string>();
  text = text
    .split(" - ")
    .filter((seg) => {
      const key = wordsOf(bare(seg)).join(" ");
      if (key && segKeys.has(key)) {
        log.push(`removed "${seg}", which repeats the title`);
        return false;
      }
      segKeys.add(key);
      return true;
    })
    .join(" - ");

  // Brackets: remarks go; the rest is cleaned like the title, and dropped if it only repeats it.
  const outer = new Set(wordsOf(bare(text)).map(singular));
  const seen = new Set<string>();
  text = text.replace(PH, (m: string) => {
    const b = allBrackets[m.charCodeAt(0) - PH_BASE] ?? "";
    const kind = noiseKind(b);
    if (kind) {
      log.push(`removed ${kind} "(${b})"`);
      return " ";
    }
    const c = expand(dropSchedule(b, log), log);
    if (!/[\p{L}\p{N}]/u.test(c)) return " ";
    const ws = wordsOf(c).filter((w) => !CONNECTORS.has(w)).map(singular);
    if ((ws.length && ws.every((w) => outer.has(w))) || seen.has(c.toLowerCase())) {
      log.push(`removed "(${b})", which repeats the title`);
      return " ";
    }
    seen.add(c.toLowerCase());
    return `(${c})`;
  });
  return squash(text);
}

/** "Physician's" and "Physicians" match "Physician" when a bracket is compared with the title. */
function singular(w: string): string {
  return w.replace(/['’]s$/, "").replace(/(?<=[a-z]{3})s$/, "");
}

/** Words after " at " that make "at" part of the job, not an employer ("at Law", "at Arms", "at the Bar"). */
const AT_KEEP = new Set(["law", "arms", "large", "home", "sea", "risk", "machine", "drill", "bench", "bar", "the"]);

/** Drops the remark segments of a split title; the first non-remark segment is always kept. */
function dropNoise(segs: string[], joiner: string, log: string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < segs.length) {
    let dropped = 0;
    // Only when something that is not a remark stays.
    for (let k = Math.min(3, segs.length - i); k >= 1; k--) {
      const joined = segs.slice(i, i + k).join(joiner === ", " ? ", " : " – ");
      const kind = noiseKind(joined);
      if (!kind) continue;
      const rest = [...out, ...segs.slice(0, i).filter(() => false), ...segs.slice(i + k)];
      if (!rest.some((x) => /\p{L}/u.test(x) && !noiseKind(x))) continue;
      log.push(`removed ${kind} "${joined}"`);
      dropped = k;
      break;
    }
    if (dropped) {
      i += dropped;
      continue;
    }
    out.push(segs[i]);
    i++;
  }
  return out.length ? out : segs;
}

// Schedule words that only ever describe the hours or the contract, removed wherever they stand.
const SCHEDULE_ANYWHERE: RegExp[] = [
  /\b(?:part|full)[\s-]?time\b/gi,
  /\bper[\s-]diem\b/gi,
  /\bprn\b/gi,
  /\bpro re nata\b/gi,
  /\b(?:night|day|evening|overnight|swing|graveyard|weekend|morning|afternoon|rotating|early|late|1st|2nd|3rd|first|second|third)\s+shifts?\b/gi,
  /\b(?:nights|weekends|overnights|evenings)(?:\s+(?:only|required))?\b/gi,
  /\b(?:temp|contract)[\s-]to[\s-](?:hire|perm(?:anent)?)\b/gi,
  /\bc2h\b/gi,
  /\b(?:work(?:ing)?\s+from\s+home|wfh)\b/gi,
  /\b(?:summer|fall|autumn|winter|spring)\s+(?:19|20)\d\d\b/gi,
  /\b(?:199\d|20[0-3]\d)\b/g,
];
// Modifiers that describe the contract when they open or close a title ("Seasonal Sales Associate", "Temp
// Receptionist", "RN Days"), but that some titles need ("Temporary Help Agency Clerk", "Seasonal Worker").
const SCHEDULE_EDGE = /^(?:temp|temporary|seasonal|days|remote|hybrid|onsite|wfh)$/i;
const SCHEDULE_LEAD = /^(?:temp|temporary|seasonal)$/i;
/** Titles that are a generic word plus a contract word are jobs of their own ("Seasonal Worker", "Part-time Help"). */
const GENERIC = new Set(["worker", "workers", "help", "helper", "staff", "employee", "employees", "person", "personnel", "hand", "hands", "services", "service", "staffing", "agency"]);

function dropSchedule(seg: string, log: string[]): string {
  let s = seg;
  for (const re of SCHEDULE_ANYWHERE) {
    s = s.replace(re, (m: string, ...args: unknown[]) => {
      const offset = args[args.length - 2] as number;
      const str = args[args.length - 1] as string;
      const rest = wordsOf(str.slice(0, offset) + " " + str.slice(offset + m.length));
      if (!rest.length || (rest.length === 1 && GENERIC.has(rest[0]))) return m;
      log.push(`removed schedule "${m}"`);
      return " ";
    });
  }
  // Word tokens; a bracket placeholder is its own token and is skipped when looking at neighbours and ends.
  const toks = squash(s.replace(/([\p{L}\p{N}.])(?=[\ue000-\ue0ff])|([\ue000-\ue0ff])(?=[\p{L}\p{N}])/gu, "$1$2 ")).split(" ").filter(Boolean);
  const isWord = (t: string): boolean => /[\p{L}\p{N}]/u.test(t) && !/[\ue000-\ue0ff]/u.test(t);
  const words = (): number[] => toks.map((t, i) => (isWord(t) ? i : -1)).filter((i) => i >= 0);
  const plain = (t: string | undefined): string => (t ?? "").toLowerCase().replace(/[^a-z]/g, "");
  // PT: physical therapy next to clinical words ("PT Aide", "Travel PT", "PT" alone), part-time elsewhere; FT is
  // always full-time.
  let ws = words();
  for (let k = ws.length - 1; k >= 0; k--) {
    const t = toks[ws[k]];
    const w = t.toLowerCase().replace(/\.$/, "");
    if ((w !== "pt" && w !== "ft") || ws.length === 1) continue;
    const next = plain(toks[ws[k + 1]]);
    const prev = plain(toks[ws[k - 1]]);
    if (w === "pt" && ((next && PT_CLINICAL_NEXT.has(next)) || (!next && prev && PT_CLINICAL_PREV.has(prev)))) continue;
    log.push(`removed schedule "${t}"`);
    toks[ws[k]] = "";
  }
  // Contract words that open or close the title.
  for (;;) {
    ws = words().filter((i) => toks[i] !== "");
    if (ws.length < 2) break;
    const first = toks[ws[0]].replace(/\.$/, "");
    const second = plain(toks[ws[1]]);
    if (!SCHEDULE_LEAD.test(first) || GENERIC.has(second)) break;
    log.push(`removed schedule "${first}"`);
    toks[ws[0]] = "";
  }
  for (;;) {
    ws = words().filter((i) => toks[i] !== "");
    if (ws.length < 2) break;
    const last = toks[ws[ws.length - 1]].replace(/[.,]$/, "");
    if (!SCHEDULE_EDGE.test(last)) break;
    log.push(`removed ${/^(?:remote|hybrid|onsite|wfh)$/i.test(last) ? "location" : "schedule"} "${last}"`);
    toks[ws[ws.length - 1]] = "";
  }
  return squash(toks.join(" ")).replace(/^[\s,–/&-]+|[\s,–/&-]+$/g, "");
}

interface Tok {
  start: number;
  end: number;
  /** Lower-cased, no trailing dot. */
  key: string;
  raw: string;
}

/** Spells out abbreviations: whole tokens only, never inside a word or a hyphenated word. */
function expand(text: string, log: string[]): string {
  const toks: Tok[] = [];
  const re = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?\.?/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index;
    let raw = m[0];
    let key = raw.toLowerCase().replace(/’/g, "'");
    if (key.endsWith(".")) {
      key = key.slice(0, -1);
      if (!ABBR.has(key)) raw = raw.slice(0, -1);
    }
    toks.push({ start, end: start + raw.length, key, raw });
  }
  // Hyphenated words ("Med-Surg", "Co-Founder"), ".NET", "C++", "C#" and handles are not abbreviations.
  const glued = (t: Tok): boolean => {
    const before = text.slice(Math.max(0, t.start - 2), t.start);
    const after = text.slice(t.end, t.end + 2);
    return /[\p{L}\p{N}]-$|[.+#@]$/u.test(before) || /^-[\p{L}\p{N}]|^[+#]/u.test(after);
  };
  // Neighbours within a phrase: nothing but spaces (or a consumed dot) between two tokens.
  const joined = (a: Tok, b: Tok): boolean => /^\s*$/.test(text.slice(a.end, b.start));
  let out = "";
  let pos = 0;
  toks.forEach((t, i) => {
    const e = ABBR.get(t.key);
    if (e === undefined || glued(t)) return;
    const prev = i > 0 && joined(toks[i - 1], t) ? toks[i - 1].key : undefined;
    const nextTok = i + 1 < toks.length && joined(t, toks[i + 1]) ? toks[i + 1] : undefined;
    const next = nextTok && !GRADE.test(nextTok.key) && !CONNECTORS.has(nextTok.key) ? nextTok.key : undefined;
    let full: string | null;
    if (typeof e === "string") full = e;
    else if (prev && e.field && (LEADER_PREV.has(prev) || (t.key === "dev" && DEV_FIELD_PREV.has(prev)))) full = e.field;
    else if (e.lastOnly && nextTok && !GRADE.test(nextTok.key)) full = null;
    else full = next ? e.mod : e.head;
    if (full === null) return;
    const shown = casedLike(t.raw.replace(/\.$/, ""), full);
    log.push(`expanded "${t.raw}" -> "${shown}"`);
    out += text.slice(pos, t.start) + shown;
    pos = t.end;
  });
  out += text.slice(pos);
  return squash(out);
}

/** The expansion in the abbreviation's case: "sr" -> "senior", "Sr"/"SR" -> "Senior". */
function casedLike(raw: string, full: string): string {
  if (raw === raw.toLowerCase()) return full;
  return full
    .split(" ")
    .map((w, i) => (i > 0 && CONNECTORS.has(w) ? w : w.replace(/(^|-)(\p{L})/gu, (_m, d: string, c: string) => d + c.toUpperCase())))
    .join(" ");
}

/** Final tidying: brackets spacing, stray separators at the ends, repeated punctuation. */
function finish(s: string): string {
  let t = squash(s);
  t = t.replace(/\(\s*\)/g, " ");
  t = t.replace(/\s+([,.;:)])/g, "$1").replace(/\(\s+/g, "(");
  t = t.replace(/([,;:/&|–-])(?:\s*[,;:/&|–-])+/g, "$1");
  t = t.replace(/\s*–\s*/g, " - ");
  for (let i = 0; i < 3; i++) {
    t = t.replace(/^(?:[\s,;:/&|–+@#-]|\.(?![\p{L}]))+/u, "").replace(/[\s.,;:/&|–@-]+$/, "");
    t = t.replace(/\s+(?:and|&)$/, "");
  }
  return squash(t);
}

function squash(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}
