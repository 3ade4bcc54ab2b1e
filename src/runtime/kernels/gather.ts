// GatherV2 (the Embedding lookup and tf.layers' batch slicing) and UnsortedSegmentSum (the Embedding gradient).
import * as tf from "@tensorflow/tfjs";
import type { KernelArgs } from "./override";
import { recordGather } from "./provenance";
import { kernelsFor, ptr } from "./wasm-module";

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const BYTES: Partial<Record<tf.DataType, number>> = { float32: 4, int32: 4, bool: 1 };

export function gatherV2({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo | null {
  const { x, indices } = inputs;
  const bytes = BYTES[x.dtype];
  if (!bytes || indices.dtype !== "int32" || (attrs.batchDims ?? 0) !== 0) return null;
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const outer = size(x.shape.slice(0, axis));
  const dimSize = x.shape[axis];
  const slice = size(x.shape.slice(axis + 1));
  const n = size(indices.shape);
  const out = backend.makeOutput([...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], x.dtype);
  if (outer * n * slice === 0) return out;
  const bad = kernelsFor(backend).gatherRows(ptr(backend, x), outer, dimSize, slice * bytes, ptr(backend, indices), n, ptr(backend, out));
  if (bad !== 0) {
    backend.disposeData(out.dataId);
    const v = new Int32Array(backend.wasm.HEAPU8.buffer, ptr(backend, indices), n)[bad - 1];
    throw new Error(`GatherV2: the index value ${v} is not in [0, ${dimSize - 1}]`);
  }
  if (axis === 0) recordGather(out, x, indices);
  return out;
}

/**
 * Rank-1 segment ids over the first axis of a float32 x, which is what the gradient of gather produces; sums in
 * order of the rows, ids outside [0, numSegments) dropped (as the cpu backend does).
 */
export function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo | null {
  const { x, segmentIds } = inputs;
  const numSegments = attrs.numSegments as number;
  if (x.dtype !== "float32" || segmentIds.dtype !== "int32" || segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) return null;
  const inner = size(x.shape.slice(1));
  const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], "float32");
  if (numSegments * inner === 0) return out;
  kernelsFor(backend).segmentSum(ptr(backend, x), ptr(backend, segmentIds), x.shape[0], inner, numSegments, ptr(backend, out));
  return out;
}
