// UMAP maps: neighbours (exact and IVF), the fuzzy graph against umap-js's own, seeded layouts, faithfulness, and
// the plotly figure (structure, hover text, escaping; drawn in headless Chromium where it is installed).
import * as fs from "fs";
import * as path from "path";
import { UMAP } from "umap-js";
import { describe, expect, it } from "vitest";
import { PLOTLY_MIME } from "../src/viz/plotly";
import { renderReport } from "../src/report/html";
import { Rng } from "../src/util/random";
import { knn, knnExact, knnRecall, exactNeighboursOf, knnToArrays, sampledRecall } from "../src/viz/knn";
import { fuzzyGraph, neighbourPreservation, umapLayout } from "../src/viz/umap";
import { figureProblems } from "../src/viz/figure-rules";
import { MAP_GRID, plotlyText, titleMapFigure } from "../src/viz/title-map";
import { checkReport, chromiumSkipReason } from "./browser";
import { tmpDir } from "./helpers";

function gaussian(n: number, dim: number, seed: number): Float32Array {
  const r = new Rng(seed);
  return Float32Array.from({ length: n * dim }, () => r.normal());
}

/** `clusters` tight groups around random directions, point i in group i % clusters. */
function clustered(n: number, dim: number, clusters: number, spread: number, seed: number): Float32Array {
  const r = new Rng(seed);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dim }, () => r.normal()));
  return Float32Array.from({ length: n * dim }, (_, e) => centres[Math.floor(e / dim) % clusters][e % dim] + spread * r.normal());
}

/** Brute-force cosine neighbours in float64: ids of the k nearest other points of each point, nearest first. */
function bruteForce(v: Float32Array, dim: number, k: number): number[][] {
  const n = v.length / dim;
  const norm = Array.from({ length: n }, (_, i) => Math.hypot(...v.subarray(i * dim, i * dim + dim)));
  return Array.from({ length: n }, (_, i) => {
    const d = Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let t = 0; t < dim; t++) s += v[i * dim + t] * v[j * dim + t];
      return { j, d: 1 - s / (norm[i] * norm[j]) };
    });
    return d.filter((x) => x.j !== i).sort((a, b) => a.d - b.d).slice(0, k).map((x) => x.j);
  });
}

