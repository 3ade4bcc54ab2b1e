// `jtlab score --in titles.csv|.parquet --out scores.csv|.parquet [--method M] [--protocol P] [--run ID] [--workers N]
// [--shard i/n] [--force] [--encoding E]`: the score table for a file of any size. Input: a CSV or Parquet file (by
// extension) with a `title` column (e.g. person_id,title[,tokens]); a CSV is UTF-8 (an invalid byte is an error naming
// its line) or Latin-1 with --encoding latin1. Output (CSV or Parquet by extension): the input's id column (under its
// own name) and title, the label and score per category type, and one score column per class, named for pandas
// (`role_score__engineering`); Parquet columns are typed (labels as strings, scores as float32). An empty or blank title
// has nothing to score: label Other, every score empty. Each category type is served by the best method and protocol
// on dev unless one is named (stderr says which).
//
// How it scales: a first pass reads the rows and keeps each distinct title once (titles that differ only in spacing
// are one, src/score/title-key.ts); the distinct titles are scored on `--workers` threads, each with the model loaded
// once (src/score/pool.ts); a second pass writes every row in input order from those scores. Memory grows with the
// distinct titles, not the rows. `--shard i/n` keeps a deterministic share of the people (a hash of the id), so that a
// batch engine can run n tasks and concatenate their outputs.
//
// Checked before any model loads: --in is a file, --out's folder exists and takes a file (the temporary output is
// created first), and the whole input is read once (failing fast on the first malformed record with its line and
// column; an empty file or a header without rows is an error). The output is written to a temporary file beside
// --out, renamed into place only when complete: a failed or interrupted run (SIGINT, SIGTERM) leaves neither a
// partial table nor a temporary file. Never overwrites an existing file unless --force. Ends with `rows read N,
// scored N, empty titles N, skipped N` on stderr (skipped: blank lines, which are not rows; a malformed row stops
// the run rather than being skipped), then the distinct titles and, with --shard, the rows left to other shards.
import * as fs from "fs";
import * as path from "path";
import { Writable } from "stream";
import { CATEGORY_TYPES } from "../../core/types";
import { atomicWriteStream, AtomicStream } from "../../io/atomic";
import { checkReadableFile, csvEncoding, CsvReadStats } from "../../data/csv-stream";
import { DataFileError } from "../../data/tsv";
import { choose } from "../../experiments/served";
import { csvToParquet, isParquetPath, ParquetColumn } from "../../io/parquet";
import { progress } from "../../runtime/progress";
import { defaultWorkers } from "../../score/pool";
import { columnSlug, writeScoreTable } from "../../score/table";
import { readTaxonomy } from "../../taxonomy/taxonomy-file";
import { withLabelledTitles } from "../../taxonomy/labelled-titles";
import { builtInFixes, countFixes } from "../../taxonomy/fixes";
import type { ExampleSet } from "../../models/representatives/custom-type";
import { parseShard, Shard, shardOf } from "../../score/shard";
import { openTitleSource, TitleSource } from "../../score/title-source";
import { parse, UsageError } from "../args";
import { checkProtocol } from "./classify";

const USAGE =
  "jtlab score --in titles.csv|.parquet --out scores.csv|.parquet [--method M] [--protocol P] [--run ID] [--workers N] [--shard i/n] [--max-distinct N] [--taxonomy FILE ...] [--threshold T] [--force] [--batch N] [--encoding utf8|latin1]";

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

