// The SGD epochs of umap-js 1.4's optimizeLayoutStep for a 2-D embedding (see src/viz/umap.ts), with the
// coordinates in float32 (as umap-learn keeps them) in the imported memory. The edge schedule, gradients, clipping,
// negative sampling and learning-rate decay are umap-js's; the random stream is the workbench's sfc32
// (src/util/random.ts), continued from the state JS hands over.

// The generator's state is read from 4 u32 at `rng` and written back at the end of a call, since the layout runs on
// one thread and JS continues the stream between calls.

import { sfc32Load, sfc32Next, sfc32Store } from "../common/sfc32";

/**
 * x^y in each lane, for x > 0: 2^(y·log2 x) with short series, relative error below 2e-6 in float32 arithmetic.
 * The negative samples need half a billion powers for 65,000 points, four at a time here; Math.pow would be scalar
 * and several times slower.
 */
@inline function pow4(x: v128, y: f32): v128 {
  // x = 2^e · m, m in [sqrt(1/2), sqrt(2)); ln m = 2 atanh(t), t = (m - 1) / (m + 1), |t| < 0.172.
  let e = i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(127));
  let m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000));
  const big = f32x4.gt(m, f32x4.splat(1.4142135));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big);
  e = i32x4.sub(e, big); // big lanes are -1
  const t = f32x4.div(f32x4.sub(m, f32x4.splat(1)), f32x4.add(m, f32x4.splat(1)));
  const t2 = f32x4.mul(t, t);
  let q = f32x4.add(f32x4.splat(0.4), f32x4.mul(t2, f32x4.splat(0.2857143)));
  q = f32x4.add(f32x4.splat(0.6666667), f32x4.mul(t2, q));
  q = f32x4.add(f32x4.splat(2), f32x4.mul(t2, q));
  const log2x = f32x4.add(f32x4.convert_i32x4_s(e), f32x4.mul(f32x4.mul(t, q), f32x4.splat(1.442695)));
  // 2^z = 2^i · e^f with i = round(z), f = (z - i) ln 2, |f| <= 0.347.
  const z = f32x4.mul(log2x, f32x4.splat(y));
  const i = f32x4.nearest(z);
  const f = f32x4.mul(f32x4.sub(z, i), f32x4.splat(0.6931472));
  let p = f32x4.add(f32x4.splat(0.008333333), f32x4.mul(f, f32x4.splat(0.001388889)));
  p = f32x4.add(f32x4.splat(0.04166667), f32x4.mul(f, p));
  p = f32x4.add(f32x4.splat(0.1666667), f32x4.mul(f, p));
  p = f32x4.add(f32x4.splat(0.5), f32x4.mul(f, p));
  p = f32x4.add(f32x4.splat(1), f32x4.mul(f, p));
  p = f32x4.add(f32x4.splat(1), f32x4.mul(f, p));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(i), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

@inline function powScalar(x: f32, y: f32): f32 {
  return f32x4.extract_lane(pow4(f32x4.splat(x), y), 0);
}

@inline function clip(x: f32): f32 {
  return x > 4 ? 4 : x < -4 ? -4 : x;
}

@inline function clip4(x: v128): v128 {
  return f32x4.pmax(f32x4.splat(-4), f32x4.pmin(f32x4.splat(4), x));
}

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * Runs epochs [e0, e1) of nEpochs. emb: n × 2 f32. head, tail: i32 per edge. eps (epochs per sample), eons (epoch
 * of next sample), epns (epochs per negative sample), eonns (epoch of next negative sample): f64 per edge.
 *
 * One departure from umap-js, for speed: an edge's negative samples are taken four at a time (SIMD), each four
 * pushing the head from where the previous four left it, where umap-js moves it after every single sample.
 */