describe("k nearest neighbours", () => {
  it("exact search equals brute force, self first at distance 0", async () => {
    const dim = 24;
    const v = gaussian(600, dim, 1);
    const r = await knnExact(v, dim, 10);
    const truth = bruteForce(v, dim, 9);
    for (let i = 0; i < 600; i++) {
      expect(r.indices[i * 10]).toBe(i);
      expect(r.distances[i * 10]).toBe(0);
      expect(Array.from(r.indices.subarray(i * 10 + 1, i * 10 + 10))).toEqual(truth[i]);
      for (let j = 2; j < 10; j++) expect(r.distances[i * 10 + j]).toBeGreaterThanOrEqual(r.distances[i * 10 + j - 1]);
    }
    // Distances are cosine distances.
    const [a, b] = [0, r.indices[1]];
    const dot = v.subarray(0, dim).reduce((s, x, t) => s + x * v[b * dim + t], 0);
    const na = Math.hypot(...v.subarray(a * dim, a * dim + dim));
    const nb = Math.hypot(...v.subarray(b * dim, b * dim + dim));
    expect(r.distances[1]).toBeCloseTo(1 - dot / (na * nb), 5);
  });

  it("IVF finds at least 95% of the true neighbours of clustered data, the same on 1 or 2 threads", async () => {
    const dim = 32;
    const v = clustered(6000, dim, 40, 0.6, 2);
    const one = await knn(v, dim, 15, { method: "ivf", threads: 1, seed: 3 });
    const two = await knn(v, dim, 15, { method: "ivf", threads: 2, seed: 3 });
    expect(two.indices).toEqual(one.indices);
    expect(two.distances).toEqual(one.distances);
    const queries = new Rng(4).sample(Array.from({ length: 6000 }, (_, i) => i), 300);
    const exact = await exactNeighboursOf(v, dim, queries, 14);
    expect(knnRecall(one, queries, exact)).toBeGreaterThanOrEqual(0.95);
    for (let i = 0; i < 6000; i++) {
      expect(one.indices[i * 15]).toBe(i);
      expect(new Set(one.indices.subarray(i * 15, i * 15 + 15)).size).toBe(15);
    }
  });

  it("finds at least 95% of the true neighbours of many small, loose clusters with the defaults, the same on 1 or 2 threads", async () => {
    // 400 clusters of 15 points whose noise is as large as the spread of the centres: the cells cut through clusters,
    // as they do on the title vectors, so most of the recall has to come from the joins.
    const dim = 32;
    const v = clustered(6000, dim, 400, 1.0, 2);
    const one = await knn(v, dim, 15, { method: "ivf", threads: 1 });
    const two = await knn(v, dim, 15, { method: "ivf", threads: 2 });
    expect(two.indices).toEqual(one.indices);
    expect(two.distances).toEqual(one.distances);
    const queries = new Rng(4).sample(Array.from({ length: 6000 }, (_, i) => i), 300);
    const exact = await exactNeighboursOf(v, dim, queries, 14);
    expect(knnRecall(one, queries, exact)).toBeGreaterThanOrEqual(0.95);
    // The one-call form the bench and notebook 05 use draws the same seeded sample.
    expect(await sampledRecall(v, dim, one, { sample: 300, seed: 4 })).toBe(knnRecall(one, queries, exact));
    // A longer candidate pool is cut back to k: self first, then the nearest ascending, and nothing lost.
    const wide = await knn(v, dim, 15, { method: "ivf", pool: 24 });
    expect(wide.indices.length).toBe(6000 * 15);
    for (let i = 0; i < 6000; i++) {
      expect(wide.indices[i * 15]).toBe(i);
      for (let j = 2; j < 15; j++) expect(wide.distances[i * 15 + j]).toBeGreaterThanOrEqual(wide.distances[i * 15 + j - 1]);
    }
    expect(knnRecall(wide, queries, exact)).toBeGreaterThanOrEqual(knnRecall(one, queries, exact));
  });

  it("rejects vectors that do not divide into rows", async () => {
    await expect(knn(new Float32Array(10), 3, 2)).rejects.toThrow(/whole number/);
  });
});

