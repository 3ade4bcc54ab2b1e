// `jtlab score --in titles.csv --out scores.csv [--force] [--run ID]`: the semantic score table for a file of any
// size. Input: a CSV with a `title` column (e.g. person_id,title[,tokens]). Output: the input's id and title, the
// label and score per category type, and one score column per class ("Engineering Score = max{similarity(title,
// 'Software Engineer'), …}"). Streams in batches with a progress bar; never overwrites an existing file unless --force.
import * as fs from "fs";
import { CATEGORY_TYPES } from "../../core/types";
import { csvRecords } from "../../data/csv-stream";
import { DataFileError } from "../../data/tsv";
import { ScoreTable } from "../../models/representatives/classifier";
import { loadSiamese } from "../../experiments/trained-models";
import { progress } from "../../runtime/progress";
import { parse, UsageError } from "../args";

const USAGE = "jtlab score --in titles.csv --out scores.csv [--force] [--run ID] [--batch N]";

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function scoreCommand(argv: string[]): Promise<void> {
  const { values } = parse(argv, { in: { type: "string" }, out: { type: "string" }, force: { type: "boolean" }, run: { type: "string" }, batch: { type: "string" } }, USAGE);
  if (!values.in || !values.out) throw new UsageError(`--in and --out are required\n\nusage: ${USAGE}`);
  if (fs.existsSync(values.out) && !values.force) throw new UsageError(`${values.out} exists: choose another --out, or pass --force to replace it`);
  if (!fs.existsSync(values.in)) throw new UsageError(`${values.in}: no such file`);
  const batchSize = Number(values.batch ?? 4096);
  const { trained: t } = await loadSiamese(values.run, () => undefined);

  // Count records first (cheap) so that the progress bar knows its total.
  let total = 0;
  for await (const _ of csvRecords(values.in)) total++;
  total = Math.max(0, total - 1);

  const classes = CATEGORY_TYPES.flatMap((type) => t.classifiers[type].classes.map((c) => ({ type, c })));
  const tmp = `${values.out}.partial-${process.pid}`;
  const out = fs.createWriteStream(tmp);
  const header = ["id", "title", ...CATEGORY_TYPES.flatMap((ty) => [ty, `${ty}_score`]), ...classes.map(({ type, c }) => `${type}: ${c}`)];
  out.write(header.map(csvCell).join(",") + "\n");
  let titleCol = -1;
  let idCol = -1;
  let batch: { id: string; title: string }[] = [];
  const bar = progress(total, "scoring titles");
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const titles = batch.map((b) => b.title);
    // One tower pass per title, shared by the labels and every score column.
    const rows = await t.similarity.encode(titles);
    const tables: ScoreTable[] = CATEGORY_TYPES.map((ty) => t.classifiers[ty].scoreRows(rows));
    const preds = CATEGORY_TYPES.map((ty, k) => t.classifiers[ty].predictFromTable(titles, tables[k]));
    const lines: string[] = [];
    batch.forEach((b, i) => {
      const row: (string | number)[] = [b.id, b.title];
      for (const p of preds) row.push(p[i].label, Math.round(p[i].score * 10000) / 10000);
      tables.forEach((tab) => {
        const C = tab.classes.length;
        for (let c = 0; c < C; c++) row.push(Math.round(tab.scores[i * C + c] * 10000) / 10000);
      });
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
        continue;
      }
      if (rec.fields.length <= titleCol) throw new DataFileError(values.in, rec.line, `expected a title in column ${titleCol + 1}, found ${rec.fields.length} fields`);
      batch.push({ id: idCol >= 0 ? rec.fields[idCol] ?? "" : String(rec.line), title: rec.fields[titleCol] });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
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
