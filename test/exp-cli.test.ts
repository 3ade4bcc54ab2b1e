// `jtlab exp list` (a headline figure per run) and `jtlab exp compare` (compact by default, --wide, --format) on a
// temporary registry of runs with known figures.
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsvText } from "../src/data/csv-stream";
import { Comparison, compactTable, compareRuns, csvField, headlineProtocol, runHeadline } from "../src/experiments/compare";
import { RunMetrics, SplitMetrics } from "../src/experiments/metrics";
import { startRun } from "../src/experiments/registry";
import { shortDuration, shortStart } from "../src/cli/commands/exp";
import { runCli, tmpDir } from "./helpers";

/** A split's figures: role and industry accuracy and macro-F1 as given, level accuracy `level`. */
function split(roleF1: number, roleAcc: number, level = 0.5): SplitMetrics {
  const t = (macroF1: number, accuracy: number) => ({ accuracy, macroF1, coverage: 1 });
  return { levelGold: "test", role: t(roleF1, roleAcc), industry: t(0.6, 0.7), level: t(0.4, level), golden: { passed: 3, total: 4, failures: [] } };
}

const melo = (mrr: number) => ({ map: 0.4, mrr, p5: 0.2, r10: 0.5, ndcg10: 0.45, seconds: 1.5 });

/** A classifier whose head protocol is best on dev (0.70) though its own is best on test: the headline is head's. */
const CLASSIFIER: RunMetrics = {
  protocol: "representatives",
  dev: split(0.5, 0.6),
  test: split(0.65, 0.8),
  protocols: { head: { dev: split(0.7, 0.85), test: split(0.612, 0.4), settings: {} }, neighbours: { dev: split(0.6, 0.7), test: split(0.6, 0.7), settings: {} } },
  melo: melo(0.5801),
};

const RANKER: RunMetrics = { melo: melo(0.5849) };

