// Benchmark: `jtlab score` at CRM scale (issue 17). A generated file (score-data.ts: 10M rows, 1M distinct titles,
// Zipf repetition by default) scored by the real command in a child process, as CSV → CSV and Parquet → Parquet on
// every core, then CSV → CSV on one worker for the speed-up on distinct titles. Figures come from the command's own
// summary lines: rows/s, distinct titles/s, peak RSS (the process's, worker threads included).
// Targets: 10M rows / 1M distinct in <= 3 min on 2 cores with the quick Siamese model, peak RSS <= 1.5 GB, two
// workers >= 1.7x one on distinct titles/s. The model is a registry run (-p run=ID, default: the latest Siamese run);
// the protocol is representatives unless -p protocol= says otherwise (the neighbours protocol compares each title
// with every labelled training title and is several times slower).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadDatasets } from "../datasets/build";
import { projectPath } from "../data/paths";
import { latestRun, runsDir } from "../experiments/registry";
import { defaultWorkers } from "../score/pool";
import { benchScoreFiles } from "./score-data";
import { intParam, registerBenchmark } from "./registry";

interface ScoreFigures {
  seconds: number;
  rows: number;
  distinct: number;
  scoringSeconds: number;
  workers: number;
  peakMb: number;
}

/** Runs `jtlab score` and reads its summary lines. */
function runScore(args: string[], log: (line: string) => void): ScoreFigures {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [projectPath("bin", "jtlab.cjs"), "score", ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`jtlab score ${args.join(" ")} exited ${r.status}: ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  const m1 = /^distinct titles (\d+), scored in ([0-9.]+) s on (\d+) workers?/m.exec(r.stderr);
  const m2 = /^([0-9,]+) rows in [0-9.]+ s \([0-9,n/a]+ rows\/s\), peak RSS (\d+) MB$/m.exec(r.stderr);
  if (!m1 || !m2) throw new Error(`jtlab score printed no summary: ${r.stderr.slice(-500)}`);
  const f = { seconds, rows: Number(m2[1].replace(/,/g, "")), distinct: Number(m1[1]), scoringSeconds: Number(m1[2]), workers: Number(m1[3]), peakMb: Number(m2[2]) };
  log(`  ${path.basename(args[1])} → ${path.extname(args[3])}, ${f.workers} worker(s): ${f.seconds.toFixed(1)} s wall, ${Math.round(f.rows / f.seconds).toLocaleString("en-US")} rows/s, ${Math.round(f.distinct / f.scoringSeconds).toLocaleString("en-US")} distinct titles/s, peak RSS ${f.peakMb} MB`);
  return f;
}

registerBenchmark({
  name: "score",
  params: ["rows", "distinct", "run", "protocol", "workers", "single"],
  help:
    "jtlab score at scale: a generated 10M-row file with 1M distinct titles (Zipf), CSV and Parquet, on every core and on one (-p rows=10000000 " +
    "distinct=1000000 run=ID protocol=representatives workers=N single=1). Targets: <= 180 s, peak RSS <= 1.5 GB, 2 workers >= 1.7x one.",
  async run({ params, log }) {
    const rows = intParam(params, "rows", 10_000_000);
    const distinct = intParam(params, "distinct", 1_000_000);
    const workers = intParam(params, "workers", defaultWorkers());
    const protocol = params.protocol ?? "representatives";
    const run = params.run ?? latestRun({ method: (m) => m.startsWith("siamese") })?.id;
    if (!run) throw new Error(`no Siamese run in ${runsDir()}: train one (npm run reproduce, or notebook 04), or name one with -p run=ID`);
    const files = await benchScoreFiles(loadDatasets(), rows, distinct, log);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jtlab-bench-score-"));
    try {
      const common = ["--run", run, "--protocol", protocol, "--force"];
      log(`scoring with run ${run}, protocol ${protocol}:`);
      const csv = runScore(["--in", files.csv, "--out", path.join(tmp, "scores.csv"), "--workers", String(workers), ...common], log);
      fs.rmSync(path.join(tmp, "scores.csv"), { force: true });
      const pq = runScore(["--in", files.parquet, "--out", path.join(tmp, "scores.parquet"), "--workers", String(workers), ...common], log);
      fs.rmSync(path.join(tmp, "scores.parquet"), { force: true });
      const one = params.single === "0" ? null : runScore(["--in", files.csv, "--out", path.join(tmp, "one.csv"), "--workers", "1", ...common], log);
      const rate = (f: ScoreFigures): number => f.distinct / f.scoringSeconds;
      const speedup = one ? rate(csv) / rate(one) : null;
      const figures = {
        rows,
        distinct,
        run,
        protocol,
        workers,
        csvSeconds: csv.seconds,
        csvRowsPerSecond: csv.rows / csv.seconds,
        csvDistinctPerSecond: rate(csv),
        csvPeakMb: csv.peakMb,
        parquetSeconds: pq.seconds,
        parquetRowsPerSecond: pq.rows / pq.seconds,
        parquetPeakMb: pq.peakMb,
        oneWorkerDistinctPerSecond: one ? rate(one) : null,
        speedup,
      };
      const lines = [
        `CSV: ${csv.seconds.toFixed(1)} s for ${rows.toLocaleString("en-US")} rows (target <= 180 s), peak RSS ${csv.peakMb} MB (target <= 1,536)`,
        `Parquet: ${pq.seconds.toFixed(1)} s, peak RSS ${pq.peakMb} MB`,
        speedup === null ? "one worker: skipped (-p single=0)" : `${workers} workers vs 1 on distinct titles/s: ${speedup.toFixed(2)}x (target >= 1.7x)`,
      ];
      return { name: "score", figures, lines };
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
});
