// `jtlab score --in titles.csv --out scores.csv [--method M] [--protocol P] [--run ID] [--force] [--encoding E]`: the
// score table for a file of any size. Input: a CSV with a `title` column (e.g. person_id,title[,tokens]), UTF-8 (an
// invalid byte is an error naming its line) or Latin-1 with --encoding latin1. Output: the input's id column (under
// its own name) and title, the label and score per category type, and one score column per class, named for pandas
// (`role_score__engineering`). An empty or blank title has nothing to score: label Other, every score empty. Each
// category type is served by the best method and protocol on dev unless one is named (stderr says which).
//
// Checked before any model loads: --in is a file, --out's folder exists and takes a file (the temporary output is
// created first), and the whole CSV is read once (one linear pass, failing fast on the first malformed record with
// its line and column; an empty file or a header without rows is an error). Then streams in batches with a
// progress bar into a temporary file beside --out, renamed into place only when complete: a failed or interrupted
// run (SIGINT, SIGTERM) leaves neither a partial table nor a temporary file. Never overwrites an existing file
// unless --force. Ends with `rows read N, scored N, empty titles N, skipped N` on stderr (skipped: blank lines,
// which are not rows; a malformed row stops the run rather than being skipped).
import * as fs from "fs";
import * as path from "path";
import { Writable } from "stream";
import { CATEGORY_TYPES, CategoryType, ScoreTable } from "../../core/types";
import { atomicWriteStream, AtomicStream } from "../../io/atomic";
import { checkReadableFile, csvEncoding, CsvEncoding, CsvReadStats, csvRecords } from "../../data/csv-stream";
import { DataFileError } from "../../data/tsv";
import { loadDatasets } from "../../datasets/build";
import { servePerType } from "../../experiments/served";
import { classesOf } from "../../taxonomy/classes";
import { progress } from "../../runtime/progress";
import { parse, UsageError } from "../args";
import { checkProtocol } from "./classify";

const USAGE =
  "jtlab score --in titles.csv --out scores.csv [--method M] [--protocol P] [--run ID] [--force] [--batch N] [--encoding utf8|latin1]";

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A class as part of a column name pandas can use as an attribute: "IT Ops & Technology" → "it_ops_technology". */
export function columnSlug(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "") || "class";
}

/** A file-system error in words, with its code: "no space left on the device (ENOSPC)". */
function fsProblem(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "read-only file system",
    EIO: "input/output error",
    EFBIG: "file too large",
    ENOENT: "no such file or folder",
    ENOTDIR: "a part of the path is not a folder",
    EISDIR: "is a folder",
  };
  return err.code ? `${words[err.code] ?? err.message} (${err.code})` : String(err.message ?? e);
}

/** Checks --in up front: an existing file, not a folder. */
function checkInput(file: string): void {
  try {
    checkReadableFile(file);
  } catch (e) {
    if (!(e instanceof DataFileError)) throw e;
    throw new UsageError(`--in ${file}: ${e.problem}`);
  }
}

/**
 * Opens the temporary output beside --out before anything slow happens, so that a missing, non-folder or read-only
 * folder is one clear line. The temporary file is removed on abort and on any exit (signals included).
 */
export async function openOutput(file: string, force: boolean): Promise<AtomicStream> {
  const dir = path.dirname(file);
  const cannot = (why: string): UsageError => new UsageError(`cannot write --out ${file}: ${why}`);
  let target: fs.Stats | null = null;
  try {
    target = fs.statSync(file);
  } catch {
    target = null;
  }
  if (target?.isDirectory()) throw cannot("it is a folder; give a file name");
  if (target && !force) throw new UsageError(`${file} exists: choose another --out, or pass --force to replace it`);
  let folder: fs.Stats;
  try {
    folder = fs.statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw cannot(code === "ENOENT" ? `folder ${dir} does not exist` : code === "ENOTDIR" ? `${dir} is not a folder (a part of its path is a file)` : `folder ${dir}: ${fsProblem(e)}`);
  }
  if (!folder.isDirectory()) throw cannot(`${dir} is not a folder`);
  const out = atomicWriteStream(file);
  try {
    await new Promise<void>((resolve, reject) => {
      out.stream.once("open", () => resolve());
      out.stream.once("error", reject);
    });
  } catch (e) {
    out.abort();
    const code = (e as NodeJS.ErrnoException).code;
    throw cannot(code === "EACCES" || code === "EPERM" || code === "EROFS" ? `folder ${dir} is not writable: ${fsProblem(e)}` : `cannot create a file in folder ${dir}: ${fsProblem(e)}`);
  }
  return out;
}

