// Conv2D and its gradients for the 1-D case that tf.layers.conv1d produces: x [B, 1, W, C], filter [1, fw, C, F],
// stride 1, dilation 1, channels last, float32 (the forward kernels also need F a multiple of 4). Padding ("same",
// "valid" or explicit along the width) comes from tfjs's own computeConv2DInfo, so even widths pad exactly as tfjs
// does (the extra column on the right). When x is an embedding lookup (provenance.ts), Conv2D and the filter gradient
// work through the table; the gradients skip the zeros that ReLU and global max pooling leave in dy.
import * as tf from "@tensorflow/tfjs";
import type { KernelArgs } from "./override";
import { gatherSource } from "./provenance";
import { kernelsFor, ptr, withScratch } from "./wasm-module";

interface Conv1d {
  B: number;
  inW: number;
  C: number;
  fw: number;
  F: number;
  outW: number;
  padL: number;
}

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

const ones = (v: tf.Attribute | undefined): boolean => v === undefined || v === 1 || (Array.isArray(v) && (v as unknown[]).every((e) => e === 1));

/** The 1-D geometry, or null when the call is outside what the SIMD kernels cover. */
function conv1d(xShape: number[], filterShape: number[], attrs: tf.NamedAttrMap): Conv1d | null {
  if (xShape.length !== 4 || filterShape.length !== 4) return null;
  if (xShape[1] !== 1 || filterShape[0] !== 1) return null;
  if (!ones(attrs.strides) || !ones(attrs.dilations)) return null;
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== "NHWC") return null;
  const F = filterShape[3];
  if (filterShape[2] !== xShape[3]) return null;
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    1,
    1,
    attrs.pad as Pad,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
  );
  if (info.outHeight !== 1 || info.padInfo.top !== 0 || info.padInfo.bottom !== 0) return null;
  return { B: xShape[0], inW: xShape[2], C: xShape[3], fw: filterShape[1], F, outW: info.outWidth, padL: info.padInfo.left };
}

const f32 = (...ts: tf.TensorInfo[]): boolean => ts.every((t) => t.dtype === "float32");

export function conv2D({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo | null {
  const { x, filter } = inputs;
  if (!f32(x, filter)) return null;
  const g = conv1d(x.shape, filter.shape, attrs);
  if (!g || g.F % 4 !== 0) return null;
  const out = backend.makeOutput([g.B, 1, g.outW, g.F], "float32");
  if (g.B * g.outW * g.F === 0) return out;
  const src = gatherSource(backend, x);
  if (src) {
    const V = src.table.shape[0];
    withScratch(backend, g.fw * V * g.F * 4, (P) =>
      kernelsFor(backend).embedConvForward(ptr(backend, src.table), V, ptr(backend, src.indices), ptr(backend, filter), P, ptr(backend, out), g.B, g.inW, g.C, g.fw, g.F, g.outW, g.padL),
    );
    return out;
  }
  kernelsFor(backend).convForward(ptr(backend, x), ptr(backend, filter), ptr(backend, out), g.inW, g.C, g.fw, g.F, g.outW, g.padL, 0, g.B);
  return out;
}

export function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo | null {
  const { x, dy } = inputs;
  const filterShape = attrs.filterShape as number[];
  if (!f32(x, dy)) return null;
  const g = conv1d(x.shape, filterShape, attrs);
  if (!g) return null;
  const out = backend.makeOutput(filterShape, "float32");
  const src = g.F % 4 === 0 ? gatherSource(backend, x) : null;
  if (src) {
    const V = src.table.shape[0];
    withScratch(backend, (g.fw * V * g.F + g.C * V) * 4, (G) =>
      kernelsFor(backend).embedConvBackpropFilter(ptr(backend, src.table), V, ptr(backend, src.indices), ptr(backend, dy), G, G + g.fw * V * g.F * 4, ptr(backend, out), g.B, g.inW, g.C, g.fw, g.F, g.outW, g.padL),
    );
    return out;
  }
  const K = g.fw * g.C;
  withScratch(backend, K * g.F * 4, (dwT) =>
    kernelsFor(backend).convBackpropFilter(ptr(backend, x), ptr(backend, dy), dwT, ptr(backend, out), g.B, g.inW, g.C, g.fw, g.F, g.outW, g.padL),
  );
  return out;
}

export function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo | null {
  const { dy, filter } = inputs;
  const inputShape = attrs.inputShape as number[];
  if (!f32(dy, filter)) return null;
  const g = conv1d(inputShape, filter.shape, attrs);
  if (!g) return null;
  const out = backend.makeOutput(inputShape, "float32");
  const K = g.fw * g.C;
  withScratch(backend, K * g.F * 4, (wT) =>
    kernelsFor(backend).convBackpropInput(ptr(backend, dy), ptr(backend, filter), wT, ptr(backend, out), g.B, g.inW, g.C, g.fw, g.F, g.outW, g.padL),
  );
  return out;
}
