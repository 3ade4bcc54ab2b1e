// Register-blocked f32x4 micro-kernels: o[r][0..n) = sum over k < K of x[r][k] * w[k][0..n), where x rows are rowStep
// bytes apart with consecutive k 4 bytes apart, and w rows wStep bytes apart.

// Two output rows x 20 filters: 10 accumulators, 5 filter vectors reused for both rows. Three rows would need more
// xmm registers than x64 has and measured slower for fw = 1, 2.
@inline export function tile2x5(x: usize, rowStep: usize, K: i32, w: usize, wStep: usize, o: usize, oStep: usize): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
  let c0 = a0, c1 = a0, c2 = a0, c3 = a0, c4 = a0;
  for (let k = 0; k < K; k++) {
    const p = v128.load32_splat(x);
    const q = v128.load32_splat(x + rowStep);
    let v = v128.load(w);
    a0 = f32x4.add(a0, f32x4.mul(p, v)); c0 = f32x4.add(c0, f32x4.mul(q, v));
    v = v128.load(w, 16);
    a1 = f32x4.add(a1, f32x4.mul(p, v)); c1 = f32x4.add(c1, f32x4.mul(q, v));
    v = v128.load(w, 32);
    a2 = f32x4.add(a2, f32x4.mul(p, v)); c2 = f32x4.add(c2, f32x4.mul(q, v));
    v = v128.load(w, 48);
    a3 = f32x4.add(a3, f32x4.mul(p, v)); c3 = f32x4.add(c3, f32x4.mul(q, v));
    v = v128.load(w, 64);
    a4 = f32x4.add(a4, f32x4.mul(p, v)); c4 = f32x4.add(c4, f32x4.mul(q, v));
    x += 4;
    w += wStep;
  }
  v128.store(o, a0); v128.store(o, a1, 16); v128.store(o, a2, 32); v128.store(o, a3, 48); v128.store(o, a4, 64);
  o += oStep;
  v128.store(o, c0); v128.store(o, c1, 16); v128.store(o, c2, 32); v128.store(o, c3, 48); v128.store(o, c4, 64);
}

@inline export function tile1x5(x: usize, K: i32, w: usize, wStep: usize, o: usize): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
  for (let k = 0; k < K; k++) {
    const p = v128.load32_splat(x);
    a0 = f32x4.add(a0, f32x4.mul(p, v128.load(w)));
    a1 = f32x4.add(a1, f32x4.mul(p, v128.load(w, 16)));
    a2 = f32x4.add(a2, f32x4.mul(p, v128.load(w, 32)));
    a3 = f32x4.add(a3, f32x4.mul(p, v128.load(w, 48)));
    a4 = f32x4.add(a4, f32x4.mul(p, v128.load(w, 64)));
    x += 4;
    w += wStep;
  }
  v128.store(o, a0); v128.store(o, a1, 16); v128.store(o, a2, 32); v128.store(o, a3, 48); v128.store(o, a4, 64);
}

@inline export function tile2x1(x: usize, rowStep: usize, K: i32, w: usize, wStep: usize, o: usize, oStep: usize): void {
  let a = f32x4.splat(0), c = a;
  for (let k = 0; k < K; k++) {
    const v = v128.load(w);
    a = f32x4.add(a, f32x4.mul(v128.load32_splat(x), v));
    c = f32x4.add(c, f32x4.mul(v128.load32_splat(x + rowStep), v));
    x += 4;
    w += wStep;
  }
  v128.store(o, a);
  v128.store(o + oStep, c);
}

@inline export function tile1x1(x: usize, K: i32, w: usize, wStep: usize, o: usize): void {
  let a = f32x4.splat(0);
  for (let k = 0; k < K; k++) {
    a = f32x4.add(a, f32x4.mul(v128.load32_splat(x), v128.load(w)));
    x += 4;
    w += wStep;
  }
  v128.store(o, a);
}

/** o[0..F) = x[0..K) times the K x F matrix w (rows F floats apart); F a multiple of 4. */
export function rowTimesMatrix(x: usize, K: i32, w: usize, F: i32, o: usize): void {
  const wStep = <usize>F << 2;
  let j = 0;
  for (; j + 20 <= F; j += 20) tile1x5(x, K, w + (<usize>j << 2), wStep, o + (<usize>j << 2));
  for (; j < F; j += 4) tile1x1(x, K, w + (<usize>j << 2), wStep, o + (<usize>j << 2));
}
