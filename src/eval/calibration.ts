// Calibration: a map from a classifier's score to the probability that its answer is right, fitted on the dev split,
// so that a threshold of 0.5 on the calibrated number means "more likely right than wrong" whatever the method's own
// score scale (cosines, softmax maxima, rule priorities). Two maps: Platt's logistic curve (two parameters, smooth,
// extrapolates) and isotonic regression (any monotone shape, needs more data). Plus the measures that say how well
// a set of probabilities is calibrated, and the reliability diagram.
import { CalibratorJSON, isotonicProbability, sigmoid } from "./calibrator";
import { NEUTRAL, seriesColour } from "../viz/figure-rules";
import { Figure } from "../viz/plotly";

export type CalibrationMethod = "platt" | "isotonic";

export type { CalibratorJSON };

export interface Calibrator {
  method: CalibrationMethod;
  /** The probability, in [0, 1], that an answer with this score is right. */
  apply(score: number): number;
  toJSON(): CalibratorJSON;
}

type Outcomes = ArrayLike<boolean | 0 | 1>;

// ---------------------------------------------------------------------------------------------------------------
// Validation

function checkOutcomes(where: string, n: number, correct: Outcomes): Uint8Array {
  if (correct == null || typeof correct.length !== "number") throw new Error(`${where}: correct must be an array of booleans or 0/1`);
  if (correct.length !== n) throw new Error(`${where}: ${n} scores but ${correct.length} correct flags (lengths must match)`);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = correct[i] as unknown;
    if (c === true || c === 1) y[i] = 1;
    else if (c !== false && c !== 0) throw new Error(`${where}: correct[${i}] is ${JSON.stringify(c)}, not a boolean or 0/1`);
  }
  return y;
}