/**
 * Writes to a stream with backpressure; the first write error (ENOSPC, EIO...) is thrown by the next write() or by
 * end(), as one line naming `file`, instead of surfacing as an unhandled 'error' event.
 */
export function streamWriter(stream: Writable, file: string): { write(text: string): Promise<void>; check(): void } {
  let error: Error | null = null;
  stream.on("error", (e) => (error = error ?? e));
  const fail = (e: Error): Error => new Error(`cannot write --out ${file}: ${fsProblem(e)}`);
  const check = (): void => {
    if (error) throw fail(error);
  };
  return {
    check,
    async write(text: string): Promise<void> {
      check();
      if (stream.write(text)) return;
      await new Promise<void>((resolve, reject) => {
        const done = (e?: Error): void => {
          stream.off("drain", onDrain);
          stream.off("error", onError);
          stream.off("close", onClose);
          if (e) reject(fail(e));
          else resolve();
        };
        const onDrain = (): void => done();
        const onError = (e: Error): void => done(e);
        const onClose = (): void => done(error ?? new Error("the output was closed"));
        stream.on("drain", onDrain);
        stream.on("error", onError);
        stream.on("close", onClose);
        if (error) done(error);
        else if (stream.destroyed) onClose();
      });
    },
  };
}

interface InputShape {
  /** The header's fields as written. */
  header: string[];
  titleCol: number;
  idCol: number;
  rows: number;
}

/** Column positions from the header: `title`, and `person_id` or `id` (optional). */
function headerShape(fields: string[], file: string, line: number): Omit<InputShape, "rows"> {
  const head = fields.map((f) => f.trim().toLowerCase());
  const titleCol = head.indexOf("title");
  const idCol = head.indexOf("person_id") >= 0 ? head.indexOf("person_id") : head.indexOf("id");
  if (titleCol < 0) throw new DataFileError(file, line, `no "title" column in the header (${fields.join(",")})`);
  return { header: fields, titleCol, idCol };
}

/** One pass over the whole input: its header and row count, or the first problem (with its line). */
async function scanInput(file: string, encoding: CsvEncoding): Promise<InputShape> {
  let shape: Omit<InputShape, "rows"> | null = null;
  let rows = 0;
  for await (const rec of csvRecords(file, { encoding })) {
    if (!shape) {
      shape = headerShape(rec.fields, file, rec.line);
      continue;
    }
    if (rec.fields.length <= shape.titleCol) throw new DataFileError(file, rec.line, `expected a title in column ${shape.titleCol + 1}, found ${rec.fields.length} field${rec.fields.length === 1 ? "" : "s"}`);
    rows++;
  }
  if (!shape) throw new DataFileError(file, null, 'is empty: expected a header with a "title" column, then one row per title');
  if (rows === 0) throw new DataFileError(file, null, `has a header but no rows (${shape.header.join(",")})`);
  return { ...shape, rows };
}