describe("UMAP layout", () => {
  it("builds umap-js's fuzzy graph exactly", () => {
    const dim = 8;
    const v = clustered(300, dim, 5, 0.5, 5);
    const nn = bruteForceKnn(v, dim, 15);
    const g = fuzzyGraph(nn);
    const u = new UMAP({ nNeighbors: 15, random: () => 0.5 });
    const { indices, distances } = knnToArrays(nn);
    u.setPrecomputedKNN(indices, distances);
    u.initializeFit(Array.from({ length: 300 }, () => []));
    // umap-js's graph is private; read it to compare entry by entry.
    const theirs = (u as unknown as { graph: { getAll(): { row: number; col: number; value: number }[] } }).graph.getAll().filter((e) => e.value !== 0);
    expect(theirs.map((e) => [e.row, e.col])).toEqual(Array.from(g.rows, (r, i) => [r, g.cols[i]]));
    expect(theirs.map((e) => e.value)).toEqual(Array.from(g.weights));
  });

  it("is identical for one seed and differs for another", async () => {
    const dim = 16;
    const v = clustered(800, dim, 4, 0.4, 6);
    const a = await umapLayout(v, dim, { seed: 7, nEpochs: 60 });
    const b = await umapLayout(v, dim, { seed: 7, nEpochs: 60 });
    const c = await umapLayout(v, dim, { seed: 8, nEpochs: 60 });
    expect(a.coords.length).toBe(1600);
    expect(Array.from(a.coords).every(Number.isFinite)).toBe(true);
    expect(b.coords).toEqual(a.coords);
    expect(c.coords).not.toEqual(a.coords);
  });

  it("keeps well-separated clusters apart, as faithfully as umap-js itself", async () => {
    const dim = 20;
    const n = 800;
    const clusters = 6;
    const v = clustered(n, dim, clusters, 0.25, 9);
    const ours = await umapLayout(v, dim, { seed: 3, nEpochs: 200 });
    // Each point's 15 nearest in 2-D belong to its own cluster.
    let same = 0;
    for (let i = 0; i < n; i++) {
      const d = Array.from({ length: n }, (_, j) => ({ j, d: Math.hypot(ours.coords[2 * i] - ours.coords[2 * j], ours.coords[2 * i + 1] - ours.coords[2 * j + 1]) }));
      for (const { j } of d.filter((x) => x.j !== i).sort((p, q) => p.d - q.d).slice(0, 15)) if (j % clusters === i % clusters) same++;
    }
    expect(same / (n * 15)).toBeGreaterThan(0.99);
    const f = await neighbourPreservation(v, dim, ours.coords, 15, { sample: n });
    const theirs = await umapLayout(v, dim, { seed: 3, nEpochs: 200, engine: "umap-js" });
    const fTheirs = await neighbourPreservation(v, dim, theirs.coords, 15, { sample: n });
    // Inside an isotropic cluster the order of neighbours is mostly noise, so the share kept is modest for both.
    expect(f).toBeGreaterThan(fTheirs - 0.03);
  });

  it("scores a perfect map 1 and a shuffled one near 0", async () => {
    // 2-D unit vectors at random angles (no ties): cosine neighbours are the nearest on the circle in the map.
    const n = 500;
    const r = new Rng(3);
    const angles = Array.from({ length: n }, () => 2 * Math.PI * r.next());
    const v = Float32Array.from({ length: n * 2 }, (_, e) => (e % 2 ? Math.sin : Math.cos)(angles[Math.floor(e / 2)]));
    expect(await neighbourPreservation(v, 2, v, 15, { sample: n })).toBe(1);
    const order = new Rng(1).shuffle(Array.from({ length: n }, (_, i) => i));
    const shuffled = Float32Array.from({ length: n * 2 }, (_, e) => v[order[Math.floor(e / 2)] * 2 + (e % 2)]);
    expect(await neighbourPreservation(v, 2, shuffled, 15, { sample: 200, seed: 2 })).toBeLessThan(0.1);
  });

  it("hands the workbench's Rng to the layout kernel as its four sfc32 words, and takes them back", () => {
    const rng = new Rng(123);
    for (let i = 0; i < 7; i++) rng.next();
    // sfc32 on the words as kernels-as/umap/layout.ts reads them (a, b, c, d as u32) draws Rng's own stream.
    const [a, b, c, d] = Array.from(rng.state(), (w) => w >>> 0);
    const words = Uint32Array.of(a, b, c, d);
    const kernelNext = (): number => {
      const [s0, s1, s2, s3] = words;
      const t = (s0 + s1 + s3) >>> 0;
      words[3] = s3 + 1;
      words[0] = s1 ^ (s1 >>> 9);
      words[1] = s2 + (s2 << 3);
      words[2] = (((s2 << 21) | (s2 >>> 11)) + t) >>> 0;
      return t;
    };
    const copy = new Rng(5);
    copy.setState(rng.state());
    for (let i = 0; i < 100; i++) {
      const u = rng.nextUint32();
      expect(kernelNext()).toBe(u);
      expect(copy.nextUint32()).toBe(u);
    }
    // After the kernel's draws, setState carries the stream on where the kernel left it.
    const after = new Rng(9);
    after.setState(words);
    for (let i = 0; i < 20; i++) expect(after.next()).toBe(rng.next());
    // state() is a copy.
    const s = rng.state();
    s.fill(0);
    expect(rng.state()).not.toEqual(s);
  });
});

/** KnnResult by brute force, for the graph check (distances in float32, as knn gives them). */
function bruteForceKnn(v: Float32Array, dim: number, k: number) {
  const n = v.length / dim;
  const others = bruteForce(v, dim, k - 1);
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  const norm = (i: number) => Math.hypot(...v.subarray(i * dim, i * dim + dim));
  for (let i = 0; i < n; i++) {
    indices[i * k] = i;
    others[i].forEach((j, t) => {
      let s = 0;
      for (let d = 0; d < dim; d++) s += v[i * dim + d] * v[j * dim + d];
      indices[i * k + 1 + t] = j;
      distances[i * k + 1 + t] = 1 - s / (norm(i) * norm(j));
    });
  }
  return { n, k, indices, distances };
}

