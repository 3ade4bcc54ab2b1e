// 1-D convolution (tfjs Conv2D with height 1, stride 1, dilation 1, channels last) and its two gradients.
// Layouts: x [B, inW, C], filter [fw, C, F] (= [fw*C, F]), y and dy [B, outW, F]. Output position t reads input
// rows t - padL .. t - padL + fw - 1, which are one contiguous run of fw*C floats, so every output row is a dot
// product of a contiguous window with the filter matrix; rows that overhang the input use a shorter window.
import { axpy, transpose } from "./simd";
import { tile1x1, tile1x5, tile2x1, tile2x5 } from "./tiles";

/** One output row whose window may overhang the input (then only the overlapping taps count). */
function edgeRow(xb: usize, w: usize, ob: usize, t: i32, inW: i32, C: i32, fw: i32, F: i32, padL: i32): void {
  const s = t - padL;
  const k0 = s < 0 ? -s : 0;
  const k1 = inW - s < fw ? inW - s : fw;
  const o = ob + ((<usize>t * <usize>F) << 2);
  if (k1 <= k0) {
    memory.fill(o, 0, <usize>F << 2);
    return;
  }
  const K = (k1 - k0) * C;
  const xp = xb + ((<usize>(s + k0) * <usize>C) << 2);
  const wp = w + ((<usize>(k0 * C) * <usize>F) << 2);
  const wStep = <usize>F << 2;
  let j = 0;
  for (; j + 20 <= F; j += 20) tile1x5(xp, K, wp + (<usize>j << 2), wStep, o + (<usize>j << 2));
  for (; j < F; j += 4) tile1x1(xp, K, wp + (<usize>j << 2), wStep, o + (<usize>j << 2));
}

/** y[b0..b1) = conv(x, w); F must be a multiple of 4. */
export function convForward(x: usize, w: usize, y: usize, inW: i32, C: i32, fw: i32, F: i32, outW: i32, padL: i32, b0: i32, b1: i32): void {
  const rowBytes = <usize>C << 2;
  const wStep = <usize>F << 2;
  const K = fw * C;
  // Interior rows: the whole window lies inside the input.
  let tLo = padL < outW ? padL : outW;
  let tHi = inW - fw + padL + 1;
  if (tHi > outW) tHi = outW;
  if (tHi < tLo) tHi = tLo;
  for (let b = b0; b < b1; b++) {
    const xb = x + <usize>b * <usize>inW * rowBytes;
    const ob = y + <usize>b * <usize>outW * wStep;
    for (let t = 0; t < tLo; t++) edgeRow(xb, w, ob, t, inW, C, fw, F, padL);
    let t = tLo;
    for (; t + 1 < tHi; t += 2) {
      const xp = xb + <usize>(t - padL) * rowBytes;
      const o = ob + <usize>t * wStep;
      let j = 0;
      for (; j + 20 <= F; j += 20) tile2x5(xp, rowBytes, K, w + (<usize>j << 2), wStep, o + (<usize>j << 2), wStep);
      for (; j < F; j += 4) tile2x1(xp, rowBytes, K, w + (<usize>j << 2), wStep, o + (<usize>j << 2), wStep);
    }
    for (; t < outW; t++) edgeRow(xb, w, ob, t, inW, C, fw, F, padL);
  }
}

/** True when any of the 4 floats at p is non-zero. */
@inline function anyNonZero4(p: usize): bool {
  return v128.any_true(f32x4.ne(v128.load(p), f32x4.splat(0)));
}

/** True when the first F4 (a multiple of 4) floats at p are all zero: one branch per row instead of one per group. */
@inline function headAllZero(p: usize, F4: i32): bool {
  const zero = f32x4.splat(0);
  let acc = zero;
  for (let j = 0; j < F4; j += 4) acc = v128.or(acc, f32x4.ne(v128.load(p + (<usize>j << 2)), zero));
  return !v128.any_true(acc);
}

