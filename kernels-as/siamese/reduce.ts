// Sum and max over one contiguous block of axes, seen as x [outer, R, inner] -> out [outer, inner], without the
// transpose the stock wasm kernels make to bring the reduced axes last.

/** Sums in order r = 0 .. R-1, as the cpu backend does. */
export function sumMid(x: usize, outer: i32, R: i32, inner: i32, out: usize): void {
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * <usize>R * rowBytes;
    const oo = out + <usize>o * rowBytes;
    if (inner == 1) {
      let s: f32 = 0;
      for (let r = 0; r < R; r++) s += load<f32>(xo + (<usize>r << 2));
      store<f32>(oo, s);
      continue;
    }
    memory.fill(oo, 0, rowBytes);
    for (let r = 0; r < R; r++) {
      const xr = xo + <usize>r * rowBytes;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const p = <usize>i << 2;
        v128.store(oo + p, f32x4.add(v128.load(oo + p), v128.load(xr + p)));
      }
      for (; i < inner; i++) {
        const p = <usize>i << 2;
        store<f32>(oo + p, load<f32>(oo + p) + load<f32>(xr + p));
      }
    }
  }
}

/** Max with the cpu backend's NaN rule: a NaN, once seen, wins. */
export function maxMid(x: usize, outer: i32, R: i32, inner: i32, out: usize): void {
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * <usize>R * rowBytes;
    const oo = out + <usize>o * rowBytes;
    memory.copy(oo, xo, rowBytes);
    for (let r = 1; r < R; r++) {
      const xr = xo + <usize>r * rowBytes;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const p = <usize>i << 2;
        const m = v128.load(oo + p);
        const v = v128.load(xr + p);
        // take v where v > m or v is NaN
        const take = v128.or(f32x4.gt(v, m), f32x4.ne(v, v));
        v128.store(oo + p, v128.bitselect(v, m, take));
      }
      for (; i < inner; i++) {
        const p = <usize>i << 2;
        const m = load<f32>(oo + p);
        const v = load<f32>(xr + p);
        if (v > m || v != v) store<f32>(oo + p, v);
      }
    }
  }
}