/** --taxonomy files as example sets; their names must not collide with each other or the built-in types as columns. */
export function readTaxonomies(files: readonly string[], warn: (line: string) => void): ExampleSet[] {
  const taken = new Map<string, string>(CATEGORY_TYPES.map((t) => [t, `the built-in type ${t}`]));
  return files.map((file) => {
    const t = withLabelledTitles(readTaxonomy(file));
    for (const w of t.warnings) warn(`warning: ${w}`);
    const column = (CATEGORY_TYPES as readonly string[]).includes(t.name) ? t.name : columnSlug(t.name);
    const other = taken.get(column);
    if (other) throw new UsageError(`${file}: type ${JSON.stringify(t.name)} would write the columns ${column}, ${column}_score… of ${other}; give the file another name (or a "# name:" line)`);
    taken.set(column, `${file}`);
    return t;
  });
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
      workers: { type: "string" },
      shard: { type: "string" },
      "max-distinct": { type: "string" },
      taxonomy: { type: "string", multiple: true },
      threshold: { type: "string" },
    },
    USAGE,
  );
  if (!values.in || !values.out) throw new UsageError(`--in and --out are required\n\nusage: ${USAGE}`);
  const inFile = values.in;
  const outFile = values.out;
  checkProtocol(values.protocol);
  const batchSize = Number(values.batch ?? 2048);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`--batch expects a whole number of at least 1, got ${JSON.stringify(values.batch)}`);
  const workers = values.workers === undefined ? defaultWorkers() : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers expects a whole number of at least 1, got ${JSON.stringify(values.workers)}`);
  let shard: Shard | null = null;
  try {
    shard = values.shard === undefined ? null : parseShard(values.shard);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const maxDistinct = values["max-distinct"] === undefined ? 2_000_000 : Number(values["max-distinct"]);
  if (!Number.isInteger(maxDistinct) || maxDistinct < 1) throw new UsageError(`--max-distinct expects a whole number of at least 1, got ${JSON.stringify(values["max-distinct"])}`);
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) throw new UsageError(`--threshold expects a number from 0 to 1, got ${JSON.stringify(values.threshold)}`);
  if (threshold !== undefined && !values.taxonomy?.length) throw new UsageError("--threshold applies to --taxonomy types: give a --taxonomy FILE too");
  // Taxonomy files are checked before anything is read or written: a bad line fails at once, naming it.
  const custom = readTaxonomies(values.taxonomy ?? [], (l) => process.stderr.write(l + "\n"));
  const encoding = csvEncoding(values.encoding ?? "utf8");
  if (!encoding) throw new UsageError(`--encoding must be utf8 or latin1, got ${JSON.stringify(values.encoding)}`);
  checkInput(inFile);
  const parquetOut = isParquetPath(outFile);

  const out = await openOutput(outFile, values.force ?? false);
  const writer = streamWriter(out.stream, outFile);
  const counts = { read: 0, scored: 0, empty: 0, otherShards: 0 };
  let distinctTitles = 0;
  let scoring = { seconds: 0, workers: 0 };
  const started = performance.now();
  const stats: CsvReadStats = { bytes: 0, records: 0, blankLines: 0 };
  try {
    let source: TitleSource;
    try {
      source = await openTitleSource(inFile, encoding);
    } catch (e) {
      if (e instanceof DataFileError && /not a readable Parquet file/.test(e.message)) throw new UsageError(`--in ${e.message}`);
      throw e;
    }

    const req = { method: values.method, protocol: values.protocol, run: values.run };
    // The distinct titles and their scores live only inside writeScoreTable: a Parquet output is converted after it
    // returns, with that memory free.
    const t = await writeScoreTable(source, stats, {
      req,
      custom,
      threshold,
      workers,
      chunk: batchSize,
      maxDistinct,
      spillDir: `${out.tempPath}.spill`,
      mine: (row) => !shard || shardOf(row.id, shard.count) === shard.index,
      write: (text) => writer.write(text),
      beforeScoring: () => {
        const fixes = builtInFixes();
        for (const type of CATEGORY_TYPES) {
          const c = choose(type, req);
          const n = countFixes(fixes[type]);
          const fixed = n ? `; ${n} ${n === 1 ? "fix" : "fixes"} from ${fixes[type].file}` : "";
          console.error(`${type}: ${c.method} · ${c.protocol} (run ${c.runId}, dev macro-F1 ${Number.isFinite(c.devMacroF1) ? c.devMacroF1.toFixed(3) : "n/a"}${fixed})`);
        }
      },
      progress,
    });
    const header = t.header;
    Object.assign(counts, { read: t.rows, scored: t.scored, empty: t.empty, otherShards: t.otherShards });
    distinctTitles = t.distinct;
    scoring = { seconds: t.scoringSeconds, workers: t.workers };
    if (t.buckets) console.error(`more than ${maxDistinct.toLocaleString("en-US")} distinct titles: spilled to ${t.buckets} buckets on disk beside --out`);
    writer.check();
    try {
      if (parquetOut) {
        await new Promise<void>((resolve, reject) => out.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
        // Text: the id, the title and the three labels; float32: every score.
        const text = new Set([source.idName, "title", ...t.labelColumns]);
        const schema: ParquetColumn[] = header.map((name) => ({ name, type: text.has(name) ? "VARCHAR" : "FLOAT" }));
        await csvToParquet(out.tempPath, outFile, schema);
        out.abort();
      } else await out.commit();
    } catch (e) {
      throw new Error(`cannot write --out ${outFile}: ${fsProblem(e)}`);
    }
  } catch (e) {
    out.abort();
    throw e;
  }
  console.error(`rows read ${counts.read}, scored ${counts.scored}, empty titles ${counts.empty}, skipped ${stats.blankLines}`);
  const rate = (n: number, sec: number): string => (sec > 0 ? Math.round(n / sec).toLocaleString("en-US") : "n/a");
  const total = (performance.now() - started) / 1000;
  console.error(`distinct titles ${distinctTitles}, scored in ${scoring.seconds.toFixed(1)} s on ${scoring.workers} worker${scoring.workers === 1 ? "" : "s"} (${rate(distinctTitles, scoring.seconds)} titles/s)`);
  console.error(`${counts.read.toLocaleString("en-US")} rows in ${total.toFixed(1)} s (${rate(counts.read, total)} rows/s), peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  if (shard) console.error(`shard ${shard.index}/${shard.count}: ${counts.otherShards} rows left to other shards`);
  console.error(`wrote ${outFile}`);
}
