// ExactTopK must give exactly bruteForceTopK's answer (same rows, same order, same float32 scores) whatever the
// shapes, ties, scales and thread count: the integer screen may only ever drop rows it has proved cannot be in the
// top k. Speed is measured by `jtlab bench topk`, not here.
import { spawnSync } from "child_process";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../src/data/paths";
import { bruteForceTopK, ExactTopK, ExactTopKOptions, TopKResult } from "../src/models/neighbours/exact-topk";
import { randomUnitVectors, Rng } from "../src/util/random";

function gaussian(n: number, dim: number, rng: Rng, unit = true): Float32Array {
  return unit ? randomUnitVectors(n, dim, rng) : Float32Array.from({ length: n * dim }, () => rng.normal());
}

const open: ExactTopK[] = [];
function index(rows: Float32Array, dim: number, opts: ExactTopKOptions = {}): ExactTopK {
  const t = new ExactTopK(rows, dim, { backend: "wasm", ...opts });
  open.push(t);
  return t;
}
afterAll(() => open.forEach((t) => t.dispose()));

function expectSame(got: TopKResult, want: TopKResult, what: string): void {
  expect(got.k, what).toBe(want.k);
  expect(Array.from(got.indices), what).toEqual(Array.from(want.indices));
  // Object.is: -0 and 0 differ, so even the sign of a zero score must match.
  expect(Array.from(got.scores).every((v, i) => Object.is(v, want.scores[i])), `${what}: scores`).toBe(true);
}

async function check(rows: Float32Array, dim: number, queries: Float32Array, k: number, what: string): Promise<ExactTopK> {
  const want = bruteForceTopK(rows, dim, queries, k);
  const t1 = index(rows, dim, { threads: 1 });
  const t2 = index(rows, dim, { threads: 2 });
  expectSame(t1.searchSync(queries, k), want, `${what} (sync)`);
  expectSame(await t1.search(queries, k), want, `${what} (1 thread)`);
  expectSame(await t2.search(queries, k), want, `${what} (2 threads)`);
  return t2;
}

describe("bruteForceTopK", () => {
  it("ranks by float64 score, ties to the lower row, best first", () => {
    const rows = Float32Array.of(1, 0, 0, 1, 1, 0, 0.5, 0.5, -1, 0);
    const r = bruteForceTopK(rows, 2, Float32Array.of(1, 0), 5);
    expect(Array.from(r.indices)).toEqual([0, 2, 3, 1, 4]);
    expect(Array.from(r.scores)).toEqual([1, 1, 0.5, 0, -1]);
  });
});