describe("headline figures", () => {
  it("chooses the protocol best on dev role macro-F1 and reports its test figure", () => {
    expect(headlineProtocol(CLASSIFIER)).toEqual({ protocol: "head", prefix: "protocols.head." });
    expect(runHeadline(CLASSIFIER)).toEqual({ metric: "protocols.head.test.role.macroF1", value: 0.612, protocol: "head", text: "role macro-F1 61.2% (test)" });
    expect(runHeadline(RANKER)).toEqual({ metric: "melo.mrr", value: 0.5849, protocol: null, text: "MRR 0.585 (MELO)" });
    expect(runHeadline({ extra: { points: 10 } })).toBeNull();
    // The run's own protocol on a tie, and when nothing has dev figures.
    expect(headlineProtocol({ protocol: "rules", test: split(0.4, 0.5) })).toEqual({ protocol: "rules", prefix: "" });
  });

  it("short start and duration", () => {
    expect(shortStart("2026-12-01T08:38:03.224Z")).toBe("12-01 08:38");
    expect(shortDuration(0.528)).toBe("0.5 s");
    expect(shortDuration(162.2)).toBe("2m 42s");
    expect(shortDuration(3900)).toBe("1h 05m");
    expect(shortDuration(null)).toBe("");
  });

  it("CSV fields are quoted when they hold a comma, a quote or a line break", () => {
    expect(csvField('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField(0.5)).toBe("0.5");
    expect(csvField(null)).toBe("");
  });
});

describe("jtlab exp list / compare", () => {
  const dir = tmpDir("jtlab-runs-");
  const env = { JTLAB_RUNS_DIR: dir };
  const ids: Record<string, string> = {};

  beforeAll(() => {
    const old = process.env.JTLAB_RUNS_DIR;
    process.env.JTLAB_RUNS_DIR = dir;
    try {
      const mk = (name: string, method: string, params: Record<string, unknown>, metrics: RunMetrics): void => {
        ids[name] = startRun({ name, method, kind: "train", params, noData: true }).finish(metrics).id;
      };
      mk("classifier", "char-tfidf", { note: 'a "quoted", comma' }, CLASSIFIER);
      mk("ranker", "word2vec", { note: "plain" }, RANKER);
      mk("map", "title-space-word2vec", {}, { extra: { points: 10 } });
      const failed = startRun({ name: "broken", method: "fasttext", kind: "train", noData: true });
      ids.broken = failed.fail(new Error("out of memory")).id;
    } finally {
      if (old === undefined) delete process.env.JTLAB_RUNS_DIR;
      else process.env.JTLAB_RUNS_DIR = old;
    }
  });

  it("exp list: one line per run with kind, status, start, duration and its headline figure, within 120 columns", () => {
    const r = runCli(["exp", "list"], env);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([ids.classifier, ids.ranker, ids.map, ids.broken]);
    expect(lines[0]).toMatch(/^\S+\s+char-tfidf\s+train\s+ok\s+\d\d-\d\d \d\d:\d\d\s+\d+\.\d s\s+role macro-F1 61\.2% \(test\)$/);
    expect(lines[1]).toMatch(/\s+ok\s+.*MRR 0\.585 \(MELO\)$/);
    expect(lines[2]).toMatch(/\s+ok\s+.*\s—$/);
    expect(lines[3]).toMatch(/\s+failed\s+.*\s—\s+(Error: )?out of memory$/);
    for (const l of lines.slice(0, 3)) expect(l.length).toBeLessThanOrEqual(120);
    // Columns line up: every line's method starts where the first one's does.
    const at = lines[0].indexOf("char-tfidf");
    expect(lines[1].indexOf("word2vec")).toBe(at);

    const j = runCli(["exp", "list", "--json"], env);
    expect(j.status, j.stderr).toBe(0);
    const rows = JSON.parse(j.stdout);
    expect(rows.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([
      [ids.classifier, "ok"],
      [ids.ranker, "ok"],
      [ids.map, "ok"],
      [ids.broken, "failed"],
    ]);
    expect(rows[0].headline).toEqual({ metric: "protocols.head.test.role.macroF1", value: 0.612, protocol: "head", text: "role macro-F1 61.2% (test)" });
    expect(rows[0]).toHaveProperty("seconds");
    expect(rows[0]).toHaveProperty("started");
    expect(rows[2].headline).toBeNull();
    expect(rows[3].error).toMatch(/out of memory$/);
  }, 60_000);

  it("exp compare: compact by default, the baselines first, ▼ below majority, within 120 columns", () => {
    const r = runCli(["exp", "compare"], env);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0].split(/\s{2,}/)).toEqual(["method", "protocol", "role F1", "role acc", "ind. F1", "ind. acc", "level acc", "MELO MRR", "run"]);
    expect(lines[2]).toMatch(/^baseline\s+—\s+.*\s55\.7%\s.*baseline: majority class$/);
    expect(lines[3]).toMatch(/^baseline\s+—\s+.*baseline: stratified random$/);
    // The classifier under head (best on dev): test role accuracy 40% is below the majority's 55.7%.
    expect(lines[4]).toMatch(new RegExp(`^char-tfidf\\s+head\\s+61\\.2%\\s+40\\.0%▼\\s+60\\.0%\\s+70\\.0%\\s+50\\.0%\\s+0\\.580\\s+${ids.classifier}$`));
    expect(lines[5]).toMatch(new RegExp(`^word2vec\\s+—\\s+—\\s+—\\s+—\\s+—\\s+—\\s+0\\.585\\s+${ids.ranker}$`));
    expect(r.stdout).not.toContain(ids.map);
    expect(r.stdout).toContain("not shown, no classification or MELO figures (see --wide): title-space-word2vec");
    expect(r.stdout).toContain("▼ below the majority-class baseline");
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(120);

    const wide = runCli(["exp", "compare", "--wide"], env);
    expect(wide.status, wide.stderr).toBe(0);
    expect(wide.stdout.split("\n")[0]).toMatch(/^run\s+method\s+note\s+.*protocols\.head\.test\.role\.accuracy.*below majority$/);
    expect(wide.stdout).toMatch(/0\.4000▼/);
    expect(wide.stdout).toContain(ids.map);
  }, 120_000);

  it("exp compare --format csv|markdown|json: CSV quoted and numeric, JSON the same as --json", () => {
    const csv = runCli(["exp", "compare", "--wide", "--format", "csv", "--no-baselines"], env);
    expect(csv.status, csv.stderr).toBe(0);
    const [header, ...rows] = parseCsvText(csv.stdout, "stdout").map((x) => x.fields);
    expect(header.slice(0, 3)).toEqual(["run", "method", "params.note"]);
    expect(rows.map((x) => x[0])).toEqual([ids.classifier, ids.ranker, ids.map, ids.broken]);
    expect(rows[0][2]).toBe('a "quoted", comma');
    const col = header.indexOf("protocols.head.test.role.accuracy");
    expect(rows[0][col]).toBe("0.4");
    expect(rows.every((x) => x.length === header.length)).toBe(true);

    const compact = runCli(["exp", "compare", "--format", "csv"], env);
    expect(compact.status, compact.stderr).toBe(0);
    const c = parseCsvText(compact.stdout, "stdout").map((x) => x.fields);
    expect(c[0]).toEqual(["method", "protocol", "test.role.macroF1", "test.role.accuracy", "test.industry.macroF1", "test.industry.accuracy", "test.level.accuracy", "melo.mrr", "run"]);
    expect(c[1][8]).toBe("baseline: majority class");
    expect(c.find((x) => x[8] === ids.classifier)).toEqual(["char-tfidf", "head", "0.612", "0.4", "0.6", "0.7", "0.5", "0.5801", ids.classifier]);

    const md = runCli(["exp", "compare", "--format", "markdown"], env);
    expect(md.status, md.stderr).toBe(0);
    const mdLines = md.stdout.split("\n");
    expect(mdLines[0]).toBe("| method | protocol | role F1 | role acc | ind. F1 | ind. acc | level acc | MELO MRR | run |");
    expect(mdLines[1]).toBe("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    expect(md.stdout).toContain(`| char-tfidf | head | 61.2% | 40.0%▼ |`);

    const json = runCli(["exp", "compare", "--format", "json", "--no-baselines"], env);
    const alias = runCli(["exp", "compare", "--json", "--no-baselines"], env);
    expect(json.status, json.stderr).toBe(0);
    expect(alias.stdout).toBe(json.stdout);
    const j = JSON.parse(json.stdout);
    expect(j.runs[0].headline).toEqual({ protocol: "head", prefix: "protocols.head." });
    expect(j.runs[0].metrics["protocols.head.test.role.accuracy"]).toBe(0.4);
  }, 120_000);

  it("refuses an unknown format (with the likely one) and --json beside another format, exit 2", () => {
    const bad = runCli(["exp", "compare", "--format", "mardown"], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr.split("\n")[0]).toBe('jtlab exp: --format must be one of text, csv, json, markdown, got "mardown"; did you mean "markdown"?');
    const clash = runCli(["exp", "compare", "--json", "--format", "csv"], env);
    expect(clash.status).toBe(2);
    expect(clash.stderr.split("\n")[0]).toBe("jtlab exp: --json and --format csv disagree; give one");
  }, 60_000);

  it("the compact table names runs it leaves out, and keeps rows in the comparison's order", () => {
    const runs: Comparison["runs"] = [
      { id: "r1", method: "m1", status: "ok", started: "", params: {}, metrics: { "test.role.macroF1": 0.5 }, headline: { protocol: "own", prefix: "" } },
      { id: "r2", method: "m2", status: "ok", started: "", params: {}, metrics: { "extra.x": 1 }, headline: null },
    ];
    const t = compactTable({ runs, params: [], metrics: ["test.role.macroF1", "extra.x"] });
    expect(t.rows.map((r) => r[r.length - 1].text)).toEqual(["r1"]);
    expect(t.notes.join("\n")).toContain("not shown, no classification or MELO figures (see --wide): m2");
    expect(compareRuns([]).runs).toEqual([]);
  });
});
