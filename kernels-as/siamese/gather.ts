// Embedding lookup (GatherV2 along one axis) and its gradient (UnsortedSegmentSum).
import { addTo } from "./simd";

/**
 * out[o, i] = x[o, idx[i]] for x [outer, dimSize, slice] (slice in bytes). Returns 0, or 1 + the position of the
 * first index outside [0, dimSize), before writing anything.
 */
export function gatherRows(x: usize, outer: i32, dimSize: i32, sliceBytes: i32, idx: usize, n: i32, out: usize): i32 {
  for (let i = 0; i < n; i++) {
    if (<u32>load<i32>(idx + (<usize>i << 2)) >= <u32>dimSize) return i + 1;
  }
  const sb = <usize>sliceBytes;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * <usize>dimSize * sb;
    for (let i = 0; i < n; i++) {
      memory.copy(out, xo + <usize>load<i32>(idx + (<usize>i << 2)) * sb, sb);
      out += sb;
    }
  }
  return 0;
}

/** out[s] = sum of x[i] over i with ids[i] == s, in order of i; ids outside [0, numSegments) are dropped. */
export function segmentSum(x: usize, ids: usize, n: i32, inner: i32, numSegments: i32, out: usize): void {
  const rowBytes = <usize>inner << 2;
  memory.fill(out, 0, <usize>numSegments * rowBytes);
  for (let i = 0; i < n; i++) {
    const id = load<i32>(ids + (<usize>i << 2));
    if (<u32>id >= <u32>numSegments) continue;
    addTo(out + <usize>id * rowBytes, x + <usize>i * rowBytes, inner);
  }
}
