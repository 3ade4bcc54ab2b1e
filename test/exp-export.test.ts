// `jtlab exp export`: the registry as one long table that SQL can query, in Parquet (typed), CSV and JSON.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { registryRows } from "../src/experiments/registry-table";
import { listRuns } from "../src/experiments/registry";
import { runCli, tmpDir } from "./helpers";

function writeRun(root: string, id: string, method: string, metrics: Record<string, unknown>): void {
  const rec = { schema: 2, id, name: id, method, kind: "train", params: {}, seed: 7, git: { commit: "abc123", dirty: false }, data: null, backend: "wasm", versions: {}, started: "2026-01-01T00:00:00.000Z", ended: null, seconds: 12.5, status: "ok", error: null, artifacts: {}, notes: [], metrics };
  fs.mkdirSync(path.join(root, id), { recursive: true });
  fs.writeFileSync(path.join(root, id, "run.json"), JSON.stringify(rec));
}

const tm = (accuracy: number, macroF1: number) => ({ accuracy, macroF1, coverage: 1, perClass: [{ label: "Engineering", f1: macroF1, support: 3 }] });
const sm = (role: number, f1: number) => ({ levelGold: "dev", role: tm(role, f1), industry: tm(0.5, 0.4), level: null, golden: { passed: 0, total: 0, failures: [] } });

describe("jtlab exp export", () => {
  const root = tmpDir("jtlab-exp-export-");
  const runs = path.join(root, "runs");
  writeRun(runs, "r-tfidf", "char-tfidf", {
    protocol: "representatives",
    dev: sm(0.3, 0.2),
    test: sm(0.31, 0.25),
    protocols: { neighbours: { dev: sm(0.8, 0.6), test: sm(0.81, 0.57), settings: { role: { k: 10, weighting: "similarity" } } } },
  });
  const env = { JTLAB_RUNS_DIR: runs };

  it("one row per run and figure, the dotted name split into protocol, split, category and measure", () => {
    const rows = registryRows(listRuns(runs));
    const pick = (metric: string) => rows.find((r) => r.metric === metric);
    expect(pick("test.role.macroF1")).toMatchObject({ run_id: "r-tfidf", method: "char-tfidf", protocol: "representatives", split: "test", category: "role", measure: "macroF1", value: 0.25, seed: 7, commit: "abc123", backend: "wasm", seconds: 12.5 });
    expect(pick("protocols.neighbours.test.role.macroF1")).toMatchObject({ protocol: "neighbours", split: "test", category: "role", measure: "macroF1", value: 0.57 });
    expect(pick("test.golden.total")).toMatchObject({ protocol: "representatives", split: "test", category: null, measure: "golden.total", value: 0 });
    // Lists (per-class figures, curves) are not figures of the run.
    expect(rows.some((r) => r.metric.includes("perClass"))).toBe(false);
  });

  it("writes Parquet with typed columns that DuckDB queries with SQL", async () => {
    const out = path.join(root, "runs.parquet");
    const r = runCli(["exp", "export", "--out", out], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`wrote ${registryRows(listRuns(runs)).length} figures of 1 runs`);
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    const types = new Map((await c.runAndReadAll(`DESCRIBE SELECT * FROM '${out}'`)).getRows().map((x) => [String(x[0]), String(x[1])]));
    expect(types.get("value")).toBe("DOUBLE");
    expect(types.get("started")).toBe("TIMESTAMP");
    expect(types.get("method")).toBe("VARCHAR");
    const best = (await c.runAndReadAll(`SELECT protocol, value FROM '${out}' WHERE split = 'test' AND category = 'role' AND measure = 'macroF1' ORDER BY value DESC`)).getRows();
    expect(best).toEqual([["neighbours", 0.57], ["representatives", 0.25]]);
    c.closeSync();
    db.closeSync();
    // Never replaced without --force; an unknown format is named.
    expect(runCli(["exp", "export", "--out", out], env).stderr).toMatch(/exists: choose another --out, or pass --force/);
    expect(runCli(["exp", "export", "--out", out, "--force"], env).status).toBe(0);
    expect(runCli(["exp", "export", "--out", path.join(root, "runs.xlsx")], env).stderr).toMatch(/--format must be parquet, csv or json/);
  });

  it("writes CSV and JSON too", () => {
    const csv = path.join(root, "runs.csv");
    expect(runCli(["exp", "export", "--out", csv], env).status).toBe(0);
    const lines = fs.readFileSync(csv, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("run_id,method,kind,status,started,seconds,seed,commit,backend,metric,protocol,split,category,measure,value");
    expect(lines).toHaveLength(registryRows(listRuns(runs)).length + 1);
    const json = path.join(root, "runs.json");
    expect(runCli(["exp", "export", "--out", json], env).status).toBe(0);
    expect(JSON.parse(fs.readFileSync(json, "utf8"))).toHaveLength(registryRows(listRuns(runs)).length);
  });
});
