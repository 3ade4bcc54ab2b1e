// Training kernels for tfjs's wasm backend, which lacks Conv2DBackpropFilter and UnsortedSegmentSum (the gradients
// of Conv1D and Embedding) and runs several others slowly for the Siamese char-CNN's shapes (profile in
// kernels-as/README.md). Registered once, when the wasm backend is selected; each kernel hands configurations it does
// not cover to the stock kernel, or throws when there is none.
import * as tf from "@tensorflow/tfjs";
import { concat, splitV } from "./concat";
import { conv2D, conv2DBackpropFilter, conv2DBackpropInput } from "./conv";
import { add, cast, equal, identity, multiply, transpose } from "./elementwise";
import { gatherV2, unsortedSegmentSum } from "./gather";
import { overrideKernel, type FastKernel } from "./override";
import { max, sum } from "./reduce";
import { kernelsFor, type WasmBackendLike } from "./wasm-module";

export const KERNELS: Record<string, FastKernel> = {
  Conv2D: conv2D,
  Conv2DBackpropFilter: conv2DBackpropFilter,
  Conv2DBackpropInput: conv2DBackpropInput,
  GatherV2: gatherV2,
  UnsortedSegmentSum: unsortedSegmentSum,
  Sum: sum,
  Max: max,
  Equal: equal,
  Add: add,
  Multiply: multiply,
  Identity: identity,
  Transpose: transpose,
  Cast: cast,
  Concat: concat,
  SplitV: splitV,
};

// What the two kernels that have no stock fallback cover, for their error message.
const COVERS: Record<string, string> = {
  Conv2DBackpropFilter: "1-D convolutions as tf.layers.conv1d makes them (input height 1, stride 1, dilation 1, NHWC, float32)",
  UnsortedSegmentSum: "float32 data with rank-1 int32 segment ids over its first axis (the gradient of gather)",
};

let registered: string | null = null;

/** Registers the kernels; returns a short description for the backend line. */
export function registerWasmTrainingKernels(): string {
  if (registered !== null) return registered;
  // fail here, at backend selection, rather than in the middle of training, if the heap cannot be shared
  if (tf.getBackend() === "wasm") kernelsFor(tf.backend() as unknown as WasmBackendLike);
  for (const [name, fast] of Object.entries(KERNELS)) overrideKernel(name, fast, COVERS[name]);
  registered = "jtlab SIMD kernels, 1 thread";
  return registered;
}
