// Concat and SplitV (the tower's concatenation of its three pooled outputs, and its gradient) as strided row copies;
// the stock kernels copy row by row from JavaScript.
import * as tf from "@tensorflow/tfjs";
import type { KernelArgs } from "./override";
import { kernelsFor, ptr } from "./wasm-module";

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const BYTES: Partial<Record<tf.DataType, number>> = { float32: 4, int32: 4, bool: 1 };

export function concat({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo | null {
  const xs = (inputs as unknown as tf.TensorInfo[]).filter((t) => size(t.shape) > 0);
  const bytes = BYTES[xs[0]?.dtype];
  if (xs.length < 2 || !bytes || xs.some((t) => t.dtype !== xs[0].dtype)) return null;
  const all = inputs as unknown as tf.TensorInfo[];
  const axis = tf.util.parseAxisParam(attrs.axis as number, all[0].shape)[0];
  tf.backend_util.assertParamsConsistent(all.map((t) => t.shape), axis);
  const outShape = tf.backend_util.computeOutShape(all.map((t) => t.shape), axis);
  const out = backend.makeOutput(outShape, xs[0].dtype);
  const rows = size(outShape.slice(0, axis));
  const outRow = size(outShape.slice(axis)) * bytes;
  const k = kernelsFor(backend);
  let offset = 0;
  for (const t of xs) {
    const row = size(t.shape.slice(axis)) * bytes;
    k.copyRows(ptr(backend, t), row, ptr(backend, out) + offset, outRow, rows, row);
    offset += row;
  }
  return out;
}

export function splitV({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] | null {
  const { x } = inputs;
  const bytes = BYTES[x.dtype];
  if (!bytes) return null;
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits as number | number[], axis);
  const rows = size(x.shape.slice(0, axis));
  const inner = size(x.shape.slice(axis + 1)) * bytes;
  const inRow = x.shape[axis] * inner;
  const k = kernelsFor(backend);
  let offset = 0;
  return sizes.map((s) => {
    const shape = x.shape.slice();
    shape[axis] = s;
    const out = backend.makeOutput(shape, x.dtype);
    if (s * rows * inner > 0) k.copyRows(ptr(backend, x) + offset, inRow, ptr(backend, out), s * inner, rows, s * inner);
    offset += s * inner;
    return out;
  });
}
