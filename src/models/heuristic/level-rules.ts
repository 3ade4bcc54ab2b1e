// Level from a title's words, following data/gold/level-guide.md: split combined titles, find the head noun (the
// role word before "of/to/for"), apply modifiers (Assistant/Associate/Junior/Trainee...), then the class of the head.
// Each decision returns the id of the rule that made it, so a reader can see why.
import { LEVELS } from "../../taxonomy/classes";
import { normalizeTitle } from "../../text/normalize";

export type LevelLabel = (typeof LEVELS)[number];

const [CEO, CLEVEL, VP, DIRECTOR, LEAD, CONSULTANT, MANAGER, SPECIALIST, ENTRY, OTHER] = LEVELS;

export interface LevelDecision {
  label: LevelLabel;
  rule: string;
}

const set = (s: string): ReadonlySet<string> => new Set(s.split(/[ ,]+/).filter(Boolean));

const CEO_HEADS = set("ceo founder cofounder owner proprietor entrepreneur landowner shipowner");
const CLEVEL_ACRONYMS = set("cfo coo cto cio cmo chro ciso cdo cro cpo cso cco");
const CLEVEL_FUNCTIONS = set(
  "executive financial finance operating operations technology technical information security marketing commercial revenue people product data risk compliance diversity sustainability innovation knowledge administrative nursing digital strategy legal customer experience growth business human resources analytics",
);
const CLEVEL_HEADS = set("president chairman chairwoman chairperson chair provost chancellor");
const VP_HEADS = set("vp svp evp avp dean principal headteacher headmaster headmistress commissioner governor chief");
const LEAD_HEADS = set("lead leader coordinator chargehand");
const CONSULTANT_HEADS = set("consultant advisor adviser counsel counselor counsellor ifa");
const MANAGER_HEADS = set("manager supervisor foreman forewoman overseer superintendent strategist");
const ENTRY_HEADS = set("intern trainee apprentice student cadet improver novice assistant associate aide helper junior graduate");
const ENTRY_MARKERS = set("intern trainee apprentice student cadet improver novice graduate");
const SPECIALIST_HEADS = set("specialist professional analyst expert");
/** Rank nouns keep their class after Assistant/Associate/Deputy/Junior ("Assistant Manager" is a manager). */
const RANKS = new Set([...MANAGER_HEADS, ...LEAD_HEADS, "director", "president", "vp", "dean", "head", "principal", "partner", "chief"]);
const LEADER_OCCUPATIONS = set("tour play youth worship scout");
const ARTISTIC_DIRECTORS = set("film stage funeral music musical theatre theater");
const LEAD_OBJECTS = set("generation generator smelter miner burner");
const OTHER_WORDS = set("retired unemployed volunteer homemaker member mp mep msp councillor councilor alderman legislator");
const OBJECT_WORDS = set("of to for in at");

/** Splits a raw title into role parts at "&", "/", " and ", "," when a part carries a role word. */
export function roleParts(title: string): string[] {
  // A parenthetical is an abbreviation or a gloss ("Dental Assistant (DA)"), not another role.
  return title
    .replace(/\([^)]*\)/g, " ")
    .split(/\s*(?:&|\/|,|;|\band\b|\+)\s*/i)
    .map((p) => p.trim())
    .filter((p) => normalizeTitle(p).words.length > 0);
}

/** Words before the first "of/to/for/in/at": the role, not its object ("Professor of Marketing" -> professor). */
function rolePhrase(words: string[]): string[] {
  // "Editor in chief" keeps its chief; "Chief of Staff" and "Head of X" keep their first word only.
  const i = words.findIndex((w, k) => k > 0 && OBJECT_WORDS.has(w) && !(w === "in" && words[k + 1] === "chief"));
  return i > 0 ? words.slice(0, i) : words;
}

/**
 * Level of one role part. `knownHeads` are head nouns seen in training titles: a part whose head is neither a
 * level word nor a known occupation ("Queen of the World", "10/6;") is Other.
 */
