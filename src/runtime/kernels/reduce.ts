// Sum and Max over a contiguous block of float32 axes (the bias gradient sums axes [0, 1]; global max pooling
// takes the max over axis 1).
import * as tf from "@tensorflow/tfjs";
import type { KernelArgs } from "./override";
import { kernelsFor, ptr } from "./wasm-module";

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function reduceMid(args: KernelArgs, axisAttr: tf.Attribute | undefined, op: "sumMid" | "maxMid"): tf.TensorInfo | null {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (x.dtype !== "float32") return null;
  const axes = [...new Set(tf.util.parseAxisParam(axisAttr as number | number[], x.shape))].sort((a, b) => a - b);
  if (axes.length === 0 || axes[axes.length - 1] - axes[0] !== axes.length - 1) return null;
  const a0 = axes[0];
  const a1 = axes[axes.length - 1] + 1;
  const outer = size(x.shape.slice(0, a0));
  const R = size(x.shape.slice(a0, a1));
  const inner = size(x.shape.slice(a1));
  if (R === 0) return null;
  const shape = attrs.keepDims ? x.shape.map((d, i) => (i >= a0 && i < a1 ? 1 : d)) : [...x.shape.slice(0, a0), ...x.shape.slice(a1)];
  const out = backend.makeOutput(shape, "float32");
  if (outer * inner === 0) return out;
  kernelsFor(backend)[op](ptr(backend, x), outer, R, inner, ptr(backend, out));
  return out;
}

export const sum = (args: KernelArgs): tf.TensorInfo | null => reduceMid(args, args.attrs.axis, "sumMid");
export const max = (args: KernelArgs): tf.TensorInfo | null => reduceMid(args, args.attrs.reductionIndices, "maxMid");
