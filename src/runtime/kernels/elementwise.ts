// Broadcasting Add, Multiply and Equal (the bias add, and the gradient of global max pooling, which compares
// [B, W, F] with [B, 1, F] and multiplies by [B, 1, F]; the stock kernels take 3-5x longer on these), and
// Identity, Transpose and Cast without copies where the data stays as it is.
import * as tf from "@tensorflow/tfjs";
import type { KernelArgs } from "./override";
import { kernelsFor, ptr } from "./wasm-module";

/**
 * Broadcast strides of a and b over the output shape, with adjacent dimensions merged where both inputs allow and
 * size-1 dimensions dropped; null when more than three dimensions remain.
 */
export function collapseBroadcast(aShape: number[], bShape: number[]): { dims: number[]; as: number[]; bs: number[] } | null {
  const outShape = tf.backend_util.assertAndGetBroadcastShape(aShape, bShape);
  const rank = outShape.length;
  const strides = (shape: number[]): number[] => {
    const s = new Array<number>(rank).fill(0);
    let acc = 1;
    for (let i = rank - 1, j = shape.length - 1; i >= 0; i--, j--) {
      const d = j >= 0 ? shape[j] : 1;
      s[i] = d === 1 ? 0 : acc;
      acc *= d;
    }
    return s;
  };
  const sa = strides(aShape);
  const sb = strides(bShape);
  const dims: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < rank; i++) {
    if (outShape[i] === 1) continue;
    const k = dims.length - 1;
    // merge into the previous (outer) dimension when both inputs step through it as one run
    if (k >= 0 && as[k] === sa[i] * outShape[i] && bs[k] === sb[i] * outShape[i]) {
      dims[k] *= outShape[i];
      as[k] = sa[i];
      bs[k] = sb[i];
      continue;
    }
    dims.push(outShape[i]);
    as.push(sa[i]);
    bs.push(sb[i]);
  }
  if (dims.length > 3) return null;
  while (dims.length < 3) {
    dims.unshift(1);
    as.unshift(0);
    bs.unshift(0);
  }
  return { dims, as, bs };
}

const size = (shape: number[]): number => shape.reduce((x, y) => x * y, 1);

// Codes of binary3 in kernels-as/binary.ts.
const OPS = { add: 0, mul: 1, eqF32: 2, eqI32: 3 } as const;

// Below this many elements in the larger input the stock kernel is as fast and the broadcast analysis would only add overhead.
const MIN_SIZE = 4096;

function binary(args: KernelArgs, op: "add" | "mul" | "eq"): tf.TensorInfo | null {
  const { inputs, backend } = args;
  const { a, b } = inputs;
  if (a.dtype !== b.dtype) return null;
  if (op === "eq" ? a.dtype !== "float32" && a.dtype !== "int32" : a.dtype !== "float32") return null;
  if (Math.max(size(a.shape), size(b.shape)) < MIN_SIZE) return null;
  const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const c = collapseBroadcast(a.shape, b.shape);
  if (!c) return null;
  const code = op === "eq" ? (a.dtype === "int32" ? OPS.eqI32 : OPS.eqF32) : OPS[op];
  const out = backend.makeOutput(outShape, op === "eq" ? "bool" : "float32");
  kernelsFor(backend).binary3(code, ptr(backend, a), ptr(backend, b), ptr(backend, out), c.dims[0], c.dims[1], c.dims[2], c.as[0], c.as[1], c.as[2], c.bs[0], c.bs[1], c.bs[2]);
  return out;
}

export const add = (args: KernelArgs): tf.TensorInfo | null => binary(args, "add");
export const multiply = (args: KernelArgs): tf.TensorInfo | null => binary(args, "mul");
export const equal = (args: KernelArgs): tf.TensorInfo | null => binary(args, "eq");

/** Shares the input's data, as Reshape does and as the cpu backend's Identity does, instead of copying it. */
export function identity({ inputs, backend }: KernelArgs): tf.TensorInfo | null {
  const { x } = inputs;
  if (x.dtype === "string") return null;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** A transpose that only moves size-1 axes (the gather gradient's identity permutation) keeps the data as it is. */
export function transpose({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo | null {
  const { x } = inputs;
  const perm = attrs.perm as number[];
  const moved = perm.filter((p) => x.shape[p] !== 1);
  if (x.dtype === "string" || moved.some((p, i) => i > 0 && p < moved[i - 1])) return null;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: perm.map((p) => x.shape[p]), dtype: x.dtype };
}

/** A cast to the same dtype shares the data (the stock kernel copies it); bool or int32 to float32 runs in SIMD. */
export function cast({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo | null {
  const { x } = inputs;
  if (x.dtype === "string") return null;
  if (x.dtype === attrs.dtype) {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }
  if (attrs.dtype !== "float32" || (x.dtype !== "bool" && x.dtype !== "int32")) return null;
  const out = backend.makeOutput(x.shape, "float32");
  const n = x.shape.reduce((a, b) => a * b, 1);
  if (n > 0) kernelsFor(backend).castToF32(ptr(backend, x), n, x.dtype === "bool" ? 1 : 0, ptr(backend, out));
  return out;
}