export function levelOfPart(part: string, knownHeads: ReadonlySet<string>): LevelDecision | null {
  const n = normalizeTitle(part);
  // Grade numerals ("II", "L3") are not role words; Junior/Senior stay, since they move IC titles between classes.
  const core = new Set(n.core);
  const all = n.words
    .filter((w) => core.has(w) || /^(sr|snr|senior|jr|jnr|junior)$/.test(w))
    .map((w) => (w === "sr" || w === "snr" ? "senior" : w === "jr" || w === "jnr" ? "junior" : w));
  if (all.length === 0) return null;
  const text = all.join(" ");
  if (/^(co )?founder\b|\bco founder\b|\bself employed\b|\bowner (operator|driver|chef)\b/.test(text)) return { label: CEO, rule: "level:ceo:founder-owner" };
  if (/\bchief executive( officer)?\b/.test(text) && !/\bdeputy\b/.test(text)) return { label: CEO, rule: "level:ceo:chief-executive" };
  if (/\b(managing|company|non executive|nonexecutive) director\b/.test(text)) return { label: CLEVEL, rule: "level:c:managing-director" };
  if (/\bgeneral counsel\b|\bvice chancellor\b|\bboard member\b|\bmember of the board\b/.test(text)) return { label: CLEVEL, rule: "level:c:board" };
  if (/\bhead of\b|\bhead teacher\b|\beditor in chief\b|\bchief of\b/.test(text)) return { label: VP, rule: "level:vp:head-of" };
  if (/\bvice president\b/.test(text)) return { label: VP, rule: "level:vp:vice-president" };
  if (/\bgroup manager\b/.test(text)) return { label: LEAD, rule: "level:lead:group-manager" };
  if (/\bbusiness partner\b/.test(text)) return { label: CONSULTANT, rule: "level:consultant:business-partner" };
  if (/\bproduct owner\b|\bmanaging editor\b/.test(text)) return { label: MANAGER, rule: "level:manager:product-owner" };
  if (/\blead (generation|generator|smelter|miner|burner)\b/.test(text)) return { label: SPECIALIST, rule: "level:specialist:lead-object" };

  const words = rolePhrase(all);
  const head = words[words.length - 1];
  const first = words[0];
  const grade1 = n.seniority.includes("grade:1");

  // Chief X Officer of a company function is C-level; any other chief heads a unit (VP/Head of).
  if (first === "chief" && head === "officer" && words.length >= 3) {
    const fn = words.slice(1, -1);
    return fn.every((w) => CLEVEL_FUNCTIONS.has(w)) ? { label: CLEVEL, rule: "level:c:chief-x-officer" } : { label: VP, rule: "level:vp:chief-public-office" };
  }
  if (CLEVEL_ACRONYMS.has(head)) return { label: CLEVEL, rule: "level:c:acronym" };
  if (head === "partner") {
    if (words.length === 1 || /\b(managing|senior|equity|junior|audit|tax|founding|general|name|salaried|law|solicitor)\b/.test(words.join(" "))) {
      return { label: words.includes("founding") ? CEO : CLEVEL, rule: "level:c:partner" };
    }
    return { label: SPECIALIST, rule: "level:specialist:service-partner" };
  }
  if (CEO_HEADS.has(head) && !(head === "owner" && words.includes("product"))) return { label: CEO, rule: "level:ceo:head" };
  if (CLEVEL_HEADS.has(head)) {
    if (words.includes("vice") && head === "president") return { label: VP, rule: "level:vp:vice-president" };
    return { label: CLEVEL, rule: "level:c:president-chair" };
  }
  if (head === "chief" || (first === "chief" && words.length > 1)) return { label: VP, rule: "level:vp:chief-occupation" };
  if (head === "head" || (first === "head" && /^(teacher|master|mistress)$/.test(words[1] ?? ""))) return { label: VP, rule: "level:vp:head" };
  if (first === "head" && words.length > 1) return { label: LEAD, rule: "level:lead:head-occupation" };
  if (head === "director") {
    if (words.length > 1 && ARTISTIC_DIRECTORS.has(words[words.length - 2])) return { label: SPECIALIST, rule: "level:specialist:artistic-director" };
    return { label: DIRECTOR, rule: "level:director" };
  }
  if (VP_HEADS.has(head)) {
    if (head === "principal" && words.length > 1 && !/school|vice|assistant/.test(words.join(" "))) return { label: VP, rule: "level:vp:principal" };
    return { label: VP, rule: `level:vp:${head}` };
  }
  if (head === "superintendent" && words.includes("school")) return { label: VP, rule: "level:vp:school-superintendent" };
  if (head === "leader" && words.length > 1 && LEADER_OCCUPATIONS.has(words[words.length - 2])) return { label: SPECIALIST, rule: "level:specialist:leader-occupation" };
  // A trainee-type word anywhere (not naming the object of a rank: "Internship Coordinator") makes it entry level.
  const entryMarker = words.some((w) => ENTRY_MARKERS.has(w)) || /\bentry level\b/.test(text) || grade1;
  if (RANKS.has(head)) {
    if (ENTRY_MARKERS.has(head)) return { label: ENTRY, rule: "level:entry:head" };
    if (LEAD_HEADS.has(head)) return { label: LEAD, rule: "level:lead:head" };
    if (MANAGER_HEADS.has(head)) return { label: MANAGER, rule: "level:manager:head" };
  }
  if (first === "lead" && words.length > 1 && !LEAD_OBJECTS.has(words[1])) return { label: LEAD, rule: "level:lead:lead-occupation" };
  if (entryMarker) return { label: ENTRY, rule: "level:entry:marker" };
  if (CONSULTANT_HEADS.has(head)) {
    return words.includes("junior") ? { label: ENTRY, rule: "level:entry:junior-consultant" } : { label: CONSULTANT, rule: "level:consultant:head" };
  }
  if (head === "professor" || (words.includes("physician") && (head === "assistant" || head === "associate"))) return { label: SPECIALIST, rule: "level:specialist:academic-clinical" };
  if (ENTRY_HEADS.has(head)) {
    if (words.includes("senior") && head === "associate") return { label: SPECIALIST, rule: "level:specialist:senior-associate" };
    return { label: ENTRY, rule: "level:entry:supporting-role" };
  }
  // "Assistant Cook": assistant before an occupation noun marks the assistant grade.
  if ((first === "assistant" || first === "associate") && words.length > 1) return { label: ENTRY, rule: "level:entry:assistant-occupation" };
  if (words.includes("junior") && !words.includes("high")) return { label: ENTRY, rule: "level:entry:junior" };
  if (words.length === 1 && OTHER_WORDS.has(head)) return { label: OTHER, rule: "level:other:status" };
  if (SPECIALIST_HEADS.has(head) || knownHeads.has(head)) return { label: SPECIALIST, rule: "level:specialist:occupation" };
  return null;
}

const RANK_ORDER = new Map(LEVELS.map((l, i) => [l, i]));

/** The level of a whole title: the highest-ranked of its role parts (list order), else Other. */
export function levelOf(title: string, knownHeads: ReadonlySet<string>): LevelDecision {
  let best: LevelDecision | null = null;
  for (const part of roleParts(title)) {
    const d = levelOfPart(part, knownHeads);
    if (d && d.label !== OTHER && (!best || RANK_ORDER.get(d.label)! < RANK_ORDER.get(best.label)!)) best = d;
  }
  return best ?? { label: OTHER, rule: "level:other:no-role-word" };
}

/** Head nouns of training titles, for telling job titles from noise. */
export function headNouns(titles: Iterable<string>, minCount = 2): Set<string> {
  const counts = new Map<string, number>();
  for (const t of titles) {
    const words = rolePhrase(normalizeTitle(t).core);
    const head = words[words.length - 1];
    if (head && /^[a-z]{3,}$/.test(head)) counts.set(head, (counts.get(head) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, c]) => c >= minCount).map(([w]) => w));
}