export function layoutEpochs(emb: usize, n: i32, head: usize, tail: usize, E: i32, eps: usize, eons: usize, epns: usize, eonns: usize, a: f32, b: f32, nEpochs: i32, e0: i32, e1: i32, rng: usize): void {
  sfc32Load(rng);
  for (let epoch = e0; epoch < e1; epoch++) {
    // umap-js lowers alpha after each epoch: 1 in epoch 0, then 1 - (epoch - 1) / nEpochs.
    const alpha = <f32>(epoch == 0 ? 1.0 : 1.0 - <f64>(epoch - 1) / <f64>nEpochs);
    const ep = <f64>epoch;
    for (let i = 0; i < E; i++) {
      const ie = <usize>i << 3;
      if (load<f64>(eons + ie) > ep) continue;
      const jid = load<i32>(head + (<usize>i << 2));
      const j = emb + (<usize>jid << 3);
      const k = emb + (<usize>load<i32>(tail + (<usize>i << 2)) << 3);
      let jx = load<f32>(j);
      let jy = load<f32>(j, 4);
      const kx = load<f32>(k);
      const ky = load<f32>(k, 4);
      const dx = jx - kx;
      const dy = jy - ky;
      const d2 = dx * dx + dy * dy;
      let coeff: f32 = 0;
      if (d2 > 0) {
        const pb1 = powScalar(d2, b - 1);
        coeff = (-2 * a * b * pb1) / (a * pb1 * d2 + 1);
      }
      const gx = clip(coeff * dx);
      const gy = clip(coeff * dy);
      jx += gx * alpha;
      jy += gy * alpha;
      store<f32>(k, kx + -gx * alpha);
      store<f32>(k, ky + -gy * alpha, 4);
      store<f64>(eons + ie, load<f64>(eons + ie) + load<f64>(eps + ie));

      const epn = load<f64>(epns + ie);
      const nNeg = <i32>Math.floor((ep - load<f64>(eonns + ie)) / epn);
      for (let p = 0; p < nNeg; p += 4) {
        // floor(random() * n) with random() = u32 / 2^32, in integers; lanes past nNeg draw nothing.
        const left = nNeg - p;
        const o0 = <i32>((<u64>sfc32Next() * <u64>n) >> 32);
        const o1 = left > 1 ? <i32>((<u64>sfc32Next() * <u64>n) >> 32) : jid;
        const o2 = left > 2 ? <i32>((<u64>sfc32Next() * <u64>n) >> 32) : jid;
        const o3 = left > 3 ? <i32>((<u64>sfc32Next() * <u64>n) >> 32) : jid;
        const a0 = emb + (<usize>o0 << 3);
        const a1 = emb + (<usize>o1 << 3);
        const a2 = emb + (<usize>o2 << 3);
        const a3 = emb + (<usize>o3 << 3);
        const ox = f32x4(load<f32>(a0), load<f32>(a1), load<f32>(a2), load<f32>(a3));
        const oy = f32x4(load<f32>(a0, 4), load<f32>(a1, 4), load<f32>(a2, 4), load<f32>(a3, 4));
        const vx = f32x4.sub(f32x4.splat(jx), ox);
        const vy = f32x4.sub(f32x4.splat(jy), oy);
        const e2 = f32x4.add(f32x4.mul(vx, vx), f32x4.mul(vy, vy));
        const pb = pow4(e2, b);
        const c = f32x4.div(f32x4.splat(2 * b), f32x4.mul(f32x4.add(f32x4.splat(0.001), e2), f32x4.add(f32x4.mul(f32x4.splat(a), pb), f32x4.splat(1))));
        // A coincident other point pushes by the clip value, as in umap-js; the point itself (and lanes past nNeg,
        // which hold it) not at all.
        const coincident = f32x4.eq(e2, f32x4.splat(0));
        const self = i32x4.eq(i32x4(o0, o1, o2, o3), i32x4.splat(jid));
        let gxs = v128.bitselect(f32x4.splat(4), clip4(f32x4.mul(c, vx)), coincident);
        let gys = v128.bitselect(f32x4.splat(4), clip4(f32x4.mul(c, vy)), coincident);
        gxs = v128.andnot(gxs, self);
        gys = v128.andnot(gys, self);
        jx += hsum(gxs) * alpha;
        jy += hsum(gys) * alpha;
      }
      store<f32>(j, jx);
      store<f32>(j, jy, 4);
      store<f64>(eonns + ie, load<f64>(eonns + ie) + <f64>nNeg * epn);
    }
  }
  sfc32Store(rng);
}
