// `jtlab fix`: mend a title's label without retraining, as data. The fix (a pin, or an added example) is written into
// the category type's taxonomy file with who, when and why; before it is written, the dev titles are answered with
// and without it, and the tool prints every dev title whose label moved and the dev figures before and after.
import { spawnSync } from "child_process";
import * as os from "os";
import { CATEGORY_TYPES, CategoryType, Labelled, SimilarityModel } from "../../core/types";
import { DataFileError, parseTsv, readTextFile, splitLines } from "../../data/tsv";
import { readLabelledTitles, withLabelledTitles } from "../../taxonomy/labelled-titles";
import { loadDatasets } from "../../datasets/build";
import { customTypeFixEffect, devSet, FixEffect, fixEffect } from "../../experiments/fix-effect";
import { applyFixes } from "../../experiments/fixed";
import { servePerType, Served, taxonomyVectors } from "../../experiments/served";
import { builtInTaxonomyFile, fixesOf, fixLabel, isOverlay, PlannedFix, planFix, readBuiltInTaxonomy, writeFix } from "../../taxonomy/fixes";
import { FIX_KINDS, FixKind, readTaxonomy, Taxonomy } from "../../taxonomy/taxonomy-file";
import { num, parse, UsageError } from "../args";
import { checkProtocol } from "./classify";

const USAGE =
  'jtlab fix "<title>" (--type role|level|industry | --taxonomy FILE) --label CLASS --why TEXT [--as example|pin] [--by NAME] ' +
  "[--file FIXES.tsv] [--dev LABELLED.tsv] [--new-class] [--threshold T] [--run ID] [--method M] [--protocol P] [--dry-run] [--show N] [--json]";

interface Asked {
  title: string;
  label: string;
  kind: FixKind;
  why: string;
  /** Where the fix was asked for: the command line, or a line of --file. */
  where: string;
}

/** Who makes the fix: --by, else $JTLAB_USER, else git's user.name, else the login name. */
function whoAmI(): string {
  if (process.env.JTLAB_USER) return process.env.JTLAB_USER;
  const git = spawnSync("git", ["config", "user.name"], { encoding: "utf8" });
  if (git.status === 0 && git.stdout.trim()) return git.stdout.trim();
  try {
    return os.userInfo().username;
  } catch {
    return "unknown";
  }
}

/** A fixes file: a header `title, label[, kind][, why]`, one fix per row; empty kind or why take the command line's. */
function readFixesFile(file: string, kind: FixKind, why: string | undefined): Asked[] {
  const text = readTextFile(file);
  const lines = splitLines(text);
  const header = (lines[0] ?? "").split("\t").map((c) => c.trim());
  const shapes = [["title", "label"], ["title", "label", "kind"], ["title", "label", "why"], ["title", "label", "kind", "why"]];
  if (!shapes.some((s) => s.length === header.length && s.every((c, i) => c === header[i]))) {
    throw new DataFileError(file, 1, `unexpected header [${header.join(" | ")}]: expected title, label, and optionally kind and why`);
  }
  return parseTsv(text, file, { header }).map((r) => {
    const cell = (c: string): string => (header.includes(c) ? r.cells[header.indexOf(c)].trim() : "");
    const k = cell("kind") || kind;
    if (!(FIX_KINDS as readonly string[]).includes(k)) throw new DataFileError(file, r.line, `unknown kind ${JSON.stringify(k)} (the kinds are ${FIX_KINDS.join(", ")})`);
    const w = cell("why") || why;
    if (!w) throw new DataFileError(file, r.line, "no why: give a why column or --why");
    if (!cell("title")) throw new DataFileError(file, r.line, "the title is empty");
    return { title: cell("title"), label: cell("label"), kind: k as FixKind, why: w, where: `${file}:${r.line}` };
  });
}

type Answer = Pick<Labelled, "label" | "score">;

export interface FixReport {
  type: string;
  file: string;
  written: boolean;
  answeredBy: string;
  fixes: { title: string; label: string; kind: FixKind; by: string; at: string; why: string; line: number | null; before: { label: string; score: number }; after: { label: string; score: number } }[];
  dev: FixEffect & { set: string };
}

