// Conv1D applied to an embedding lookup, x[b, s] = table[ids[b, s]], computed through the table: with V table rows
// far fewer than B*W input rows, conv(x)[b, t] = sum over k of P_k[ids[b, t + k - padL]] where P_k = table * w_k
// (V x F), and the filter gradient is dw_k = table^T * G_k where G_k[v] sums dy[b, t] over the positions whose tap k
// reads id v. Same sums as the direct kernels in conv.ts, grouped differently (rounding differs in the last bits).
import { addTo, transpose } from "./simd";
import { rowTimesMatrix } from "./tiles";

/** y [B, outW, F]; P is scratch of fw*V*F floats. */
export function embedConvForward(table: usize, V: i32, ids: usize, w: usize, P: usize, y: usize, B: i32, inW: i32, C: i32, fw: i32, F: i32, outW: i32, padL: i32): void {
  const fBytes = <usize>F << 2;
  for (let k = 0; k < fw; k++) {
    const wk = w + ((<usize>(k * C) * <usize>F) << 2);
    for (let v = 0; v < V; v++) {
      rowTimesMatrix(table + ((<usize>v * <usize>C) << 2), C, wk, F, P + (<usize>(k * V + v)) * fBytes);
    }
  }
  for (let b = 0; b < B; b++) {
    const idb = ids + ((<usize>b * <usize>inW) << 2);
    for (let t = 0; t < outW; t++) {
      const o = y + (<usize>(b * outW + t)) * fBytes;
      const s = t - padL;
      const k0 = s < 0 ? -s : 0;
      const k1 = inW - s < fw ? inW - s : fw;
      for (let j = 0; j < F; j += 4) {
        let acc = f32x4.splat(0);
        for (let k = k0; k < k1; k++) {
          const v = load<i32>(idb + (<usize>(s + k) << 2));
          acc = f32x4.add(acc, v128.load(P + (<usize>(k * V + v)) * fBytes + (<usize>j << 2)));
        }
        v128.store(o + (<usize>j << 2), acc);
      }
    }
  }
}

/** dw [fw, C, F]; G is scratch of fw*V*F floats, tT of C*V floats. Rows of dy that are all zero are skipped. */
export function embedConvBackpropFilter(table: usize, V: i32, ids: usize, dy: usize, G: usize, tT: usize, dw: usize, B: i32, inW: i32, C: i32, fw: i32, F: i32, outW: i32, padL: i32): void {
  const fBytes = <usize>F << 2;
  memory.fill(G, 0, <usize>(fw * V) * fBytes);
  for (let b = 0; b < B; b++) {
    const idb = ids + ((<usize>b * <usize>inW) << 2);
    for (let t = 0; t < outW; t++) {
      const row = dy + (<usize>(b * outW + t)) * fBytes;
      if (allZero(row, F)) continue;
      const s = t - padL;
      const k0 = s < 0 ? -s : 0;
      const k1 = inW - s < fw ? inW - s : fw;
      for (let k = k0; k < k1; k++) {
        const v = load<i32>(idb + (<usize>(s + k) << 2));
        addTo(G + (<usize>(k * V + v)) * fBytes, row, F);
      }
    }
  }
  transpose(table, tT, V, C);
  for (let k = 0; k < fw; k++) {
    const gk = G + (<usize>(k * V)) * fBytes;
    for (let c = 0; c < C; c++) {
      rowTimesMatrix(tT + ((<usize>c * <usize>V) << 2), V, gk, F, dw + (<usize>(k * C + c)) * fBytes);
    }
  }
}

/** F a multiple of 4. */
@inline function allZero(p: usize, F: i32): bool {
  const zero = f32x4.splat(0);
  let acc = f32x4.ne(v128.load(p), zero);
  for (let j = 4; j < F; j += 4) acc = v128.or(acc, f32x4.ne(v128.load(p + (<usize>j << 2)), zero));
  return !v128.any_true(acc);
}
