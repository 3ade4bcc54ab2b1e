// Every title in the open data, deduplicated by its normalized key and labelled through the crosswalks.
import { loadAlternateTitles, loadOccupations, loadReportedTitles } from "../data/onet";
import { loadOnsIndex } from "../data/ons";
import { onetCrosswalk, onsCrosswalk, roleForTitle } from "../taxonomy/crosswalk";
import { Role } from "../taxonomy/classes";
import { normKey } from "../text/normalize";

export type TitleSource = "onet-occupation" | "onet-alternate" | "onet-reported" | "ons-index";

/** One membership of a title in an occupation: "onet:15-1252.00" or "ons:2134/00" (ONS sub-unit group). */
export interface LabelledTitle {
  title: string;
  norm: string;
  sources: TitleSource[];
  /** O*NET-SOC codes and ONS sub-unit groups the title is listed under. */
  groups: string[];
  /** Roles of those groups, most frequent first; `role` is set only when they all agree. */
  roles: string[];
  role: string | null;
  industries: string[];
  industry: string | null;
}

interface Acc {
  displays: Map<string, number>;
  sources: Set<TitleSource>;
  groups: Set<string>;
  roleVotes: Map<string, number>;
  industryVotes: Map<string, number>;
}

function byVotes(m: Map<string, number>): string[] {
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
}

export interface TitleUniverse {
  titles: Map<string, LabelledTitle>;
  /** Normalized keys of the titles in O*NET's Sample of Reported Titles. */
  reported: Set<string>;
}

/** Collects O*NET occupation, alternate and reported titles and ONS index titles, labelled by the crosswalks. */
export function buildTitleUniverse(dataDir?: string): TitleUniverse {
  const onetX = onetCrosswalk();
  const onsX = onsCrosswalk();
  const acc = new Map<string, Acc>();
  const add = (title: string, source: TitleSource, group: string, occupationRole: Role, industry: string): void => {
    const norm = normKey(title);
    if (!norm) return;
    const role = roleForTitle(norm, occupationRole);
    let a = acc.get(norm);
    if (!a) {
      a = { displays: new Map(), sources: new Set(), groups: new Set(), roleVotes: new Map(), industryVotes: new Map() };
      acc.set(norm, a);
    }
    a.displays.set(title, (a.displays.get(title) ?? 0) + 1);
    a.sources.add(source);
    if (!a.groups.has(group)) {
      a.groups.add(group);
      a.roleVotes.set(role, (a.roleVotes.get(role) ?? 0) + 1);
      a.industryVotes.set(industry, (a.industryVotes.get(industry) ?? 0) + 1);
    }
  };
  const onet = (code: string): { role: Role; industry: string } => {
    const x = onetX.get(code);
    if (!x) throw new Error(`crosswalk: O*NET-SOC code ${code} is missing from data/crosswalks/onet-occupations.tsv`);
    return x;
  };
  for (const o of loadOccupations(dataDir)) {
    const x = onet(o.code);
    add(o.title, "onet-occupation", `onet:${o.code}`, x.role, x.industry);
  }
  for (const t of loadAlternateTitles(dataDir)) {
    const x = onet(t.code);
    add(t.title, "onet-alternate", `onet:${t.code}`, x.role, x.industry);
  }
  const reported = new Set<string>();
  for (const t of loadReportedTitles(dataDir)) {
    const x = onet(t.code);
    add(t.title, "onet-reported", `onet:${t.code}`, x.role, x.industry);
    reported.add(normKey(t.title));
  }
  for (const e of loadOnsIndex(dataDir)) {
    const x = onsX.get(e.unitGroup);
    if (!x) throw new Error(`crosswalk: ONS unit group ${e.unitGroup} is missing from data/crosswalks/ons-unit-groups.tsv`);
    add(e.title, "ons-index", `ons:${e.subUnitGroup}`, x.role, x.industry);
  }
  const titles = new Map<string, LabelledTitle>();
  for (const [norm, a] of [...acc.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const roles = byVotes(a.roleVotes);
    const industries = byVotes(a.industryVotes);
    titles.set(norm, {
      title: byVotes(a.displays)[0],
      norm,
      sources: [...a.sources].sort(),
      groups: [...a.groups].sort(),
      roles,
      role: roles.length === 1 ? roles[0] : null,
      industries,
      industry: industries.length === 1 ? industries[0] : null,
    });
  }
  return { titles, reported };
}
