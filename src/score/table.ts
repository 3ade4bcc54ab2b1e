// The score table of a title source, written in input order: pass 1 keeps each distinct title once, the distinct
// titles are scored on a worker pool, pass 2 writes every row from those scores. Memory grows with the distinct
// titles; past `maxDistinct` of them the run spills: the titles go to bucket files on disk by a hash of their key,
// each bucket is deduplicated and scored on its own (its rows' formatted scores written back to disk in row order),
// and pass 2 reads each row's scores from its bucket's file. Both ways write the same bytes.
import * as fs from "fs";
import * as path from "path";
import { CATEGORY_TYPES } from "../core/types";
import type { CsvReadStats } from "../data/csv-stream";
import type { ServeRequest } from "../experiments/served";
import type { ExampleSet } from "../models/representatives/custom-type";
import { atExit } from "../io/signals";
import { murmur3 } from "../util/random";
import { DistinctTitles } from "./distinct";
import { ScoringPool } from "./pool";
import { ScoreLayout, scoreLayout, ScoredTitles } from "./scored";
import { titleKey } from "./title-key";
import type { TitleRow, TitleSource } from "./title-source";

export interface TableOptions {
  req: ServeRequest;
  /** --taxonomy types, after the built-in ones. */
  custom?: ExampleSet[];
  /** Their threshold (default: each classifier's 0.5). */
  threshold?: number;
  workers: number;
  /** Distinct titles per chunk sent to a worker. */
  chunk: number;
  /** Distinct titles kept in memory before the run spills to disk. */
  maxDistinct: number;
  /** Where bucket files go when the run spills (a folder that is created and removed). */
  spillDir: string;
  /** Rows of this process's shard. */
  mine: (row: TitleRow) => boolean;
  write: (text: string) => Promise<void>;
  /** Called once the scoring is about to start (the model choice is printed there). */
  beforeScoring: () => void;
  progress: (total: number, label: string) => { tick(n: number): void; finish(): void };
}

export interface TableResult {
  header: string[];
  /** The header's label columns (text; every other column after the title is a score). */
  labelColumns: string[];
  rows: number;
  scored: number;
  empty: number;
  otherShards: number;
  distinct: number;
  scoringSeconds: number;
  workers: number;
  /** Buckets when the run spilled to disk, else 0. */
  buckets: number;
}

/** A class as part of a column name pandas can use as an attribute: "IT Ops & Technology" → "it_ops_technology". */
export function columnSlug(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "") || "class";
}

export function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A score as the table writes it: 4 decimals, empty when there is none. */
function scoreCell(x: number): string {
  return Number.isNaN(x) ? "" : String(Math.round(x * 10000) / 10000);
}

/** The label and score columns of distinct title k, as one piece of a CSV line. */
function formatTail(s: ScoredTitles, k: number, layout: ScoreLayout): string {
  const C = layout.columns.length;
  const T = layout.types.length;
  const cells: string[] = [];
  layout.types.forEach((type, j) => cells.push(csvCell(layout.labels[type][s.labels[k * T + j]]), scoreCell(s.scores[k * T + j])));
  for (let j = 0; j < C; j++) cells.push(scoreCell(s.classScores[k * C + j]));
  return cells.join(",");
}

/**
 * Tails for rows in order: formatted once for a title of 4 rows or more and kept while its rows remain. Rarer titles
 * are formatted at each row: under a Zipf law they are most of the titles but few of the rows, and keeping them all
 * would hold a string per distinct title.
 */
function tailCache(distinct: DistinctTitles, scored: ScoredTitles, layout: ScoreLayout): (k: number) => string {
  const tails: (string | undefined)[] = new Array(distinct.size);
  const remaining = Int32Array.from(distinct.counts);
  return (k) => {
    const t = tails[k] ?? formatTail(scored, k, layout);
    tails[k] = --remaining[k] > 0 && distinct.counts[k] >= 4 ? t : undefined;
    return t;
  };
}