describe("ExactTopK equals brute force", () => {
  it("on random unit vectors of several shapes (dims not multiples of 8, n not a multiple of the tiles)", async () => {
    const rng = new Rng(11);
    for (const [n, dim, nq, k] of [
      [1000, 120, 37, 10],
      [1003, 37, 50, 1],
      [517, 9, 21, 517],
      [2000, 64, 33, 50],
      [3001, 1, 9, 7],
      [129, 3, 13, 128],
      [40, 130, 6, 40],
    ]) {
      await check(gaussian(n, dim, rng), dim, gaussian(nq, dim, rng), k, `n=${n} dim=${dim} k=${k}`);
    }
  });

  it("with duplicate rows and exact ties (small integer vectors)", async () => {
    const rng = new Rng(12);
    const dim = 11;
    const distinct = 60;
    const base = new Float32Array(distinct * dim).map(() => rng.int(3) - 1);
    // Each distinct row 10 times, in a shuffled order, so that equal scores sit at scattered row indices.
    const order = rng.shuffle(Array.from({ length: distinct * 10 }, (_, i) => i % distinct));
    const rows = new Float32Array(order.length * dim);
    order.forEach((d, r) => rows.set(base.subarray(d * dim, d * dim + dim), r * dim));
    const queries = new Float32Array(25 * dim).map(() => rng.int(5) - 2);
    queries.set(rows.subarray(0, dim)); // a query equal to a row
    for (const k of [1, 10, 37, rows.length / dim]) await check(rows, dim, queries, k, `ties k=${k}`);
  });

  it("with non-unit vectors: norms over twelve orders of magnitude, zero rows and zero queries", async () => {
    const rng = new Rng(13);
    const dim = 24;
    const rows = gaussian(700, dim, rng, false);
    for (let r = 0; r < 700; r++) {
      const scale = r % 7 === 0 ? 0 : 10 ** (rng.int(13) - 6);
      for (let j = 0; j < dim; j++) rows[r * dim + j] *= scale;
    }
    const queries = gaussian(20, dim, rng, false);
    for (let j = 0; j < dim; j++) queries[j] = 0;
    for (let j = 0; j < dim; j++) queries[dim + j] *= 1e20;
    for (let j = 0; j < dim; j++) queries[2 * dim + j] *= 1e-30;
    for (const k of [1, 15, 700]) await check(rows, dim, queries, k, `non-unit k=${k}`);
    // Values near float32's ends: products still exact in float64.
    const big = gaussian(300, 5, rng, false).map((v) => v * 1e30);
    await check(big, 5, gaussian(4, 5, rng, false).map((v) => v * 1e-35), 9, "extreme scales");
  });

  it("where exact scores differ by less than the int16 rounding (the bound must keep every contender)", async () => {
    const rng = new Rng(16);
    const dim = 120;
    const v = gaussian(1, dim, rng);
    // Rows and queries a hair apart from one vector: their integer scores mostly tie or misorder, their exact ones not.
    const near = (n: number, eps: number): Float32Array => {
      const out = new Float32Array(n * dim);
      for (let i = 0; i < n * dim; i++) out[i] = v[i % dim] + eps * rng.normal();
      return out;
    };
    for (const eps of [1e-3, 1e-4, 1e-5]) {
      const rows = near(900, eps);
      for (const k of [1, 10, 100]) await check(rows, dim, near(12, eps), k, `near-ties eps=${eps} k=${k}`);
    }
  });

  it("gives the same answer however the queries are cut into chunks and blocks and shared between threads", async () => {
    const rng = new Rng(17);
    const dim = 20;
    const rows = gaussian(800, dim, rng);
    const queries = gaussian(203, dim, rng);
    const want = bruteForceTopK(rows, dim, queries, 6);
    for (const [chunkQueries, blockQueries] of [[1, 4], [7, 4], [50, 8], [203, 12], [1000, 256]]) {
      for (const threads of [1, 2, 3]) {
        const t = index(rows, dim, { threads, chunkQueries, blockQueries });
        expectSame(await t.search(queries, 6), want, `chunks of ${chunkQueries}, blocks of ${blockQueries}, ${threads} threads`);
      }
    }
  });

  it("gives the same answer on 1 and 2 threads, and prunes on random data", async () => {
    const rng = new Rng(14);
    const dim = 48;
    const rows = gaussian(6000, dim, rng);
    const queries = gaussian(4500, dim, rng);
    const t1 = index(rows, dim, { threads: 1 });
    const t2 = index(rows, dim, { threads: 2 });
    const a = await t1.search(queries, 10);
    const b = await t2.search(queries, 10);
    expectSame(b, a, "1 vs 2 threads");
    // The screen's point: few rows rescored; and the answers are still brute force's.
    expect(t2.lastStats.queries).toBe(4500);
    expect(t2.lastStats.rescored / 4500).toBeLessThan(100);
    expect(t2.lastStats.rescored).toBeGreaterThanOrEqual(4500 * 10);
    // The first queries and the last, against brute force.
    for (const from of [0, 4460]) {
      const got = { k: 10, indices: a.indices.slice(from * 10, (from + 40) * 10), scores: a.scores.slice(from * 10, (from + 40) * 10) };
      expectSame(got, bruteForceTopK(rows, dim, queries.subarray(from * dim, (from + 40) * dim), 10), `queries ${from}..${from + 39} vs brute force`);
    }
  });

  it("copies its rows, serves concurrent searches one at a time, and answers no queries with nothing", async () => {
    const rng = new Rng(15);
    const rows = gaussian(300, 16, rng);
    const queries = gaussian(10, 16, rng);
    const want = bruteForceTopK(rows, 16, queries, 5);
    const t = index(rows.slice(), 16, { threads: 2 });
    const [a, b] = await Promise.all([t.search(queries, 5), t.search(queries.subarray(0, 16), 3)]);
    expectSame(a, want, "first of two concurrent searches");
    expectSame(b, bruteForceTopK(rows, 16, queries.subarray(0, 16), 3), "second of two concurrent searches");
    const empty = await t.search(new Float32Array(0), 5);
    expect(empty.indices.length).toBe(0);
    const js = new ExactTopK(rows, 16, { backend: "js" });
    expectSame(await js.search(queries, 5), want, "js backend");
  });
});