export async function scoreCommand(argv: string[]): Promise<void> {
  const { values } = parse(
    argv,
    {
      in: { type: "string" },
      out: { type: "string" },
      force: { type: "boolean" },
      run: { type: "string" },
      method: { type: "string" },
      protocol: { type: "string" },
      batch: { type: "string" },
      encoding: { type: "string" },
    },
    USAGE,
  );
  if (!values.in || !values.out) throw new UsageError(`--in and --out are required\n\nusage: ${USAGE}`);
  const inFile = values.in;
  const outFile = values.out;
  checkProtocol(values.protocol);
  const batchSize = Number(values.batch ?? 4096);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`--batch expects a whole number of at least 1, got ${JSON.stringify(values.batch)}`);
  const encoding = csvEncoding(values.encoding ?? "utf8");
  if (!encoding) throw new UsageError(`--encoding must be utf8 or latin1, got ${JSON.stringify(values.encoding)}`);
  checkInput(inFile);

  const out = await openOutput(outFile, values.force ?? false);
  const writer = streamWriter(out.stream, outFile);
  const counts = { read: 0, scored: 0, empty: 0 };
  const stats: CsvReadStats = { bytes: 0, records: 0, blankLines: 0 };
  try {
    // The whole input is read once before any model loads: a malformed or empty file fails in seconds, and the
    // progress bar knows its total.
    const shape = await scanInput(inFile, encoding);

    const served = await servePerType({ method: values.method, protocol: values.protocol, run: values.run }, loadDatasets(), () => undefined);
    for (const type of CATEGORY_TYPES) {
      const c = served[type].choice;
      console.error(`${type}: ${c.method} · ${c.protocol} (run ${c.runId}, dev macro-F1 ${Number.isFinite(c.devMacroF1) ? c.devMacroF1.toFixed(3) : "n/a"})`);
    }

    // Score columns follow the taxonomy's class order, whatever order a method's table has.
    const columns: { type: CategoryType; c: string }[] = CATEGORY_TYPES.flatMap((type) => classesOf(type).filter((c) => c !== "Other").map((c) => ({ type, c })));
    const { titleCol, idCol } = shape;
    // The input's own id column name is kept (person_id stays person_id), so the output joins back on it.
    const idName = idCol >= 0 ? shape.header[idCol].trim() : "line";
    const header = [idName, "title", ...CATEGORY_TYPES.flatMap((ty) => [ty, `${ty}_score`]), ...columns.map(({ type, c }) => `${type}_score__${columnSlug(c)}`)];
    await writer.write(header.map(csvCell).join(",") + "\n");

    let batch: { id: string; title: string; empty: boolean }[] = [];
    const bar = progress(shape.rows, "scoring titles");
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const titles = batch.filter((b) => !b.empty).map((b) => b.title);
      const preds = titles.length ? await Promise.all(CATEGORY_TYPES.map((ty) => served[ty].predictor.predict(titles, ty))) : [];
      const tables: (ScoreTable | null)[] = titles.length ? await Promise.all(CATEGORY_TYPES.map((ty) => served[ty].table(titles, ty))) : [];
      const lines: string[] = [];
      let i = 0; // index among the non-empty titles
      for (const b of batch) {
        const row: (string | number)[] = [b.id, b.title];
        if (b.empty) {
          // Nothing to compare: Other, and no score at all (a 0 would read as a confident "no").
          for (const _ of CATEGORY_TYPES) row.push("Other", "");
          for (const _ of columns) row.push("");
        } else {
          for (const p of preds) row.push(p[i].label, Math.round(p[i].score * 10000) / 10000);
          for (const { type, c } of columns) {
            const tab = tables[CATEGORY_TYPES.indexOf(type)];
            const k = tab ? tab.classes.indexOf(c) : -1;
            row.push(tab && k >= 0 ? Math.round(tab.scores[i * tab.classes.length + k] * 10000) / 10000 : "");
          }
          i++;
        }
        lines.push(row.map(csvCell).join(","));
      }
      await writer.write(lines.join("\n") + "\n");
      bar.tick(batch.length);
      batch = [];
    };

    let first = true;
    for await (const rec of csvRecords(inFile, { encoding, stats })) {
      if (first) {
        first = false;
        continue; // the header, checked by the scan
      }
      if (rec.fields.length <= titleCol) throw new DataFileError(inFile, rec.line, `expected a title in column ${titleCol + 1}, found ${rec.fields.length} fields`);
      const title = rec.fields[titleCol];
      const empty = title.trim() === "";
      counts.read++;
      if (empty) counts.empty++;
      else counts.scored++;
      batch.push({ id: idCol >= 0 ? rec.fields[idCol] ?? "" : String(rec.line), title, empty });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    bar.finish();
    writer.check();
    try {
      await out.commit();
    } catch (e) {
      throw new Error(`cannot write --out ${outFile}: ${fsProblem(e)}`);
    }
  } catch (e) {
    out.abort();
    throw e;
  }
  console.error(`rows read ${counts.read}, scored ${counts.scored}, empty titles ${counts.empty}, skipped ${stats.blankLines}`);
  console.error(`wrote ${outFile}`);
}