/**
 * For each non-zero dy[f] of one output row: n floats of the per-filter rows (perF + f·K) and of `fixed`, one added
 * to the other times dy[f] — into the filter rows (`intoPerF`, dW) or into `fixed` (dx). Groups of 4 zero dy
 * entries cost one test.
 */
@inline function axpyNonZero(row: usize, F: i32, F4: i32, K: i32, perF: usize, fixed: usize, n: i32, intoPerF: bool): void {
  for (let f = F4 > 0 && headAllZero(row, F4) ? F4 : 0; f < F; f++) {
    if ((f & 3) == 0 && f < F4 && !anyNonZero4(row + (<usize>f << 2))) {
      f += 3;
      continue;
    }
    const d = load<f32>(row + (<usize>f << 2));
    if (d == 0) continue;
    const p = perF + ((<usize>f * <usize>K) << 2);
    if (intoPerF) axpy(p, fixed, d, n);
    else axpy(fixed, p, d, n);
  }
}

/**
 * dW = sum over (b, t) of x-window(b, t) outer dy[b, t]. dy after ReLU and global max pooling is mostly zeros, so
 * the sum runs over non-zero dy entries only (adding a zero product changes no float). Accumulates into
 * dwT [F][fw*C] (scratch) so that each entry adds one contiguous window, then transposes to dw [fw*C][F].
 * Summation order is fixed: b, then t, then f.
 */
export function convBackpropFilter(x: usize, dy: usize, dwT: usize, dw: usize, B: i32, inW: i32, C: i32, fw: i32, F: i32, outW: i32, padL: i32): void {
  const K = fw * C;
  memory.fill(dwT, 0, (<usize>F * <usize>K) << 2);
  const F4 = F & ~3;
  for (let b = 0; b < B; b++) {
    const xb = x + ((<usize>b * <usize>inW * <usize>C) << 2);
    for (let t = 0; t < outW; t++) {
      const row = dy + ((<usize>(b * outW + t) * <usize>F) << 2);
      const s = t - padL;
      const k0 = s < 0 ? -s : 0;
      const k1 = inW - s < fw ? inW - s : fw;
      if (k1 <= k0) continue;
      const n = (k1 - k0) * C;
      const xp = xb + ((<usize>(s + k0) * <usize>C) << 2);
      const accBase = dwT + ((<usize>(k0 * C)) << 2);
      axpyNonZero(row, F, F4, K, accBase, xp, n, true);
    }
  }
  transpose(dwT, dw, F, K);
}

/**
 * dx[b, s] = sum over (t, f) with dy[b, t, f] != 0 of dy * w[:, :, f] placed at rows t - padL ...; wT [F][fw*C]
 * is scratch for the transposed filter. Zero dy entries are skipped as in convBackpropFilter.
 */
export function convBackpropInput(dy: usize, w: usize, wT: usize, dx: usize, B: i32, inW: i32, C: i32, fw: i32, F: i32, outW: i32, padL: i32): void {
  const K = fw * C;
  transpose(w, wT, K, F);
  const F4 = F & ~3;
  const sampleBytes = (<usize>inW * <usize>C) << 2;
  for (let b = 0; b < B; b++) {
    const xb = dx + <usize>b * sampleBytes;
    // zeroed per sample, so that the sample's rows are still in L1 when the updates below land on them
    memory.fill(xb, 0, sampleBytes);
    for (let t = 0; t < outW; t++) {
      const row = dy + ((<usize>(b * outW + t) * <usize>F) << 2);
      const s = t - padL;
      const k0 = s < 0 ? -s : 0;
      const k1 = inW - s < fw ? inW - s : fw;
      if (k1 <= k0) continue;
      const n = (k1 - k0) * C;
      const xp = xb + ((<usize>(s + k0) * <usize>C) << 2);
      const wBase = wT + ((<usize>(k0 * C)) << 2);
      axpyNonZero(row, F, F4, K, wBase, xp, n, false);
    }
  }
}