/** Lines appended to a file through a buffer (synchronous writes: a bucket is a plain sequential file). */
class LineFile {
  private buf: string[] = [];
  private size = 0;
  constructor(readonly file: string) {
    fs.writeFileSync(file, "");
  }
  push(line: string): void {
    this.buf.push(line);
    this.size += line.length + 1;
    if (this.size >= 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buf.length) fs.appendFileSync(this.file, this.buf.join("\n") + "\n");
    this.buf = [];
    this.size = 0;
  }
}

/** A file's lines, one at a time, read in 1 MB blocks (synchronous: pass 2 asks for one line per row). */
class LineReader {
  private fd: number;
  private lines: string[] = [];
  private at = 0;
  private rest = "";
  private eof = false;
  private readonly block = Buffer.alloc(1 << 20);
  constructor(readonly file: string) {
    this.fd = fs.openSync(file, "r");
  }
  next(): string {
    while (this.at >= this.lines.length) {
      if (this.eof) throw new Error(`${this.file}: ended early (a spill file was changed while the run read it)`);
      const n = fs.readSync(this.fd, this.block, 0, this.block.length, null);
      if (n === 0) {
        this.eof = true;
        this.lines = this.rest ? [this.rest] : [];
        this.rest = "";
      } else {
        const parts = (this.rest + this.block.toString("utf8", 0, n)).split("\n");
        this.rest = parts.pop()!;
        this.lines = parts;
      }
      this.at = 0;
    }
    return this.lines[this.at++];
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Counts a row of this shard by its title's key (blank: an empty title), and gives the key back. */
function tally(res: TableResult, key: string): string {
  res.rows++;
  if (key === "") res.empty++;
  else res.scored++;
  return key;
}

const BUCKETS = 16;
const bucketOf = (key: string): number => murmur3(key, 0x0b0c4e7) % BUCKETS;

export async function writeScoreTable(source: TitleSource, stats: CsvReadStats, o: TableOptions): Promise<TableResult> {
  const layout = scoreLayout(o.custom ?? []);
  // A --taxonomy type's columns are named by its name made a column name ("Authority Level" → authority_level).
  const col = (type: string): string => ((CATEGORY_TYPES as readonly string[]).includes(type) ? type : columnSlug(type));
  const header = [source.idName, "title", ...layout.types.flatMap((ty) => [col(ty), `${col(ty)}_score`]), ...layout.columns.map(({ type, label }) => `${col(type)}_score__${columnSlug(label)}`)];
  const emptyTail = [...layout.types.flatMap(() => ["Other", ""]), ...layout.columns.map(() => "")].join(",");
  const res: TableResult = { header, labelColumns: layout.types.map(col), rows: 0, scored: 0, empty: 0, otherShards: 0, distinct: 0, scoringSeconds: 0, workers: 0, buckets: 0 };

  // Pass 1, before any model loads: every row read (a malformed or empty file fails in seconds), each distinct title
  // kept once, until there are too many to keep.
  let distinct: DistinctTitles | null = new DistinctTitles();
  for await (const row of source.read(stats)) {
    if (!o.mine(row)) {
      res.otherShards++;
      continue;
    }
    distinct.addKey(tally(res, titleKey(row.title)));
    if (distinct.size > o.maxDistinct) {
      distinct = null;
      break;
    }
  }
  const lines: string[] = [];
  const emit = async (line: string): Promise<void> => {
    lines.push(line);
    if (lines.length >= 4096) await o.write(lines.splice(0).join("\n") + "\n");
  };
  await o.write(header.map(csvCell).join(",") + "\n");

  if (distinct) {
    o.beforeScoring();
    res.distinct = distinct.size;
    res.workers = Math.min(o.workers, Math.max(1, Math.ceil(distinct.size / o.chunk)));
    const bar = o.progress(distinct.size, `scoring ${distinct.size.toLocaleString("en-US")} distinct titles on ${res.workers} worker${res.workers === 1 ? "" : "s"}`);
    const t0 = performance.now();
    const pool = ScoringPool.start(o.req, res.workers, o.custom, o.threshold);
    let scored: ScoredTitles;
    let shown = 0;
    try {
      scored = await pool.score(distinct.keys, layout, o.chunk, (done) => {
        bar.tick(done - shown);
        shown = done;
      });
    } finally {
      await pool.close();
    }
    bar.finish();
    res.scoringSeconds = (performance.now() - t0) / 1000;
    // Pass 2: every row in input order.
    const tailOf = tailCache(distinct, scored, layout);
    for await (const row of source.read()) {
      if (!o.mine(row)) continue;
      const k = distinct.indexOf(row.title);
      await emit(`${csvCell(row.id)},${csvCell(row.title)},${k < 0 ? emptyTail : tailOf(k)}`);
    }
  } else {
    await spill(source, stats, o, res, layout, emit, emptyTail);
  }
  if (lines.length) await o.write(lines.join("\n") + "\n");
  return res;
}

/** The run past maxDistinct titles: buckets on disk, scored one by one on one pool, read back in row order. */
async function spill(source: TitleSource, stats: CsvReadStats, o: TableOptions, res: TableResult, layout: ScoreLayout, emit: (line: string) => Promise<void>, emptyTail: string): Promise<void> {
  fs.rmSync(o.spillDir, { recursive: true, force: true });
  fs.mkdirSync(o.spillDir, { recursive: true });
  const forget = atExit(() => fs.rmSync(o.spillDir, { recursive: true, force: true }));
  try {
    // Pass 1 again, from the start: each row's key into its bucket (blank titles into none).
    Object.assign(res, { rows: 0, scored: 0, empty: 0, otherShards: 0, buckets: BUCKETS });
    Object.assign(stats, { bytes: 0, records: 0, blankLines: 0 });
    const keysFile = (b: number): string => path.join(o.spillDir, `keys-${b}.txt`);
    const tailsFile = (b: number): string => path.join(o.spillDir, `tails-${b}.csv`);
    const keys = Array.from({ length: BUCKETS }, (_, b) => new LineFile(keysFile(b)));
    for await (const row of source.read(stats)) {
      if (!o.mine(row)) {
        res.otherShards++;
        continue;
      }
      const key = tally(res, titleKey(row.title));
      if (key !== "") keys[bucketOf(key)].push(key);
    }
    keys.forEach((k) => k.flush());
    o.beforeScoring();
    res.workers = Math.min(o.workers, Math.max(1, Math.ceil(res.scored / o.chunk)));
    const bar = o.progress(BUCKETS, `scoring titles in ${BUCKETS} buckets on ${res.workers} worker${res.workers === 1 ? "" : "s"}`);
    const t0 = performance.now();
    const pool = ScoringPool.start(o.req, res.workers, o.custom, o.threshold);
    try {
      for (let b = 0; b < BUCKETS; b++) {
        const rows = fs.readFileSync(keysFile(b), "utf8").split("\n");
        rows.pop();
        const distinct = new DistinctTitles();
        const index = rows.map((k) => distinct.addKey(k));
        res.distinct += distinct.size;
        const scored = await pool.score(distinct.keys, layout, o.chunk);
        const tailOf = tailCache(distinct, scored, layout);
        const out = new LineFile(tailsFile(b));
        for (const k of index) out.push(tailOf(k));
        out.flush();
        fs.rmSync(keysFile(b));
        bar.tick(1);
      }
    } finally {
      await pool.close();
    }
    bar.finish();
    res.scoringSeconds = (performance.now() - t0) / 1000;
    // Pass 2: each row's scores from its bucket's file, whose lines are in row order.
    const readers = Array.from({ length: BUCKETS }, (_, b) => new LineReader(tailsFile(b)));
    try {
      for await (const row of source.read()) {
        if (!o.mine(row)) continue;
        const key = titleKey(row.title);
        await emit(`${csvCell(row.id)},${csvCell(row.title)},${key === "" ? emptyTail : readers[bucketOf(key)].next()}`);
      }
    } finally {
      readers.forEach((r) => r.close());
    }
  } finally {
    fs.rmSync(o.spillDir, { recursive: true, force: true });
    forget();
  }
}
