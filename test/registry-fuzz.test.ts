// The run registry reader under fast-check: any JSON value in a run.json, and any mutation of a real record, is
// either read as a record every reader can use (list, state, compare) or refused with an error naming the file;
// never a crash of another kind, never a hang (a time bound per case, inside the property).
import fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { compareRuns, comparisonText } from "../src/experiments/compare";
import { choicesFor } from "../src/experiments/served";
import { listRuns, parseRecord, readRecordFile, RunRecord, runState } from "../src/experiments/registry";
import { tmpDir } from "./helpers";

const JSON_CASES = 400;
const MUTATION_CASES = 300;
const METRICS_CASES = 300;
const MS_PER_CASE = 2000;

const root = tmpDir("jtlab-runs-fuzz-");
const file = path.join(root, "2026-01-01-fuzz-000000", "run.json");
let oldRuns: string | undefined;

beforeAll(() => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  oldRuns = process.env.JTLAB_RUNS_DIR;
  process.env.JTLAB_RUNS_DIR = root;
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterAll(() => {
  if (oldRuns === undefined) delete process.env.JTLAB_RUNS_DIR;
  else process.env.JTLAB_RUNS_DIR = oldRuns;
  vi.restoreAllMocks();
});

const split = {
  levelGold: "test",
  role: { n: 10, accuracy: 0.5, macroF1: 0.4, coverage: 1, accuracyFullCoverage: 0.5, macroF1FullCoverage: 0.4 },
  industry: { n: 10, accuracy: 0.6, macroF1: 0.3, coverage: 1 },
  level: null,
  golden: { passed: 3, total: 4, failures: [] },
};

const valid: RunRecord = {
  schema: 2,
  id: "x",
  name: "fuzz",
  method: "fasttext",
  kind: "train",
  params: { epochs: 10, lr: 0.5 },
  seed: 1,
  git: { commit: "abc", dirty: false },
  data: null,
  backend: "wasm",
  versions: { node: "v20" },
  started: "2026-01-01T00:00:00.000Z",
  ended: "2026-01-01T00:01:00.000Z",
  seconds: 60,
  status: "ok",
  error: null,
  metrics: { test: split, dev: split, protocols: { head: { dev: split, test: split, settings: {} } }, training: { seconds: 1, throughput: 10, unit: "examples/s" } } as unknown as RunRecord["metrics"],
  artifacts: { model: "fasttext.json" },
  notes: [],
};

/** What every reader does with a record it was given. */
function useRecord(r: RunRecord): void {
  expect(r.id).toBe(path.basename(path.dirname(file)));
  expect(typeof r.method).toBe("string");
  expect(["running", "ok", "failed", "interrupted", "stale"]).toContain(runState(r));
  comparisonText(compareRuns([r, { ...r, id: "other" }]));
  for (const type of ["role", "industry", "level"] as const) choicesFor(type, [r]);
}

/** Reads `text` as run.json: a usable record or an Error naming the file; and listing never throws. */
function check(text: string): void {
  fs.writeFileSync(file, text);
  const t0 = performance.now();
  try {
    useRecord(readRecordFile(file));
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toContain(file);
  }
  expect(listRuns().length).toBeLessThanOrEqual(1);
  expect(performance.now() - t0).toBeLessThan(MS_PER_CASE);
}

describe("the run registry reader, fuzzed", () => {
  it(`reads any JSON value in run.json as a record or an error naming the file (${JSON_CASES} cases)`, () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => check(JSON.stringify(v))), { numRuns: JSON_CASES, seed: 14 });
  });

  it(`reads a real record with any field replaced by any JSON value, or removed (${MUTATION_CASES} cases)`, () => {
    const keys = Object.keys(valid);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.option(fc.jsonValue(), { nil: undefined }), (key, v) => {
        const r: Record<string, unknown> = { ...valid, [key]: v };
        if (v === undefined) delete r[key];
        check(JSON.stringify(r));
      }),
      { numRuns: MUTATION_CASES, seed: 14 },
    );
  });

  it(`reads a record whose metric sections hold any JSON value (${METRICS_CASES} cases)`, () => {
    const sections = ["dev", "test", "protocols", "melo", "meloFusion", "devRanking", "training", "extra", "messy", "protocol"];
    fc.assert(
      fc.property(fc.constantFrom(...sections), fc.jsonValue(), fc.jsonValue(), (section, v, inner) => {
        const metrics = { ...valid.metrics, [section]: v, protocols: { head: inner, neighbours: { dev: inner, test: { role: inner } } } };
        check(JSON.stringify({ ...valid, metrics }));
      }),
      { numRuns: METRICS_CASES, seed: 14 },
    );
  });

  it("null, {}, [] and a truncated record are refused by name", () => {
    for (const [text, why] of [
      ["null", /found null/],
      ["{}", /"method" must be a non-empty string/],
      ["[]", /found an array/],
      [JSON.stringify(valid).slice(0, 40), /not valid JSON/],
    ] as const) {
      fs.writeFileSync(file, text);
      expect(() => readRecordFile(file)).toThrow(why);
      expect(() => readRecordFile(file)).toThrow(file);
    }
    expect(() => parseRecord(valid, file)).not.toThrow();
  });
});
