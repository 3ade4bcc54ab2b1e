// `jtlab score --in titles.csv --out scores.csv [--method M] [--protocol P] [--run ID] [--force]`: the score table
// for a file of any size. Input: a CSV with a `title` column (e.g. person_id,title[,tokens]). Output: the input's id
// column (under its own name) and title, the label and score per category type, and one score column per class,
// named for pandas (`role_score__engineering`). Each category type is served by the best method and protocol on dev
// unless one is named (stderr says which). Streams in batches with a progress bar; never overwrites an existing
// file unless --force.
import * as fs from "fs";
import { CATEGORY_TYPES, CategoryType, ScoreTable } from "../../core/types";
import { csvRecords } from "../../data/csv-stream";
import { DataFileError } from "../../data/tsv";
import { loadDatasets } from "../../datasets/build";
import { servePerType } from "../../experiments/served";
import { classesOf } from "../../taxonomy/classes";
import { progress } from "../../runtime/progress";
import { parse, UsageError } from "../args";
import { checkProtocol } from "./classify";

const USAGE = "jtlab score --in titles.csv --out scores.csv [--method M] [--protocol P] [--run ID] [--force] [--batch N]";

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A class as part of a column name pandas can use as an attribute: "IT Ops & Technology" → "it_ops_technology". */
export function columnSlug(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "") || "class";
}

export async function scoreCommand(argv: string[]): Promise<void> {
  const { values } = parse(
    argv,
    { in: { type: "string" }, out: { type: "string" }, force: { type: "boolean" }, run: { type: "string" }, method: { type: "string" }, protocol: { type: "string" }, batch: { type: "string" } },
    USAGE,
  );
  if (!values.in || !values.out) throw new UsageError(`--in and --out are required\n\nusage: ${USAGE}`);
  checkProtocol(values.protocol);
  if (fs.existsSync(values.out) && !values.force) throw new UsageError(`${values.out} exists: choose another --out, or pass --force to replace it`);
  if (!fs.existsSync(values.in)) throw new UsageError(`${values.in}: no such file`);
  const batchSize = Number(values.batch ?? 4096);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`--batch expects a whole number of at least 1, got ${JSON.stringify(values.batch)}`);
  const served = await servePerType({ method: values.method, protocol: values.protocol, run: values.run }, loadDatasets(), () => undefined);
  for (const type of CATEGORY_TYPES) {
    const c = served[type].choice;
    console.error(`${type}: ${c.method} · ${c.protocol} (run ${c.runId}, dev macro-F1 ${Number.isFinite(c.devMacroF1) ? c.devMacroF1.toFixed(3) : "n/a"})`);
  }

  // Count records first (cheap) so that the progress bar knows its total.
  let total = 0;
  for await (const _ of csvRecords(values.in)) total++;
  total = Math.max(0, total - 1);

  // Score columns follow the taxonomy's class order, whatever order a method's table has.
  const columns: { type: CategoryType; c: string }[] = CATEGORY_TYPES.flatMap((type) => classesOf(type).filter((c) => c !== "Other").map((c) => ({ type, c })));
  const tmp = `${values.out}.partial-${process.pid}`;
  const out = fs.createWriteStream(tmp);
  let titleCol = -1;
  let idCol = -1;
  let batch: { id: string; title: string }[] = [];
  const bar = progress(total, "scoring titles");
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const titles = batch.map((b) => b.title);
    const preds = await Promise.all(CATEGORY_TYPES.map((ty) => served[ty].predictor.predict(titles, ty)));
    const tables: (ScoreTable | null)[] = await Promise.all(CATEGORY_TYPES.map((ty) => served[ty].table(titles, ty)));
    const lines: string[] = [];
    batch.forEach((b, i) => {
      const row: (string | number)[] = [b.id, b.title];
      for (const p of preds) row.push(p[i].label, Math.round(p[i].score * 10000) / 10000);
      for (const { type, c } of columns) {
        const tab = tables[CATEGORY_TYPES.indexOf(type)];
        const k = tab ? tab.classes.indexOf(c) : -1;
        row.push(tab && k >= 0 ? Math.round(tab.scores[i * tab.classes.length + k] * 10000) / 10000 : "");
      }
      lines.push(row.map(csvCell).join(","));
    });
    out.write(lines.join("\n") + "\n");
    bar.tick(batch.length);
    batch = [];
  };
  try {
    for await (const rec of csvRecords(values.in)) {
      if (titleCol < 0) {
        const head = rec.fields.map((f) => f.trim().toLowerCase());
        titleCol = head.indexOf("title");
        idCol = head.indexOf("person_id") >= 0 ? head.indexOf("person_id") : head.indexOf("id");
        if (titleCol < 0) throw new DataFileError(values.in, rec.line, `no "title" column in the header (${rec.fields.join(",")})`);
        // The input's own id column name is kept (person_id stays person_id), so the output joins back on it.
        const idName = idCol >= 0 ? rec.fields[idCol].trim() : "line";
        const header = [idName, "title", ...CATEGORY_TYPES.flatMap((ty) => [ty, `${ty}_score`]), ...columns.map(({ type, c }) => `${type}_score__${columnSlug(c)}`)];
        out.write(header.map(csvCell).join(",") + "\n");
        continue;
      }
      if (rec.fields.length <= titleCol) throw new DataFileError(values.in, rec.line, `expected a title in column ${titleCol + 1}, found ${rec.fields.length} fields`);
      batch.push({ id: idCol >= 0 ? rec.fields[idCol] ?? "" : String(rec.line), title: rec.fields[titleCol] });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    if (titleCol < 0) throw new DataFileError(values.in, 1, "the file is empty: expected a header with a title column");
    bar.finish();
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    fs.renameSync(tmp, values.out);
  } catch (e) {
    out.destroy();
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  console.error(`wrote ${values.out}`);
}