export async function fixCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      type: { type: "string" },
      taxonomy: { type: "string" },
      label: { type: "string" },
      as: { type: "string" },
      why: { type: "string" },
      by: { type: "string" },
      file: { type: "string" },
      dev: { type: "string" },
      "new-class": { type: "boolean" },
      threshold: { type: "string" },
      run: { type: "string" },
      method: { type: "string" },
      protocol: { type: "string" },
      "dry-run": { type: "boolean" },
      show: { type: "string" },
      json: { type: "boolean" },
    },
    USAGE,
  );
  if (values.type && values.taxonomy) throw new UsageError("give --type (a built-in type) or --taxonomy FILE (a type of your own), not both");
  if (!values.type && !values.taxonomy) throw new UsageError(`give --type (a built-in type: ${CATEGORY_TYPES.join(", ")}) or --taxonomy FILE (a type of your own)\n\nusage: ${USAGE}`);
  const type = values.type as CategoryType | undefined;
  if (type !== undefined && !CATEGORY_TYPES.includes(type)) throw new UsageError(`--type must be one of ${CATEGORY_TYPES.join(", ")}, got ${JSON.stringify(values.type)}`);
  const kind = (values.as ?? "example") as FixKind;
  if (!FIX_KINDS.includes(kind)) throw new UsageError(`--as must be one of ${FIX_KINDS.join(", ")}, got ${JSON.stringify(values.as)}`);
  checkProtocol(values.protocol);
  const show = num(values.show, "show", 20);
  if (!Number.isInteger(show) || show < 0) throw new UsageError("--show expects a whole number of at least 0");
  const threshold = values.threshold === undefined ? undefined : num(values.threshold, "threshold", 0.5);
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) throw new UsageError(`--threshold expects a number from 0 to 1, got ${JSON.stringify(values.threshold)}`);
  if (threshold !== undefined && !values.taxonomy) throw new UsageError("--threshold applies to --taxonomy types");
  if (values.dev && !values.taxonomy) throw new UsageError("--dev gives a --taxonomy type its gold labels; a built-in type is scored on its own dev split");
  if (values["new-class"] && !values.taxonomy) throw new UsageError("--new-class adds a class to a --taxonomy type; the built-in types' classes are fixed");
  let asked: Asked[];
  if (values.file) {
    if (positionals.length || values.label) throw new UsageError("--file gives the titles and labels: leave out the title and --label");
    asked = readFixesFile(values.file, kind, values.why);
    if (!asked.length) throw new UsageError(`${values.file} holds no fixes`);
  } else {
    if (positionals.length !== 1) throw new UsageError(`give one title (or --file FIXES.tsv)\n\nusage: ${USAGE}`);
    if (!positionals[0].trim()) throw new UsageError("the title is empty");
    if (!values.label) throw new UsageError(`give --label CLASS: the class the title should get\n\nusage: ${USAGE}`);
    if (!values.why?.trim()) throw new UsageError('give --why "…": the reason is recorded with the fix, for whoever reads the taxonomy next');
    asked = [{ title: positionals[0], label: values.label, kind, why: values.why, where: "the command line" }];
  }
  const by = values.by?.trim() || whoAmI();
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

  // Plan every fix on the text the one before it planned: nothing is written until all pass their checks.
  const file = values.taxonomy ?? builtInTaxonomyFile(type!);
  const overlay = type ? isOverlay(type) : false;
  const start: Taxonomy = type ? readBuiltInTaxonomy(type) : readTaxonomy(file);
  let text: string | undefined;
  let current = start;
  const plans: PlannedFix[] = [];
  for (const a of asked) {
    let label: string;
    try {
      label = fixLabel(type ?? null, current, a.label, values["new-class"] === true);
    } catch (e) {
      throw new UsageError(`${a.where}: ${(e as Error).message}`);
    }
    const p = planFix(file, { title: a.title, label, kind: a.kind, by, at, why: a.why }, { overlay, newType: type, text, ...(plans.length ? { original: plans[0].original } : {}) });
    plans.push(p);
    text = p.text;
    current = p.after;
  }

  const d = loadDatasets();
  const served = await servePerType({ method: values.method, protocol: values.protocol, run: values.run, fixes: false }, d);
  let vectors: ReturnType<typeof taxonomyVectors> | null = null;
  const answering = (): ReturnType<typeof taxonomyVectors> => (vectors ??= taxonomyVectors(served, d));
  const model = async (): Promise<SimilarityModel> => (await answering()).similarity;
  const fixedTitles = plans.map((p) => p.fix.title);
  let report: FixReport;
  if (type) {
    const dev = devSet(d, type);
    const titles = [...dev.titles, ...fixedTitles];
    const base = await served[type].predictor.predict(titles, type);
    const before = await applyFixes(fixesOf(start), model, titles, base);
    const after = await applyFixes(fixesOf(current), model, titles, base);
    const n = dev.titles.length;
    report = reportOf(type, file, served[type], plans, before.slice(n), after.slice(n), fixEffect(dev.titles, before.slice(0, n).map((a) => a.label), after.slice(0, n).map((a) => a.label), dev.gold), `the ${type === "level" ? "Level gold's dev half" : "dev split"}`);
  } else {
    const m = await model();
    const dev = values.dev ? (({ titles, labels }) => ({ titles, gold: labels }))(readLabelledTitles(values.dev, current)) : { titles: devSet(d, "role").titles, gold: null };
    const { effect, extra } = await customTypeFixEffect(m, withLabelledTitles(start), withLabelledTitles(current), dev, { threshold, extra: fixedTitles });
    const set = values.dev ?? "the dev split (no gold for this type: pass --dev FILE for figures)";
    report = reportOf(current.name, file, served.role, plans, extra.map((x) => x.before), extra.map((x) => x.after), effect, set);
    const { choice } = await answering();
    report.answeredBy = `${m.name} vectors of run ${choice.runId} (${choice.method}) · ${current.labelled ? "a vote of the file's examples and labelled titles" : "the file's examples"}`;
  }
  if (!values["dry-run"]) {
    writeFix(plans[plans.length - 1]);
    report.written = true;
  }
  if (values.json) console.log(JSON.stringify(report));
  else printReport(report, show, values["dry-run"] === true);
}