function checkScores(where: string, scores: ArrayLike<number>, what = "scores"): Float64Array {
  if (scores == null || typeof scores.length !== "number") throw new Error(`${where}: ${what} must be an array of numbers`);
  if (scores.length === 0) throw new Error(`${where}: empty input (no ${what})`);
  const s = new Float64Array(scores.length);
  for (let i = 0; i < s.length; i++) {
    const v = scores[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${where}: ${what}[${i}] is ${String(v)}, not a finite number`);
    s[i] = v;
  }
  return s;
}

function checkProbs(where: string, probs: ArrayLike<number>): Float64Array {
  const p = checkScores(where, probs, "probs");
  for (let i = 0; i < p.length; i++) if (p[i] < 0 || p[i] > 1) throw new Error(`${where}: probs[${i}] is ${p[i]}, outside [0, 1]`);
  return p;
}

function checkApplied(method: CalibrationMethod, score: number): void {
  if (typeof score !== "number" || !Number.isFinite(score)) throw new Error(`${method} calibrator: score ${String(score)} is not a finite number`);
}

// ---------------------------------------------------------------------------------------------------------------
// Platt scaling

function plattCalibrator(a: number, b: number): Calibrator {
  return {
    method: "platt",
    apply(score) {
      checkApplied("platt", score);
      return sigmoid(a * score + b);
    },
    toJSON: () => ({ method: "platt", a, b }),
  };
}

/**
 * Platt scaling, as Lin, Lin and Weng (2007) made it robust: the targets are smoothed to (N₊+1)/(N₊+2) and
 * 1/(N₋+2), so the log-loss has a finite minimum even when every answer is right (or wrong) or the scores separate
 * the two perfectly; Newton's method with a backtracking line search finds it. The scores are standardized for the
 * fit (a cosine spread over 0.02 and a logit spread over 20 then need the same few steps) and a, b are mapped back.
 * Constant scores carry no information: a = 0 and b gives the smoothed share of right answers.
 */
export function fitPlatt(scores: ArrayLike<number>, correct: Outcomes): Calibrator {
  const s = checkScores("fitPlatt", scores);
  const y = checkOutcomes("fitPlatt", s.length, correct);
  const n = s.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i];
  const neg = n - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = y[i] ? hi : lo;

  let mean = 0;
  for (let i = 0; i < n; i++) mean += s[i];
  mean /= n;
  let sd = 0;
  for (let i = 0; i < n; i++) sd += (s[i] - mean) ** 2;
  sd = Math.sqrt(sd / n);
  // Spread below ~1e-12 of the scores' size is rounding noise, not signal.
  if (!(sd > 1e-12 * Math.max(1, Math.abs(mean)))) {
    const rate = (pos * hi + neg * lo) / n;
    return plattCalibrator(0, Math.log(rate / (1 - rate)));
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = (s[i] - mean) / sd;

  // Log-loss against the smoothed targets, written so that neither branch overflows.
  const objective = (A: number, B: number): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const fi = A * z[i] + B;
      f += fi >= 0 ? (1 - t[i]) * fi + Math.log1p(Math.exp(-fi)) : -t[i] * fi + Math.log1p(Math.exp(fi));
    }
    return f;
  };

  let A = 0;
  let B = Math.log((pos + 1) / (neg + 1));
  let F = objective(A, B);
  for (let iter = 0; iter < 100; iter++) {
    let gA = 0;
    let gB = 0;
    let hAA = 1e-12;
    let hAB = 0;
    let hBB = 1e-12;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(A * z[i] + B);
      const d = p - t[i];
      const w = p * (1 - p);
      gA += z[i] * d;
      gB += d;
      hAA += z[i] * z[i] * w;
      hAB += z[i] * w;
      hBB += w;
    }
    // The gradient is a sum over n titles: compare its mean with the tolerance.
    if (Math.abs(gA) / n < 1e-10 && Math.abs(gB) / n < 1e-10) break;
    const det = hAA * hBB - hAB * hAB;
    const dA = -(hBB * gA - hAB * gB) / det;
    const dB = -(-hAB * gA + hAA * gB) / det;
    const slope = gA * dA + gB * dB;
    // Newton's predicted decrease (-slope/2) below the objective's rounding: further steps would chase noise.
    if (-slope < 1e-12 * Math.max(1, F)) break;
    let step = 1;
    let moved = false;
    while (step >= 1e-10) {
      const nA = A + step * dA;
      const nB = B + step * dB;
      const nF = objective(nA, nB);
      if (nF <= F + 1e-4 * step * slope) {
        A = nA;
        B = nB;
        F = nF;
        moved = true;
        break;
      }
      step /= 2;
    }
    if (!moved) break;
  }
  const a = A / sd;
  const b = B - (A * mean) / sd;
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`fitPlatt: the fit diverged (a=${a}, b=${b})`);
  return plattCalibrator(a, b);
}

// ---------------------------------------------------------------------------------------------------------------
// Isotonic regression

function isotonicCalibrator(x: number[], y: number[]): Calibrator {
  return {
    method: "isotonic",
    apply(score) {
      checkApplied("isotonic", score);
      return isotonicProbability(x, y, score);
    },
    toJSON: () => ({ method: "isotonic", x: x.slice(), y: y.slice() }),
  };
}

/**
 * Isotonic regression by pool-adjacent-violators: the non-decreasing step function of the score closest (least
 * squares) to the right/wrong outcomes. Ties are pooled before PAV (titles with the same score get the same
 * probability, whatever their order in the input), so the fit is deterministic. Between blocks the curve is
 * linearly interpolated from the end of one block to the start of the next, as scikit-learn's IsotonicRegression
 * predicts: a score between two seen scores then gets a probability between theirs rather than a jump at an
 * arbitrary point. Below the lowest and above the highest seen score it is flat. The JSON holds each block's first and
 * last score with its value (one knot for a block of one score): about 70 knots for the 6k-title role dev split.
 */
export function fitIsotonic(scores: ArrayLike<number>, correct: Outcomes): Calibrator {
  const s = checkScores("fitIsotonic", scores);
  const yv = checkOutcomes("fitIsotonic", s.length, correct);
  const order = Array.from(s.keys()).sort((i, j) => s[i] - s[j] || i - j);
  // Titles with equal scores first become one block, so PAV never splits a tie.
  const xs: number[] = [];
  const sums: number[] = [];
  const counts: number[] = [];
  for (const i of order) {
    const top = xs.length - 1;
    if (top >= 0 && xs[top] === s[i]) {
      sums[top] += yv[i];
      counts[top] += 1;
    } else {
      xs.push(s[i]);
      sums.push(yv[i]);
      counts.push(1);
    }
  }
  // PAV on a stack of blocks [xmin, xmax] with their sum of outcomes and weight. A block pools with the one before
  // while that one's mean is at or above its own (equal means pool too: same curve, fewer knots).
  const xmin: number[] = [];
  const xmax: number[] = [];
  const sum: number[] = [];
  const wt: number[] = [];
  for (let u = 0; u < xs.length; u++) {
    xmin.push(xs[u]);
    xmax.push(xs[u]);
    sum.push(sums[u]);
    wt.push(counts[u]);
    for (let k = xmin.length - 1; k > 0 && sum[k - 1] * wt[k] >= sum[k] * wt[k - 1]; k--) {
      xmax[k - 1] = xmax[k];
      sum[k - 1] += sum[k];
      wt[k - 1] += wt[k];
      xmin.pop();
      xmax.pop();
      sum.pop();
      wt.pop();
    }
  }
  const px: number[] = [];
  const py: number[] = [];
  for (let k = 0; k < xmin.length; k++) {
    const v = sum[k] / wt[k];
    px.push(xmin[k]);
    py.push(v);
    if (xmax[k] > xmin[k]) {
      px.push(xmax[k]);
      py.push(v);
    }
  }
  // Shorter numbers for the JSON: nine significant digits keep every float32 score exactly (scores are mostly
  // float32), six decimals of a probability are far below the noise of any dev split, and rounding keeps the curve
  // non-decreasing. Scores that only differ beyond the ninth digit keep their full values instead.
  const rx = px.map((v) => Number(v.toPrecision(9)));
  const distinct = rx.every((v, k) => k === 0 || v > rx[k - 1]);
  return isotonicCalibrator(distinct ? rx : px, py.map((v) => Math.round(v * 1e6) / 1e6));
}

export function fitCalibrator(method: CalibrationMethod, scores: ArrayLike<number>, correct: Outcomes): Calibrator {
  if (method === "platt") return fitPlatt(scores, correct);
  if (method === "isotonic") return fitIsotonic(scores, correct);
  throw new Error(`fitCalibrator: unknown calibration method ${JSON.stringify(method)} (use "platt" or "isotonic")`);
}

export function calibratorFromJSON(json: CalibratorJSON): Calibrator {
  const j = json as unknown as Record<string, unknown> | null;
  if (!j || typeof j !== "object") throw new Error("calibratorFromJSON: not a calibrator object");
  if (j.method === "platt") {
    const { a, b } = j;
    if (typeof a !== "number" || !Number.isFinite(a) || typeof b !== "number" || !Number.isFinite(b)) {
      throw new Error(`calibratorFromJSON: a Platt calibrator needs finite numbers a and b, got a=${String(a)}, b=${String(b)}`);
    }
    return plattCalibrator(a, b);
  }
  if (j.method === "isotonic") {
    const { x, y } = j;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length === 0 || x.length !== y.length) {
      throw new Error("calibratorFromJSON: an isotonic calibrator needs arrays x and y of the same, non-zero length");
    }
    for (let k = 0; k < x.length; k++) {
      if (typeof x[k] !== "number" || !Number.isFinite(x[k]) || (k > 0 && !(x[k] > x[k - 1]))) {
        throw new Error(`calibratorFromJSON: isotonic x[${k}] = ${String(x[k])} is not finite and above x[${k - 1}]`);
      }
      if (typeof y[k] !== "number" || !(y[k] >= 0 && y[k] <= 1) || (k > 0 && y[k] < y[k - 1])) {
        throw new Error(`calibratorFromJSON: isotonic y[${k}] = ${String(y[k])} is not in [0, 1] and at or above y[${k - 1}]`);
      }
    }
    return isotonicCalibrator(x.slice() as number[], y.slice() as number[]);
  }
  throw new Error(`calibratorFromJSON: unknown calibration method ${JSON.stringify(j.method)} (expected "platt" or "isotonic")`);
}

/** The calibrated probability of every score. */
export function calibrateAll(calibrator: Calibrator, scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < out.length; i++) out[i] = calibrator.apply(scores[i]);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Measures

export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  /** Mean predicted probability in the bin; null when the bin is empty. */
  meanProb: number | null;
  /** Share of right answers in the bin; null when the bin is empty. */
  accuracy: number | null;
}

/**
 * Equal-width bins over [0, 1]: bin k holds probabilities in [k/bins, (k+1)/bins), the last one also 1. Every bin
 * is returned, empty ones with null means, so that tables line up across methods.
 */
export function reliabilityBins(probs: ArrayLike<number>, correct: Outcomes, bins = 10): ReliabilityBin[] {
  const p = checkProbs("reliabilityBins", probs);
  const y = checkOutcomes("reliabilityBins", p.length, correct);
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`reliabilityBins: bins must be a positive integer, got ${bins}`);
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  for (let i = 0; i < p.length; i++) {
    const k = Math.min(bins - 1, Math.floor(p[i] * bins));
    count[k]++;
    sumP[k] += p[i];
    hits[k] += y[i];
  }
  return count.map((c, k) => ({
    lo: k / bins,
    hi: (k + 1) / bins,
    count: c,
    meanProb: c ? sumP[k] / c : null,
    accuracy: c ? hits[k] / c : null,
  }));
}

/** ECE: the count-weighted mean gap between accuracy and mean probability over the reliability bins. */
export function expectedCalibrationError(probs: ArrayLike<number>, correct: Outcomes, bins = 10): number {
  const rows = reliabilityBins(probs, correct, bins);
  let n = 0;
  let gap = 0;
  for (const b of rows) {
    if (!b.count) continue;
    n += b.count;
    gap += b.count * Math.abs(b.accuracy! - b.meanProb!);
  }
  return gap / n;
}

/** Brier score: the mean squared difference between probability and outcome (0 best; 0.25 for always 0.5). */
export function brierScore(probs: ArrayLike<number>, correct: Outcomes): number {
  const p = checkProbs("brierScore", probs);
  const y = checkOutcomes("brierScore", p.length, correct);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - y[i]) ** 2;
  return s / p.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Figure

/**
 * A reliability diagram: per series, each non-empty bin's mean probability against its accuracy, the marker's area
 * growing with the bin's count (shown on hover, with the bin's range); the dashed diagonal is perfect calibration.
 * Series names carry their ECE, so the legend ranks them at a glance.
 */
export function reliabilityFigure(
  series: { name: string; probs: ArrayLike<number>; correct: Outcomes }[],
  title: string,
  opts: { bins?: number; xTitle?: string } = {},
): Figure {
  if (!Array.isArray(series) || series.length === 0) throw new Error("reliabilityFigure: empty input (no series)");
  const bins = opts.bins ?? 10;
  const diagonal = {
    type: "scatter",
    mode: "lines",
    name: "perfectly calibrated",
    x: [0, 1],
    y: [0, 1],
    line: { color: NEUTRAL, dash: "dash", width: 1.5 },
    hoverinfo: "skip",
  };
  const traces = series.map((s, i) => {
    const rows = reliabilityBins(s.probs, s.correct, bins).filter((b) => b.count > 0);
    const ece = expectedCalibrationError(s.probs, s.correct, bins);
    const n = s.probs.length;
    const color = seriesColour(i);
    return {
      type: "scatter",
      mode: "lines+markers",
      name: `${s.name} (ECE ${(ece * 100).toFixed(1)}%)`,
      x: rows.map((b) => b.meanProb),
      y: rows.map((b) => b.accuracy),
      line: { color },
      // Area proportional to the count, with a floor so that a bin of one title stays visible.
      marker: { color, size: rows.map((b) => 6 + 24 * Math.sqrt(b.count / n)), sizemode: "diameter", line: { color: "white", width: 1 } },
      customdata: rows.map((b) => [b.count, b.lo, b.hi]),
      hovertemplate:
        "bin %{customdata[1]:.0%}–%{customdata[2]:.0%}: %{customdata[0]:,} titles<br>" +
        "mean probability %{x:.1%}<br>observed accuracy %{y:.1%}<extra>%{fullData.name}</extra>",
    };
  });
  const data = [diagonal, ...traces];
  return {
    data,
    layout: {
      title: { text: title },
      height: 480,
      xaxis: { title: { text: opts.xTitle ?? "Predicted probability (calibrated)" }, tickformat: ".0%", range: [0, 1.02] },
      yaxis: { title: { text: "Observed accuracy (share of titles)" }, tickformat: ".0%", range: [0, 1.02] },
      showlegend: data.length > 1,
      legend: { orientation: "h", y: -0.18 },
    },
  };
}
