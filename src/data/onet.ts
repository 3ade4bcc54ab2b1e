// Typed loaders for the O*NET 29.3 tables the workbench uses.
import { optional, readDataFile } from "./locate";

export interface Occupation {
  code: string;
  title: string;
  description: string;
}
export interface AlternateTitle {
  code: string;
  title: string;
  shortTitle: string | null;
  sources: string[];
}
export interface ReportedTitle {
  code: string;
  title: string;
  shownInMyNextMove: boolean;
}
export interface RelatedOccupation {
  code: string;
  related: string;
  tier: "Primary-Short" | "Primary-Long" | "Supplemental";
  index: number;
}
export interface TechnologySkill {
  code: string;
  example: string;
  commodity: string;
  hot: boolean;
  inDemand: boolean;
}
export interface TaskStatement {
  code: string;
  taskId: string;
  task: string;
  type: string | null;
}

const CODE = /^\d{2}-\d{4}\.\d{2}$/;

function code(cell: string, file: string, line: number): string {
  if (!CODE.test(cell)) throw new Error(`O*NET ${file}:${line}: malformed O*NET-SOC code ${JSON.stringify(cell)}`);
  return cell;
}

export function loadOccupations(dataDir?: string): Occupation[] {
  return readDataFile("onetOccupations", dataDir).map((r) => ({
    code: code(r.cells[0], "Occupation Data", r.line),
    title: r.cells[1].trim(),
    description: r.cells[2].trim(),
  }));
}

export function loadAlternateTitles(dataDir?: string): AlternateTitle[] {
  return readDataFile("onetAlternateTitles", dataDir).map((r) => ({
    code: code(r.cells[0], "Alternate Titles", r.line),
    title: r.cells[2].trim(),
    shortTitle: optional(r.cells[3]),
    sources: r.cells[4].split(",").map((s) => s.trim()).filter(Boolean),
  }));
}

export function loadReportedTitles(dataDir?: string): ReportedTitle[] {
  return readDataFile("onetReportedTitles", dataDir).map((r) => ({
    code: code(r.cells[0], "Sample of Reported Titles", r.line),
    title: r.cells[2].trim(),
    shownInMyNextMove: r.cells[3].trim() === "Y",
  }));
}

export function loadRelatedOccupations(dataDir?: string): RelatedOccupation[] {
  return readDataFile("onetRelatedOccupations", dataDir).map((r) => {
    const tier = r.cells[4].trim();
    if (tier !== "Primary-Short" && tier !== "Primary-Long" && tier !== "Supplemental") {
      throw new Error(`O*NET Related Occupations:${r.line}: unknown relatedness tier ${JSON.stringify(tier)}`);
    }
    return {
      code: code(r.cells[0], "Related Occupations", r.line),
      related: code(r.cells[2], "Related Occupations", r.line),
      tier,
      index: Number(r.cells[5]),
    };
  });
}

export function loadTechnologySkills(dataDir?: string): TechnologySkill[] {
  return readDataFile("onetTechnologySkills", dataDir).map((r) => ({
    code: code(r.cells[0], "Technology Skills", r.line),
    example: r.cells[2].trim(),
    commodity: r.cells[4].trim(),
    hot: r.cells[5].trim() === "Y",
    inDemand: r.cells[6].trim() === "Y",
  }));
}

export function loadTaskStatements(dataDir?: string): TaskStatement[] {
  return readDataFile("onetTaskStatements", dataDir).map((r) => ({
    code: code(r.cells[0], "Task Statements", r.line),
    taskId: r.cells[2].trim(),
    task: r.cells[3].trim(),
    type: optional(r.cells[4]),
  }));
}

/** SOC major group of an O*NET-SOC code ("15-1252.00" -> "15"). */
export function majorGroup(onetCode: string): string {
  return onetCode.slice(0, 2);
}

/** SOC 2018 minor group ("15-1252.00" -> "15-1200"). */
export function minorGroup(onetCode: string): string {
  return onetCode.slice(0, 5) + "00";
}
