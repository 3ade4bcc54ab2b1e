// Shared inner loops. Kept as separate multiplies and adds (wasm has no fused multiply-add without relaxed SIMD),
// so results round the way the cpu backend's scalar loops do.

/** y[0..n) += a * x[0..n) */
@inline export function axpy(y: usize, x: usize, a: f32, n: i32): void {
  const av = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(v128.load(x + o), av)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + load<f32>(x + o) * a);
  }
}

/** y[0..n) += x[0..n) */
@inline export function addTo(y: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + load<f32>(x + o));
  }
}

/** dst[c][r] = src[r][c] for an R x C float matrix. */
export function transpose(src: usize, dst: usize, R: i32, C: i32): void {
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      store<f32>(dst + ((<usize>c * <usize>R + <usize>r) << 2), load<f32>(src + ((<usize>r * <usize>C + <usize>c) << 2)));
    }
  }
}
