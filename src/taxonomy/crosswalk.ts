// The hand-made crosswalks (data/crosswalks/*.tsv): O*NET-SOC occupation and ONS SOC 2020 unit group to
// Functional Role and Professional Industry. RULES.md beside them says how they were made.
import { projectPath } from "../data/paths";
import { readTsv } from "../data/tsv";
import { Industry, parseClass, Role } from "./classes";

export interface CrosswalkEntry {
  code: string;
  title: string;
  role: Role;
  industry: Industry;
  rule: string;
}

export const CROSSWALK_FILES = {
  onet: projectPath("data", "crosswalks", "onet-occupations.tsv"),
  ons: projectPath("data", "crosswalks", "ons-unit-groups.tsv"),
  titleRules: projectPath("data", "crosswalks", "title-rules.tsv"),
};

export interface TitleRule {
  pattern: RegExp;
  role: Role;
  why: string;
}

let rules: TitleRule[] | undefined;

/** Title-level role rules for classes no occupation expresses (see RULES.md), matched on the normalized title. */
export function titleRules(): TitleRule[] {
  return (rules ??= readTsv(CROSSWALK_FILES.titleRules, { header: ["pattern", "role", "why"] }).map((r) => ({
    pattern: new RegExp(r.cells[0]),
    role: parseClass("role", r.cells[1], `${CROSSWALK_FILES.titleRules}:${r.line}`) as Role,
    why: r.cells[2],
  })));
}

/** The role a title gets under an occupation whose crosswalk role is `role`: a matching title rule wins. */
export function roleForTitle(norm: string, role: Role): Role {
  for (const r of titleRules()) if (r.pattern.test(norm)) return r.role;
  return role;
}

function load(file: string, codeColumn: string): Map<string, CrosswalkEntry> {
  const rows = readTsv(file, { header: [codeColumn, "title", "role", "industry", "rule"] });
  const out = new Map<string, CrosswalkEntry>();
  for (const r of rows) {
    const [code, title, role, industry, rule] = r.cells;
    const where = `${file}:${r.line}`;
    if (out.has(code)) throw new Error(`${where}: duplicate code ${code}`);
    out.set(code, {
      code,
      title,
      role: parseClass("role", role, where) as Role,
      industry: parseClass("industry", industry, where) as Industry,
      rule,
    });
  }
  return out;
}

let onet: Map<string, CrosswalkEntry> | undefined;
let ons: Map<string, CrosswalkEntry> | undefined;

/** O*NET-SOC code ("15-1252.00") to role and industry. */
export function onetCrosswalk(): Map<string, CrosswalkEntry> {
  return (onet ??= load(CROSSWALK_FILES.onet, "onet_soc_code"));
}

/** ONS SOC 2020 unit group ("2134") to role and industry. */
export function onsCrosswalk(): Map<string, CrosswalkEntry> {
  return (ons ??= load(CROSSWALK_FILES.ons, "soc2020_unit_group"));
}
