// Calibration: Platt and isotonic maps fitted to synthetic scores whose true probabilities are known, the measures,
// and the reliability diagram.
import { describe, expect, it } from "vitest";
import {
  brierScore,
  calibrateAll,
  calibratorFromJSON,
  CalibratorJSON,
  expectedCalibrationError,
  fitCalibrator,
  fitIsotonic,
  fitPlatt,
  reliabilityBins,
  reliabilityFigure,
} from "../src/eval/calibration";
import { Rng } from "../src/util/random";

const sigmoid = (f: number): number => 1 / (1 + Math.exp(-f));

/** n scores drawn by `score`, each right with probability truth(score). */
function synthetic(n: number, seed: number, score: (r: Rng) => number, truth: (s: number) => number): { s: number[]; y: boolean[] } {
  const r = new Rng(seed);
  const s: number[] = [];
  const y: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const v = score(r);
    s.push(v);
    y.push(r.next() < truth(v));
  }
  return { s, y };
}

const grid = (lo: number, hi: number, k = 101): number[] => Array.from({ length: k }, (_, i) => lo + ((hi - lo) * i) / (k - 1));

describe("fitPlatt", () => {
  it("recovers a known logistic relation between score and correctness", () => {
    const { s, y } = synthetic(20000, 1, (r) => -3 + 6 * r.next(), (v) => sigmoid(2 * v - 0.5));
    const cal = fitPlatt(s, y);
    const j = cal.toJSON() as { a: number; b: number };
    expect(cal.method).toBe("platt");
    expect(j.a).toBeCloseTo(2, 0);
    expect(Math.abs(j.a - 2)).toBeLessThan(0.15);
    expect(Math.abs(j.b + 0.5)).toBeLessThan(0.1);
    for (const v of grid(-3, 3, 13)) expect(Math.abs(cal.apply(v) - sigmoid(2 * v - 0.5))).toBeLessThan(0.03);
  });

  it("does not depend on the scores' scale or offset (they are standardized for the fit)", () => {
    const { s, y } = synthetic(5000, 2, (r) => r.next(), (v) => sigmoid(8 * v - 4));
    const a = fitPlatt(s, y);
    const b = fitPlatt(s.map((v) => 1000 + 0.001 * v), y);
    for (const v of grid(0, 1, 11)) expect(b.apply(1000 + 0.001 * v)).toBeCloseTo(a.apply(v), 6);
  });

  it("stays finite when every answer is right, every answer is wrong, the scores are constant or separate perfectly", () => {
    const s = grid(0, 1, 50);
    const allRight = fitPlatt(s, s.map(() => true));
    const allWrong = fitPlatt(s, s.map(() => 0 as const));
    const constant = fitPlatt(s.map(() => 0.7), s.map((_, i) => i % 4 !== 0));
    const separable = fitPlatt(s, s.map((v) => v > 0.5));
    const one = fitPlatt([0.3], [true]);
    for (const cal of [allRight, allWrong, constant, separable, one]) {
      const j = cal.toJSON() as { a: number; b: number };
      expect(Number.isFinite(j.a) && Number.isFinite(j.b)).toBe(true);
      for (const v of [-1e6, -1, 0, 0.5, 1, 1e6]) {
        const p = cal.apply(v);
        expect(Number.isFinite(p)).toBe(true);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
    }
    // Smoothed targets: all right gives (N+1)/(N+2), not 1; constant scores give the smoothed share of right answers.
    expect(allRight.apply(0.5)).toBeCloseTo(51 / 52, 6);
    expect(allWrong.apply(0.5)).toBeCloseTo(1 / 52, 6);
    expect((constant.toJSON() as { a: number }).a).toBe(0);
    expect(constant.apply(0.7)).toBeCloseTo((37 * (38 / 39) + 13 * (1 / 15)) / 50, 6);
    expect(separable.apply(1)).toBeGreaterThan(0.9);
    expect(separable.apply(0)).toBeLessThan(0.1);
  });
});

describe("fitIsotonic", () => {
  // Overconfident scores: the score is the claimed probability, the truth is its square.
  const train = synthetic(6000, 3, (r) => r.next(), (v) => v * v);
  const held = synthetic(6000, 4, (r) => r.next(), (v) => v * v);

  it("is non-decreasing, stays in [0, 1] and flat outside the seen scores", () => {
    const cal = fitIsotonic(train.s, train.y);
    const ps = grid(-0.5, 1.5, 401).map((v) => cal.apply(v));
    for (let k = 1; k < ps.length; k++) expect(ps[k]).toBeGreaterThanOrEqual(ps[k - 1]);
    for (const p of ps) expect(p >= 0 && p <= 1).toBe(true);
    expect(cal.apply(-10)).toBe(cal.apply(Math.min(...train.s)));
    expect(cal.apply(10)).toBe(cal.apply(Math.max(...train.s)));
  });

  it("reduces the calibration error of miscalibrated scores on held-out data", () => {
    const before = expectedCalibrationError(held.s, held.y);
    const cal = fitIsotonic(train.s, train.y);
    const after = expectedCalibrationError(calibrateAll(cal, held.s), held.y);
    expect(before).toBeGreaterThan(0.1);
    expect(after).toBeLessThan(0.04);
    expect(after).toBeLessThan(before / 3);
    expect(brierScore(calibrateAll(cal, held.s), held.y)).toBeLessThan(brierScore(held.s, held.y));
  });

  it("solves a small case by hand, interpolating between blocks", () => {
    // Sorted outcomes 0, 1, 0, 1 at scores 1..4: PAV pools scores 2 and 3 into one block of mean 0.5.
    const cal = fitIsotonic([4, 1, 3, 2], [1, 0, 0, 1]);
    expect(cal.toJSON()).toEqual({ method: "isotonic", x: [1, 2, 3, 4], y: [0, 0.5, 0.5, 1] });
    expect(cal.apply(1.5)).toBeCloseTo(0.25, 12);
    expect(cal.apply(2.5)).toBe(0.5);
    expect(cal.apply(3.75)).toBeCloseTo(0.875, 12);
  });

  it("pools tied scores, so the fit does not depend on the order of the input", () => {
    const s = [0.2, 0.5, 0.5, 0.5, 0.8, 0.8, 0.1];
    const y: (0 | 1)[] = [0, 1, 0, 1, 1, 0, 0];
    const a = fitIsotonic(s, y).toJSON();
    const order = [6, 3, 0, 5, 1, 4, 2];
    const b = fitIsotonic(order.map((i) => s[i]), order.map((i) => y[i])).toJSON();
    expect(b).toEqual(a);
    // The three titles at 0.5 (two right) and the two at 0.8 (one right) violate the order and pool: 3 of 5.
    expect(fitIsotonic(s, y).apply(0.5)).toBeCloseTo(0.6, 12);
    expect(fitIsotonic(s, y).apply(0.8)).toBeCloseTo(0.6, 12);
  });

  it("gives finite outputs for constant scores and for all-right answers", () => {
    const constant = fitIsotonic([0.4, 0.4, 0.4, 0.4], [1, 0, 1, 1]);
    expect(constant.apply(0.4)).toBe(0.75);
    expect(constant.apply(-3)).toBe(0.75);
    const allRight = fitIsotonic([0.1, 0.5, 0.9], [true, true, true]);
    for (const v of [0, 0.3, 1]) expect(allRight.apply(v)).toBe(1);
  });
});

describe("calibrator JSON", () => {
  it("round-trips both methods through JSON text", () => {
    const { s, y } = synthetic(3000, 5, (r) => r.next(), (v) => v * v);
    for (const method of ["platt", "isotonic"] as const) {
      const cal = fitCalibrator(method, s, y);
      const back = calibratorFromJSON(JSON.parse(JSON.stringify(cal.toJSON())) as CalibratorJSON);
      expect(back.method).toBe(method);
      expect(back.toJSON()).toEqual(cal.toJSON());
      for (const v of grid(-0.2, 1.2, 57)) expect(back.apply(v)).toBe(cal.apply(v));
    }
  });

  it("is small and readable", () => {
    const { s, y } = synthetic(6000, 6, (r) => r.next(), (v) => v * v);
    expect(Object.keys(fitPlatt(s, y).toJSON()).sort()).toEqual(["a", "b", "method"]);
    const iso = fitIsotonic(s, y).toJSON() as { x: number[]; y: number[] };
    expect(iso.x.length).toBe(iso.y.length);
    expect(iso.x.length).toBeLessThan(200);
    expect(JSON.stringify(iso).length).toBeLessThan(4000);
  });

  it("rejects malformed calibrators, naming the problem", () => {
    expect(() => calibratorFromJSON({ method: "platt", a: NaN, b: 0 })).toThrow(/finite numbers a and b/);
    expect(() => calibratorFromJSON({ method: "isotonic", x: [0, 1], y: [0.5] })).toThrow(/same, non-zero length/);
    expect(() => calibratorFromJSON({ method: "isotonic", x: [1, 0], y: [0, 1] })).toThrow(/x\[1\]/);
    expect(() => calibratorFromJSON({ method: "isotonic", x: [0, 1], y: [0.9, 0.1] })).toThrow(/y\[1\]/);
    expect(() => calibratorFromJSON({ method: "beta" } as unknown as CalibratorJSON)).toThrow(/unknown calibration method "beta"/);
  });
});

describe("measures", () => {
  it("puts every probability in one bin, 0 in the first and 1 in the last", () => {
    const { s, y } = synthetic(1234, 7, (r) => r.next(), (v) => v);
    const probs = [...s, 0, 1];
    const bins = reliabilityBins(probs, [...y, false, true], 10);
    expect(bins).toHaveLength(10);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(probs.length);
    expect(bins[0].lo).toBe(0);
    expect(bins[9].hi).toBe(1);
    const few = reliabilityBins([0, 1, 1], [0, 1, 1], 4);
    expect(few.map((b) => b.count)).toEqual([1, 0, 0, 2]);
    expect(few[1].meanProb).toBeNull();
    expect(few[1].accuracy).toBeNull();
    expect(few[3].accuracy).toBe(1);
  });

  it("computes ECE and Brier score by hand", () => {
    const probs = [0.9, 0.9, 0.1, 0.1];
    const correct = [1, 0, 0, 0] as const;
    expect(brierScore(probs, correct)).toBeCloseTo((0.01 + 0.81 + 0.01 + 0.01) / 4, 12);
    // Bin of 0.9: accuracy 0.5 (gap 0.4); bin of 0.1: accuracy 0 (gap 0.1); each holds half the titles.
    expect(expectedCalibrationError(probs, correct)).toBeCloseTo(0.25, 12);
    expect(expectedCalibrationError([1, 1, 0], [true, true, false])).toBe(0);
  });

  it("rejects bad input, naming the problem", () => {
    expect(() => fitPlatt([0.1, 0.2], [true])).toThrow(/2 scores but 1 correct flags/);
    expect(() => fitIsotonic([0.1, NaN], [true, false])).toThrow(/scores\[1\] is NaN, not a finite number/);
    expect(() => fitPlatt([], [])).toThrow(/empty input/);
    expect(() => fitIsotonic([0.1, Infinity], [1, 0])).toThrow(/not a finite number/);
    expect(() => fitPlatt([0.1], [2 as unknown as 1])).toThrow(/correct\[0\] is 2/);
    expect(() => fitCalibrator("beta" as "platt", [0.1], [1])).toThrow(/unknown calibration method/);
    expect(() => reliabilityBins([0.5, 1.2], [1, 0])).toThrow(/probs\[1\] is 1.2, outside \[0, 1\]/);
    expect(() => brierScore([], [])).toThrow(/empty input/);
    expect(() => expectedCalibrationError([0.5], [1, 0])).toThrow(/lengths must match/);
    expect(() => fitPlatt([0.1, 0.2], [1, 0]).apply(NaN)).toThrow(/not a finite number/);
  });
});

describe("reliabilityFigure", () => {
  const a = synthetic(2000, 8, (r) => r.next(), (v) => v * v);
  const fig = reliabilityFigure(
    [
      { name: "raw", probs: a.s, correct: a.y },
      { name: "isotonic", probs: calibrateAll(fitIsotonic(a.s, a.y), a.s), correct: a.y },
    ],
    "Role: reliability on dev",
  );
  const layout = fig.layout as { title: { text: string }; xaxis: { title: { text: string } }; yaxis: { title: { text: string } }; showlegend: boolean };

  it("has a title, axis titles with units and a legend", () => {
    expect(layout.title.text).toBe("Role: reliability on dev");
    expect(layout.xaxis.title.text).toBe("Predicted probability (calibrated)");
    expect(layout.yaxis.title.text).toBe("Observed accuracy (share of titles)");
    expect(layout.showlegend).toBe(true);
  });

  it("draws the perfectly calibrated diagonal dashed, then one trace a series with its ECE", () => {
    expect(fig.data).toHaveLength(3);
    const diag = fig.data[0] as { name: string; x: number[]; y: number[]; line: { dash: string } };
    expect(diag.name).toBe("perfectly calibrated");
    expect(diag.x).toEqual([0, 1]);
    expect(diag.y).toEqual([0, 1]);
    expect(diag.line.dash).toBe("dash");
    expect((fig.data[1] as { name: string }).name).toMatch(/^raw \(ECE \d+\.\d%\)$/);
    expect((fig.data[2] as { name: string }).name).toMatch(/^isotonic \(ECE/);
  });

  it("shows each bin's count in its marker size and hover", () => {
    for (const t of fig.data.slice(1) as { x: number[]; customdata: number[][]; marker: { size: number[] }; hovertemplate: string }[]) {
      expect(t.customdata.reduce((s, d) => s + d[0], 0)).toBe(2000);
      expect(t.marker.size).toHaveLength(t.x.length);
      const big = t.customdata.map((d) => d[0]).indexOf(Math.max(...t.customdata.map((d) => d[0])));
      expect(t.marker.size[big]).toBe(Math.max(...t.marker.size));
      expect(t.hovertemplate).toContain("titles");
    }
  });

  it("rejects an empty list of series", () => {
    expect(() => reliabilityFigure([], "x")).toThrow(/no series/);
  });
});
