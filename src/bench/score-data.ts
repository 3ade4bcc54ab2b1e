// The input of `jtlab bench score`: a people × titles file of `rows` rows with exactly `distinct` distinct titles, as
// a CRM export looks: the open data's titles, then variants of them (seniority words, locations, numerals, company
// names) until there are enough, repeated with a Zipf law (a few titles are very common, most are rare). Every
// distinct title appears at least once; people have one to four rows. Seeded: the same parameters give the same file.
import * as fs from "fs";
import * as path from "path";
import { Datasets } from "../datasets/build";
import { cacheDir } from "../data/paths";
import { atomicWriteStream } from "../io/atomic";
import { csvToParquet } from "../io/parquet";
import { Rng } from "../util/random";

const SENIORITY = ["Senior", "Sr.", "Junior", "Jr", "Lead", "Principal", "Chief", "Head of", "Assistant", "Associate", "Deputy", "Interim", "Acting", "Trainee", "Staff"];
const LOCATIONS = ["London", "NYC", "Boston, MA", "Berlin", "Remote", "EMEA", "APAC", "Austin TX", "Paris", "Toronto", "Sydney", "Dublin", "Bangalore", "São Paulo"];
const COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises", "Wonka", "Cyberdyne", "Soylent"];
const NUMERALS = ["I", "II", "III", "IV", "1", "2", "3", "Level 2", "Grade 5"];

/** The distinct titles: the base titles first, then seeded variants of them, no two equal. */
export function benchTitles(base: readonly string[], distinct: number, seed: number): string[] {
  const rng = new Rng(seed);
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (t: string): void => {
    if (out.length < distinct && !seen.has(t)) {
      seen.add(t);
      out.push(t);
    }
  };
  for (const t of base) add(t);
  for (let guard = 0; out.length < distinct; guard++) {
    if (guard > distinct * 50) throw new Error(`could not make ${distinct} distinct titles from ${base.length} base titles`);
    let t = rng.pick(base);
    if (rng.next() < 0.5) t = `${rng.pick(SENIORITY)} ${t}`;
    if (rng.next() < 0.3) t = `${t} ${rng.pick(NUMERALS)}`;
    if (rng.next() < 0.4) t = `${t} - ${rng.pick(LOCATIONS)}`;
    if (rng.next() < 0.3) t = `${t} at ${rng.pick(COMPANIES)}`;
    add(t);
  }
  return out;
}

/** Row → distinct title index: each title once, then Zipf(s) draws (rank r with weight 1/r^s), shuffled. */
export function benchRows(rows: number, distinct: number, seed: number, s = 1.1): Int32Array {
  if (rows < distinct) throw new Error(`rows (${rows}) must be at least distinct (${distinct}): every distinct title appears once`);
  const rng = new Rng(seed ^ 0x9e3779b9);
  const out = new Int32Array(rows);
  for (let i = 0; i < distinct; i++) out[i] = i;
  // Inverse-CDF sampling over a cumulative table (Float64, `distinct` entries).
  const cdf = new Float64Array(distinct);
  let acc = 0;
  for (let r = 0; r < distinct; r++) cdf[r] = acc += 1 / (r + 1) ** s;
  for (let i = distinct; i < rows; i++) {
    const u = rng.next() * acc;
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  for (let i = rows - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

const csvCell = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export interface BenchFiles {
  csv: string;
  parquet: string;
}

/** Writes (or reuses) the bench's CSV and Parquet under data/cache/bench/. */
export async function benchScoreFiles(d: Datasets, rows: number, distinct: number, log: (line: string) => void): Promise<BenchFiles> {
  const dir = path.join(cacheDir(), "bench");
  fs.mkdirSync(dir, { recursive: true });
  // The generator's version is in the name: a change to it must not reuse an old file.
  const stem = path.join(dir, `score-v1-${rows}x${distinct}`);
  const files = { csv: `${stem}.csv`, parquet: `${stem}.parquet` };
  if (!fs.existsSync(files.csv)) {
    const t0 = performance.now();
    const base = [...new Set([...d.train, ...d.dev, ...d.test].map((x) => x.title))].sort();
    const titles = benchTitles(base, distinct, 17);
    const order = benchRows(rows, distinct, 17);
    const out = atomicWriteStream(files.csv);
    const rng = new Rng(23);
    let person = 0;
    let left = 0;
    let lines: string[] = ["person_id,title"];
    for (let i = 0; i < rows; i++) {
      if (left === 0) {
        person++;
        left = 1 + rng.int(4);
      }
      left--;
      lines.push(`p${person},${csvCell(titles[order[i]])}`);
      if (lines.length >= 65536) {
        if (!out.stream.write(lines.join("\n") + "\n")) await new Promise<void>((r) => out.stream.once("drain", () => r()));
        lines = [];
      }
    }
    out.stream.write(lines.join("\n") + (lines.length ? "\n" : ""));
    await out.commit();
    log(`wrote ${files.csv} (${rows.toLocaleString("en-US")} rows, ${distinct.toLocaleString("en-US")} distinct titles) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (!fs.existsSync(files.parquet)) {
    const t0 = performance.now();
    await csvToParquet(files.csv, files.parquet, [
      { name: "person_id", type: "VARCHAR" },
      { name: "title", type: "VARCHAR" },
    ]);
    log(`wrote ${files.parquet} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return files;
}
