// Typed loaders for the UK ONS SOC 2020 coding index and the two classification frameworks.
import { readDataFile } from "./locate";

export interface OnsIndexEntry {
  id: string;
  /** Title in natural word order ("Sales support analyst"). */
  title: string;
  /** Title as indexed, reverse word order ("Analyst, support, sales"). */
  indexTitle: string;
  /** Qualifiers: ADD (e.g. "computing/IT") and IND (an industry term). */
  add: string | null;
  industry: string | null;
  unitGroup: string;
  /** Sub-unit group, e.g. "3132/00". */
  subUnitGroup: string;
  unitGroupTitle: string;
  subUnitGroupTitle: string;
  isco08: string;
}

export interface SocGroup {
  level: "major" | "sub-major" | "minor" | "unit";
  code: string;
  title: string;
}

/** Rows whose codes are `}}}}` are "see another entry" pointers, not codable: the loader skips them. */
export const NOT_CODABLE = "}}}}";

export function loadOnsIndex(dataDir?: string): OnsIndexEntry[] {
  const out: OnsIndexEntry[] = [];
  for (const r of readDataFile("onsCodingIndex", dataDir)) {
    const c = r.cells;
    if (c[6].trim() === NOT_CODABLE) continue;
    const unitGroup = c[6].trim();
    if (!/^\d{4}$/.test(unitGroup)) {
      throw new Error(`ONS coding index:${r.line}: malformed SOC_2020 unit group ${JSON.stringify(unitGroup)}`);
    }
    const opt = (s: string): string | null => (s.trim() === "" ? null : s.trim());
    out.push({
      id: c[0].trim(),
      title: c[21].trim(),
      indexTitle: c[8].trim(),
      add: opt(c[9]),
      industry: opt(c[10]),
      unitGroup,
      subUnitGroup: c[7].trim(),
      unitGroupTitle: c[18].trim(),
      subUnitGroupTitle: c[19].trim(),
      isco08: c[12].trim(),
    });
  }
  return out;
}

export function loadSocFramework(dataDir?: string): SocGroup[] {
  const levels = ["major", "sub-major", "minor", "unit"] as const;
  const out: SocGroup[] = [];
  for (const r of readDataFile("onsFramework", dataDir)) {
    const i = [1, 2, 3, 4].findIndex((k) => r.cells[k].trim() !== "");
    if (i < 0) throw new Error(`ONS soc2020_framework:${r.line}: no group code`);
    out.push({ level: levels[i], code: r.cells[i + 1].trim(), title: r.cells[5].trim() });
  }
  return out;
}

export function loadIscoFramework(dataDir?: string): SocGroup[] {
  const levels = ["major", "sub-major", "minor", "unit"] as const;
  const out: SocGroup[] = [];
  for (const r of readDataFile("isco08Framework", dataDir)) {
    const code = r.cells[1].trim();
    if (!/^\d{1,4}$/.test(code)) continue; // the preamble lines (source, URL, heading)
    out.push({ level: levels[code.length - 1], code, title: r.cells[2].trim() });
  }
  return out;
}
