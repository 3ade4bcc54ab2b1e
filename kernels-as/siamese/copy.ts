// Data movement: strided row copies (Concat and SplitV along an inner axis) and casts to float32.

/** rows copies of rowBytes bytes, from src every srcStride bytes to dst every dstStride bytes. */
export function copyRows(src: usize, srcStride: i32, dst: usize, dstStride: i32, rows: i32, rowBytes: i32): void {
  const n = <usize>rowBytes;
  for (let r = 0; r < rows; r++) {
    memory.copy(dst, src, n);
    src += <usize>srcStride;
    dst += <usize>dstStride;
  }
}

/** out[i] = f32(x[i]) for x bool (one byte, 0 or 1) when fromBool, else int32; rounds to nearest like JS. */
export function castToF32(x: usize, n: i32, fromBool: i32, out: usize): void {
  let i = 0;
  if (fromBool) {
    for (; i + 16 <= n; i += 16) {
      const b = v128.load(x + <usize>i);
      const lo = i16x8.extend_low_i8x16_u(b);
      const hi = i16x8.extend_high_i8x16_u(b);
      const o = out + (<usize>i << 2);
      v128.store(o, f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(lo)));
      v128.store(o, f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(lo)), 16);
      v128.store(o, f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(hi)), 32);
      v128.store(o, f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(hi)), 48);
    }
    for (; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>load<u8>(x + <usize>i));
  } else {
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.convert_i32x4_s(v128.load(x + (<usize>i << 2))));
    for (; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>load<i32>(x + (<usize>i << 2)));
  }
}
