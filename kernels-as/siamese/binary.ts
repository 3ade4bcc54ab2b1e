// Element-wise binary ops with broadcasting, over three collapsed dimensions with element strides (0 = broadcast).
// The innermost dimension runs four lanes at a time when both inputs step through it by 1 or 0.

export const ADD = 0;
export const MUL = 1;
export const EQ_F32 = 2;
export const EQ_I32 = 3;

@inline function lanes(op: i32, a: v128, b: v128): v128 {
  if (op == ADD) return f32x4.add(a, b);
  if (op == MUL) return f32x4.mul(a, b);
  if (op == EQ_F32) return f32x4.eq(a, b);
  return i32x4.eq(a, b);
}

@inline function scalar(op: i32, pa: usize, pb: usize, o: usize): void {
  if (op == ADD) store<f32>(o, load<f32>(pa) + load<f32>(pb));
  else if (op == MUL) store<f32>(o, load<f32>(pa) * load<f32>(pb));
  else if (op == EQ_F32) store<u8>(o, load<f32>(pa) == load<f32>(pb) ? 1 : 0);
  else store<u8>(o, load<i32>(pa) == load<i32>(pb) ? 1 : 0);
}

/** Four outputs from two operand vectors: floats, or for the comparisons one byte (0 or 1) each. */
@inline function emit(op: i32, o: usize, v: v128): void {
  if (op < EQ_F32) {
    v128.store(o, v);
  } else {
    // lanes are all-ones or zero: narrow to bytes and keep the low bit
    const n = i16x8.narrow_i32x4_s(v, v);
    v128.store32_lane(o, v128.and(i8x16.narrow_i16x8_s(n, n), i8x16.splat(1)), 0);
  }
}

/** One run of n outputs; op is a constant after inlining, so each caller gets its own loops. */
@inline function run(op: i32, pa: usize, pb: usize, o: usize, n: i32, sa: i32, sb: i32): void {
  const ob: usize = op >= EQ_F32 ? 1 : 4;
  let i = 0;
  if (sa == 1 && sb == 1) {
    for (; i + 4 <= n; i += 4) emit(op, o + <usize>i * ob, lanes(op, v128.load(pa + (<usize>i << 2)), v128.load(pb + (<usize>i << 2))));
  } else if (sa == 1 && sb == 0) {
    const bv = v128.load32_splat(pb);
    for (; i + 4 <= n; i += 4) emit(op, o + <usize>i * ob, lanes(op, v128.load(pa + (<usize>i << 2)), bv));
  } else if (sa == 0 && sb == 1) {
    const av = v128.load32_splat(pa);
    for (; i + 4 <= n; i += 4) emit(op, o + <usize>i * ob, lanes(op, av, v128.load(pb + (<usize>i << 2))));
  }
  for (; i < n; i++) scalar(op, pa + (<usize>(i * sa) << 2), pb + (<usize>(i * sb) << 2), o + <usize>i * ob);
}

@inline function loops(op: i32, a: usize, b: usize, out: usize, d0: i32, d1: i32, d2: i32, as0: i32, as1: i32, as2: i32, bs0: i32, bs1: i32, bs2: i32): void {
  const outBytes: usize = op >= EQ_F32 ? 1 : 4;
  let o = out;
  for (let i0 = 0; i0 < d0; i0++) {
    for (let i1 = 0; i1 < d1; i1++) {
      run(op, a + ((<usize>(i0 * as0 + i1 * as1)) << 2), b + ((<usize>(i0 * bs0 + i1 * bs1)) << 2), o, d2, as2, bs2);
      o += <usize>d2 * outBytes;
    }
  }
}

export function binary3(op: i32, a: usize, b: usize, out: usize, d0: i32, d1: i32, d2: i32, as0: i32, as1: i32, as2: i32, bs0: i32, bs1: i32, bs2: i32): void {
  if (op == ADD) loops(ADD, a, b, out, d0, d1, d2, as0, as1, as2, bs0, bs1, bs2);
  else if (op == MUL) loops(MUL, a, b, out, d0, d1, d2, as0, as1, as2, bs0, bs1, bs2);
  else if (op == EQ_F32) loops(EQ_F32, a, b, out, d0, d1, d2, as0, as1, as2, bs0, bs1, bs2);
  else loops(EQ_I32, a, b, out, d0, d1, d2, as0, as1, as2, bs0, bs1, bs2);
}