describe("ExactTopK refuses bad input", () => {
  const rows = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i));
  it("k outside [1, n], queries of the wrong width, ragged rows", async () => {
    const t = index(rows, 4, { threads: 1 });
    const q = Float32Array.of(1, 0, 0, 0);
    for (const k of [0, 11, 1.5, NaN]) {
      expect(() => t.searchSync(q, k)).toThrow(/k must be an integer in \[1, n=10\]/);
      await expect(t.search(q, k)).rejects.toThrow(/k must be an integer/);
    }
    expect(() => t.searchSync(Float32Array.of(1, 0, 0), 1)).toThrow(/3 floats is not a whole number of 4-dim queries/);
    expect(() => new ExactTopK(rows, 3)).toThrow(/40 floats is not a whole number of 3-dim rows/);
    expect(() => new ExactTopK(rows, 0)).toThrow(/whole number/);
    expect(() => new ExactTopK(new Float32Array(0), 4)).toThrow(/no rows/);
    expect(() => new ExactTopK(rows, 4, { threads: 0 })).toThrow(/threads must be an integer >= 1/);
    expect(() => new ExactTopK(rows, 4, { blockQueries: 6 })).toThrow(/multiple of 4/);
  });

  it("non-finite values in rows or queries", () => {
    const bad = rows.slice();
    bad[9] = NaN;
    expect(() => new ExactTopK(bad, 4)).toThrow(/row 2 has a non-finite value \(NaN\) at dimension 1/);
    bad[9] = Infinity;
    expect(() => new ExactTopK(bad, 4, { backend: "wasm" })).toThrow(/non-finite/);
    const t = index(rows, 4, { threads: 1 });
    expect(() => t.searchSync(Float32Array.of(0, 0, 0, 0, 1, -Infinity, 0, 0), 2)).toThrow(/query 1 has a non-finite value/);
    expect(() => bruteForceTopK(rows, 4, Float32Array.of(NaN, 0, 0, 0), 1)).toThrow(/non-finite/);
  });
});

describe("worker threads", () => {
  it("never keep a process alive once a search is done, even without dispose() (a command would hang at exit)", () => {
    const code = `
      const { ExactTopK } = require(${JSON.stringify(path.join(projectRoot(), "src/models/neighbours/exact-topk"))});
      const { randomUnitVectors, Rng } = require(${JSON.stringify(path.join(projectRoot(), "src/util/random"))});
      const r = new Rng(1);
      const t = new ExactTopK(randomUnitVectors(20000, 60, r), 60, { threads: 2 });
      // One search only: that is the case that once left a worker's port holding the event loop.
      t.search(randomUnitVectors(100, 60, r), 5).then(() => console.log("searched"));`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { cwd: projectRoot(), encoding: "utf8", timeout: 30_000 });
    expect(r.stdout.trim(), r.stderr).toBe("searched");
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
  });
});
