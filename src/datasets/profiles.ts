// Simulated profiles for the talk's "a user is a document" and "titles held by one person are similar".
// No open career-history data exists, so people are generated from O*NET: 2 to 5 titles from one occupation's
// training titles and those of its Primary-Short related occupations, ordered by seniority, plus skill tokens
// from the occupation's Technology Skills. Every such profile is marked simulated.
import { loadOccupations, loadRelatedOccupations, loadTechnologySkills } from "../data/onet";
import { Profile } from "../data/user-csv";
import { phraseToken } from "../text/tokenize";
import { seniorityRank } from "../text/seniority";
import { Rng } from "../util/random";
import { LabelledTitle } from "./labelled";

export interface SimulatedProfile extends Profile {
  simulated: true;
  /** The occupation the person was drawn from (for evaluation only). */
  occupation: string;
}

export interface ProfileConfig {
  count: number;
  seed: number;
  minTitles: number;
  maxTitles: number;
  /** Chance that a later title comes from a related occupation rather than the person's own. */
  relatedShare: number;
  minSkills: number;
  maxSkills: number;
}

export const DEFAULT_PROFILE_CONFIG: ProfileConfig = {
  count: 20000,
  seed: 20170902,
  minTitles: 2,
  maxTitles: 5,
  relatedShare: 0.3,
  minSkills: 2,
  maxSkills: 6,
};

/** Generates profiles from training titles only (pass the train split). */
export function simulateProfiles(train: readonly LabelledTitle[], config: ProfileConfig = DEFAULT_PROFILE_CONFIG, dataDir?: string): SimulatedProfile[] {
  const rng = new Rng(config.seed);
  const titlesByCode = new Map<string, string[]>();
  for (const t of train) {
    for (const g of t.groups) {
      if (!g.startsWith("onet:")) continue;
      const code = g.slice(5);
      let l = titlesByCode.get(code);
      if (!l) titlesByCode.set(code, (l = []));
      l.push(t.title);
    }
  }
  const related = new Map<string, string[]>();
  for (const r of loadRelatedOccupations(dataDir)) {
    if (r.tier !== "Primary-Short") continue;
    let l = related.get(r.code);
    if (!l) related.set(r.code, (l = []));
    l.push(r.related);
  }
  const skills = new Map<string, string[]>();
  for (const s of loadTechnologySkills(dataDir)) {
    let l = skills.get(s.code);
    if (!l) skills.set(s.code, (l = []));
    // Hot technologies first: they are what people list on a profile.
    if (s.hot) l.unshift(phraseToken(s.example));
    else l.push(phraseToken(s.example));
  }
  const codes = loadOccupations(dataDir)
    .map((o) => o.code)
    .filter((c) => (titlesByCode.get(c)?.length ?? 0) >= config.minTitles);
  const out: SimulatedProfile[] = [];
  const width = String(config.count).length;
  for (let i = 0; i < config.count; i++) {
    const code = rng.pick(codes);
    const own = titlesByCode.get(code)!;
    const rel = (related.get(code) ?? []).filter((c) => titlesByCode.has(c));
    const n = rng.range(config.minTitles, config.maxTitles);
    const chosen = new Set<string>([rng.pick(own)]);
    for (let tries = 0; chosen.size < n && tries < n * 4; tries++) {
      const fromRelated = rel.length > 0 && rng.next() < config.relatedShare;
      chosen.add(rng.pick(fromRelated ? titlesByCode.get(rng.pick(rel))! : own));
    }
    // A career runs from junior to senior titles; equal ranks keep their random order.
    const titles = [...chosen].map((t, k) => ({ t, k, r: seniorityRank(t) })).sort((a, b) => a.r - b.r || a.k - b.k).map((x) => x.t);
    const pool = skills.get(code) ?? [];
    const nSkills = Math.min(pool.length, rng.range(config.minSkills, config.maxSkills));
    // Skills are drawn mostly from the top of the list (hot technologies), as real profiles show them.
    const tokens = new Set<string>();
    for (let tries = 0; tokens.size < nSkills && tries < nSkills * 4; tries++) {
      tokens.add(pool[Math.floor(pool.length * rng.next() * rng.next())]);
    }
    out.push({
      personId: `sim-${String(i + 1).padStart(width, "0")}`,
      titles,
      tokens: [...tokens],
      simulated: true,
      occupation: code,
    });
  }
  return out;
}
