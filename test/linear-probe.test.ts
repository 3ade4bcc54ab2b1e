// The linear probe: a softmax head on frozen vectors, checked on toy sets whose answer is known.
import { describe, expect, it } from "vitest";
import { LinearProbeJSON, linearProbeFromJSON, trainLinearProbe } from "../src/models/heads/linear-probe";
import { Rng } from "../src/util/random";

const CLASSES = ["north", "east", "south", "west"];
const CENTRES = [
  [0, 3],
  [3, 0],
  [0, -3],
  [-3, 0],
];

/** Dense 2-d points around four well separated centres (linearly separable). */
function blobs(n: number, seed: number): { X: Float32Array; labels: string[] } {
  const r = new Rng(seed);
  const X = new Float32Array(n * 2);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % CLASSES.length;
    X[2 * i] = CENTRES[k][0] + 0.5 * r.normal();
    X[2 * i + 1] = CENTRES[k][1] + 0.5 * r.normal();
    labels.push(CLASSES[k]);
  }
  return { X, labels };
}

/**
 * Sparse rows in 200 dimensions, like hashed TF-IDF: each class owns 10 "n-gram" dimensions; a row has 3 of its
 * class's and 2 random noise dimensions, scaled to unit length.
 */
function sparse(n: number, seed: number): { X: Float32Array; labels: string[] } {
  const dim = 200;
  const r = new Rng(seed);
  const X = new Float32Array(n * dim);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % CLASSES.length;
    const on = [...r.sample(Array.from({ length: 10 }, (_, j) => k * 10 + j), 3), 100 + r.int(100), 100 + r.int(100)];
    for (const j of on) X[i * dim + j] = 1;
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += X[i * dim + j] ** 2;
    for (let j = 0; j < dim; j++) X[i * dim + j] /= Math.sqrt(norm);
    labels.push(CLASSES[k]);
  }
  return { X, labels };
}

const accuracy = (pred: { label: string }[], gold: string[]): number => pred.filter((p, i) => p.label === gold[i]).length / gold.length;

describe("trainLinearProbe", () => {
  it("separates a linearly separable dense set, on its training rows and on new ones", () => {
    const train = blobs(400, 1);
    const test = blobs(200, 2);
    const probe = trainLinearProbe(train.X, 2, train.labels, CLASSES, { epochs: 20, seed: 3 });
    expect(accuracy(probe.predict(train.X), train.labels)).toBe(1);
    expect(accuracy(probe.predict(test.X), test.labels)).toBe(1);
    // A point at a centre is confidently its class.
    const [p] = probe.predict(Float32Array.of(0, 3));
    expect(p.label).toBe("north");
    expect(p.score).toBeGreaterThan(0.9);
  });

  it("learns sparse rows (the per-row non-zero lists) as well", () => {
    const train = sparse(800, 4);
    const test = sparse(200, 5);
    const probe = trainLinearProbe(train.X, 200, train.labels, CLASSES, { epochs: 10 });
    expect(accuracy(probe.predict(test.X), test.labels)).toBeGreaterThan(0.97);
  });

  it("reports each epoch, with a falling training loss", () => {
    const { X, labels } = blobs(200, 6);
    const seen: { epoch: number; loss: number; accuracy: number }[] = [];
    trainLinearProbe(X, 2, labels, CLASSES, { epochs: 5, onEpoch: (e) => seen.push(e) });
    expect(seen.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(seen[4].loss).toBeLessThan(seen[0].loss);
    for (const e of seen) expect(e.accuracy >= 0 && e.accuracy <= 1).toBe(true);
  });

  it("is deterministic for a seed", () => {
    const { X, labels } = sparse(300, 7);
    const a = trainLinearProbe(X, 200, labels, CLASSES, { seed: 11, epochs: 3 }).toJSON();
    const b = trainLinearProbe(X, 200, labels, CLASSES, { seed: 11, epochs: 3 }).toJSON();
    const c = trainLinearProbe(X, 200, labels, CLASSES, { seed: 12, epochs: 3 }).toJSON();
    expect(b).toEqual(a);
    expect(c.weights).not.toEqual(a.weights);
  });

  it("gives probability rows that sum to 1, in the order of the classes", () => {
    const { X, labels } = blobs(200, 8);
    const probe = trainLinearProbe(X, 2, labels, CLASSES, { epochs: 5 });
    const P = probe.predictProba(X);
    expect(P.length).toBe(200 * CLASSES.length);
    for (let r = 0; r < 200; r++) {
      let s = 0;
      for (let c = 0; c < CLASSES.length; c++) {
        expect(P[r * 4 + c]).toBeGreaterThanOrEqual(0);
        s += P[r * 4 + c];
      }
      expect(s).toBeCloseTo(1, 5);
    }
    const pred = probe.predict(X);
    expect(pred[0].score).toBeCloseTo(Math.max(...P.subarray(0, 4)), 6);
    expect(probe.predictProba(new Float32Array(0))).toHaveLength(0);
  });

  it("round-trips through JSON text with the same predictions", () => {
    const { X, labels } = sparse(300, 9);
    const probe = trainLinearProbe(X, 200, labels, CLASSES, { epochs: 3 });
    const json = probe.toJSON();
    expect(json.format).toBe("jtlab-linear-probe");
    expect(json.weights).toHaveLength(CLASSES.length);
    expect(json.weights[0]).toHaveLength(200);
    const back = linearProbeFromJSON(JSON.parse(JSON.stringify(json)) as LinearProbeJSON);
    expect(back.classes).toEqual(CLASSES);
    expect(back.toJSON()).toEqual(json);
    expect(Array.from(back.predictProba(X))).toEqual(Array.from(probe.predictProba(X)));
  });

  it("rejects bad input with errors that name the problem", () => {
    const { X, labels } = blobs(20, 10);
    expect(() => trainLinearProbe(X, 3, labels, CLASSES)).toThrow(/not a whole number of rows of dim 3 \(dim mismatch\)/);
    expect(() => trainLinearProbe(X, 2, labels.slice(1), CLASSES)).toThrow(/20 rows of dim 2 but there are 19 labels/);
    expect(() => trainLinearProbe(X, 2, ["up", ...labels.slice(1)], CLASSES)).toThrow(/unknown label "up" at row 0/);
    expect(() => trainLinearProbe(new Float32Array(0), 2, [], CLASSES)).toThrow(/empty training set/);
    expect(() => trainLinearProbe(X, 2, labels, ["north", "north", "east", "south", "west"])).toThrow(/listed twice/);
    expect(() => trainLinearProbe(X, 2, labels, ["north"])).toThrow(/at least two classes/);
    const bad = X.slice();
    bad[5] = NaN;
    expect(() => trainLinearProbe(bad, 2, labels, CLASSES)).toThrow(/X\[2, 1\] is NaN/);
    expect(() => trainLinearProbe(X, 2, labels, CLASSES, { learningRate: -1 })).toThrow(/learningRate/);
    expect(() => trainLinearProbe(X, 2, labels, CLASSES, { epochs: 0 })).toThrow(/epochs/);
    const probe = trainLinearProbe(X, 2, labels, CLASSES, { epochs: 1 });
    expect(() => probe.predictProba(new Float32Array(3))).toThrow(/dim mismatch/);
    expect(() => linearProbeFromJSON({ format: "other" } as unknown as LinearProbeJSON)).toThrow(/not a jtlab-linear-probe/);
    const json = probe.toJSON();
    expect(() => linearProbeFromJSON({ ...json, weights: json.weights.slice(1) })).toThrow(/one array per class/);
  });
});
