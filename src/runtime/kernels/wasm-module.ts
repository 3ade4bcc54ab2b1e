// The Siamese training kernels (siamese.wasm, from kernels-as/siamese/) on tfjs-backend-wasm's own heap, so that
// they read their inputs and write their outputs where tfjs keeps tensors, with no copies.
import type { DataType, TensorInfo } from "@tensorflow/tfjs";
import { instantiate, isWasmMemory, type WasmMemory } from "../wasm";

/** The parts of tfjs-backend-wasm's BackendWasm (4.22) that these kernels use. */
export interface WasmBackendLike {
  wasm: {
    HEAPU8: Uint8Array;
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    asm?: { memory?: WasmMemory };
  };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined; has(dataId: object): boolean };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  incRef(dataId: object): void;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Exports of siamese.wasm; pointers are byte offsets into the backend heap. */
export interface SiameseKernels {
  convForward(x: number, w: number, y: number, inW: number, C: number, fw: number, F: number, outW: number, padL: number, b0: number, b1: number): void;
  convBackpropFilter(x: number, dy: number, dwT: number, dw: number, B: number, inW: number, C: number, fw: number, F: number, outW: number, padL: number): void;
  convBackpropInput(dy: number, w: number, wT: number, dx: number, B: number, inW: number, C: number, fw: number, F: number, outW: number, padL: number): void;
  embedConvForward(table: number, V: number, ids: number, w: number, P: number, y: number, B: number, inW: number, C: number, fw: number, F: number, outW: number, padL: number): void;
  embedConvBackpropFilter(table: number, V: number, ids: number, dy: number, G: number, tT: number, dw: number, B: number, inW: number, C: number, fw: number, F: number, outW: number, padL: number): void;
  copyRows(src: number, srcStride: number, dst: number, dstStride: number, rows: number, rowBytes: number): void;
  castToF32(x: number, n: number, fromBool: number, out: number): void;
  gatherRows(x: number, outer: number, dimSize: number, sliceBytes: number, idx: number, n: number, out: number): number;
  segmentSum(x: number, ids: number, n: number, inner: number, numSegments: number, out: number): void;
  sumMid(x: number, outer: number, R: number, inner: number, out: number): void;
  maxMid(x: number, outer: number, R: number, inner: number, out: number): void;
  binary3(op: number, a: number, b: number, out: number, d0: number, d1: number, d2: number, as0: number, as1: number, as2: number, bs0: number, bs1: number, bs2: number): void;
}

// One instance per backend object: a re-created backend has a new heap.
const instances = new WeakMap<object, SiameseKernels>();

export function kernelsFor(backend: WasmBackendLike): SiameseKernels {
  let k = instances.get(backend);
  if (k) return k;
  const memory = backend.wasm.asm?.memory;
  if (!isWasmMemory(memory)) {
    throw new Error("jtlab kernels: the wasm backend's heap (Module.asm.memory) is not reachable; tfjs-backend-wasm other than 4.22?");
  }
  k = instantiate<SiameseKernels>("siamese", memory);
  instances.set(backend, k);
  return k;
}

/** Byte offset of a tensor's data in the backend heap. */
export function ptr(backend: WasmBackendLike, t: TensorInfo): number {
  const d = backend.dataIdMap.get(t.dataId);
  if (!d) throw new Error("jtlab kernels: tensor data not on the wasm backend");
  return d.memoryOffset;
}

/** Runs f with a scratch buffer of the given size on the backend heap. */
export function withScratch<T>(backend: WasmBackendLike, bytes: number, f: (p: number) => T): T {
  const p = backend.wasm._malloc(Math.max(bytes, 16));
  try {
    return f(p);
  } finally {
    backend.wasm._free(p);
  }
}