function reportOf(typeName: string, file: string, served: Served, plans: PlannedFix[], before: Answer[], after: Answer[], dev: FixEffect, set: string): FixReport {
  const r4 = (x: number): number => Math.round(x * 10000) / 10000;
  return {
    type: typeName,
    file,
    written: false,
    answeredBy: `${served.choice.method} · ${served.choice.protocol}, run ${served.choice.runId}`,
    fixes: plans.map((p, i) => ({
      ...p.fix,
      line: p.line,
      before: { label: before[i].label, score: r4(before[i].score) },
      after: { label: after[i].label, score: r4(after[i].score) },
    })),
    dev: { ...dev, set },
  };
}

function printReport(r: FixReport, show: number, dryRun: boolean): void {
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  for (const f of r.fixes) {
    console.log(`${f.kind === "pin" ? "pin" : "example"}: ${JSON.stringify(f.title)} → ${f.label}  (${r.type})`);
    console.log(`  the title: ${f.before.label} ${f.before.score.toFixed(3)} → ${f.after.label} ${f.after.score.toFixed(3)}`);
  }
  const last = r.fixes[r.fixes.length - 1];
  console.log(dryRun ? `  dry run: nothing written to ${r.file}` : `  written to ${r.file}${last.line === null ? "" : `:${last.line}`} by ${last.by} at ${last.at}: ${JSON.stringify(last.why)}`);
  console.log(`  answered by ${r.answeredBy}`);
  const e = r.dev;
  console.log(`dev: ${e.titles.toLocaleString("en-US")} titles of ${e.set}; ${e.moved.length} moved`);
  if (e.before && e.after) {
    const dF1 = e.after.macroF1 - e.before.macroF1;
    const dAcc = e.after.accuracy - e.before.accuracy;
    console.log(`  macro-F1 ${e.before.macroF1.toFixed(4)} → ${e.after.macroF1.toFixed(4)} (${dF1 >= 0 ? "+" : ""}${dF1.toFixed(4)}); accuracy ${pct(e.before.accuracy)} → ${pct(e.after.accuracy)} (${dAcc >= 0 ? "+" : ""}${(100 * dAcc).toFixed(2)} pp)`);
    console.log(`  ${e.mended} now right, ${e.broken} now wrong, ${e.moved.length - e.mended - e.broken} moved between wrong labels or unlabelled`);
  }
  for (const m of e.moved.slice(0, show)) {
    const mark = m.gold === null ? "" : m.after === m.gold ? "  ✓ now right" : m.before === m.gold ? `  ✗ now wrong (gold ${m.gold})` : `  (gold ${m.gold})`;
    console.log(`    ${JSON.stringify(m.title)}: ${m.before} → ${m.after}${mark}`);
  }
  if (e.moved.length > show) console.log(`    … and ${e.moved.length - show} more (--show N, or --json for all)`);
}
