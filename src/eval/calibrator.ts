// The two calibration maps as plain math over their recorded parameters, with no other import: calibration.ts
// fits and checks them, and the exported classifier (src/export, bundled for a browser) applies them from JSON.

/** Platt: p = 1 / (1 + exp(-(a·score + b))). Isotonic: the knots (x ascending) of a piecewise-linear curve. */
export type CalibratorJSON = { method: "platt"; a: number; b: number } | { method: "isotonic"; x: number[]; y: number[] };

/** The logistic function, without overflow for large |f|. */
export const sigmoid = (f: number): number => (f >= 0 ? 1 / (1 + Math.exp(-f)) : Math.exp(f) / (1 + Math.exp(f)));

/** The isotonic curve at a score: flat outside the knots, linear between two knots, clamped to [0, 1]. */
export function isotonicProbability(x: readonly number[], y: readonly number[], score: number): number {
  const last = x.length - 1;
  if (score <= x[0]) return y[0];
  if (score >= x[last]) return y[last];
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= score) lo = mid;
    else hi = mid;
  }
  const f = (score - x[lo]) / (x[hi] - x[lo]);
  return Math.min(1, Math.max(0, y[lo] + f * (y[hi] - y[lo])));
}

/** The probability a recorded calibrator gives a score. */
export function calibratedProbability(c: CalibratorJSON, score: number): number {
  return c.method === "platt" ? sigmoid(c.a * score + c.b) : isotonicProbability(c.x, c.y, score);
}