describe("title map figure", () => {
  const titles = ["<b>Head</b> of Sales", "R&amp;D lead", "nurse <br> midwife", "<script>alert(1)</script>", "plain clerk", "a < b & c"];
  const labels = ["Sales & Marketing", "IT", "IT", null, "IT", "<i>Ops</i>"];
  const coords = Float32Array.from({ length: 12 }, (_, i) => i * 0.5);

  it("has one trace per class, biggest first, with the titles as hover text, escaped", () => {
    const fig = titleMapFigure(coords, titles, labels, { title: "Roles <map>" });
    const traces = fig.data as { name: string; type: string; x: number[]; y: number[]; hovertext: string[] }[];
    expect(traces.map((t) => t.name)).toEqual(["IT", "&lt;i&gt;Ops&lt;/i&gt;", "Sales &amp; Marketing", "(no label)"]);
    expect(traces.every((t) => t.type === "scattergl")).toBe(true);
    const it = traces[0];
    expect(it.hovertext).toEqual(["R&amp;amp;D lead", "nurse &lt;br&gt; midwife", "plain clerk"]);
    // Coordinates on an integer grid of MAP_GRID steps across the wider side, one scale for both axes: x spans
    // 0–5 and y 0.5–5.5, so both step 5 / MAP_GRID and the map keeps its shape.
    const step = MAP_GRID / 5;
    expect(it.x).toEqual([1, 2, 4].map((v) => v * step));
    expect(it.y).toEqual([1, 2, 4].map((v) => v * step));
    expect(traces.flatMap((t) => [...t.x, ...t.y]).every((v) => Number.isInteger(v) && v >= 0 && v <= MAP_GRID)).toBe(true);
    expect(traces[3].hovertext).toEqual(["&lt;script&gt;alert(1)&lt;/script&gt;"]);
    expect(JSON.stringify(fig)).not.toMatch(/<script|<b>|<br>|<i>/);
    expect(plotlyText("a < b & c")).toBe("a &lt; b &amp; c");
  });

  it("follows the figure rules, with nothing per point but its coordinates and its title", () => {
    const fig = titleMapFigure(coords, titles, labels, { title: "Roles <map>" });
    expect(figureProblems(fig)).toEqual([]);
    for (const t of fig.data) {
      const perPoint = Object.entries(t).filter(([, v]) => Array.isArray(v)).map(([k]) => k).sort();
      expect(perPoint).toEqual(["hovertext", "x", "y"]);
    }
  });

  it("draws a seeded sample when asked for fewer points", () => {
    const n = 1000;
    const many = Float32Array.from({ length: n * 2 }, (_, i) => i);
    const t = Array.from({ length: n }, (_, i) => `title ${i}`);
    const l = Array.from({ length: n }, (_, i) => `class ${i % 3}`);
    const a = titleMapFigure(many, t, l, { title: "m", maxPoints: 100, traceType: "scatter" });
    const b = titleMapFigure(many, t, l, { title: "m", maxPoints: 100, traceType: "scatter" });
    const count = (f: typeof a) => (f.data as { x: number[] }[]).reduce((s, tr) => s + tr.x.length, 0);
    expect(count(a)).toBe(100);
    expect(a).toEqual(b);
    expect(JSON.stringify(a.layout)).toContain("100 of 1,000 titles");
  });

  const skip = chromiumSkipReason();
  it.skipIf(skip !== null)("is drawn by headless Chromium, WebGL and SVG, without console errors", async () => {
    const n = 2000;
    const r = new Rng(5);
    const c = Float32Array.from({ length: n * 2 }, () => r.normal());
    const t = Array.from({ length: n }, (_, i) => titles[i % titles.length] + ` ${i}`);
    const l = Array.from({ length: n }, (_, i) => labels[i % labels.length]);
    const output = (traceType: "scatter" | "scattergl") => ({
      output_type: "display_data",
      data: { [PLOTLY_MIME]: titleMapFigure(c, t, l, { title: `map (${traceType})`, traceType }) },
      metadata: {},
    });
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "code", source: "", metadata: {}, execution_count: 1, outputs: [output("scattergl"), output("scatter")] }] };
    const file = path.join(tmpDir(), "map.html");
    fs.writeFileSync(file, renderReport(nb as unknown as Parameters<typeof renderReport>[0], { title: "map" }));
    const page = await checkReport(file);
    expect(page.figures).toBe(2);
    expect(page.drawn).toBe(2);
    expect(page.points).toEqual([n, n]);
    expect(page.errors).toEqual([]);
  });
});
