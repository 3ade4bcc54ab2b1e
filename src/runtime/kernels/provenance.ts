// Remembers which tensors are embedding lookups (GatherV2 rows of a small float32 table), so that Conv2D and its
// filter gradient can work through the table instead of the gathered rows (see kernels-as/embed-conv.ts). Keyed by
// the output's dataId: Reshape and ExpandDims share it, so the conv sees the same key. tfjs tensors are immutable,
// and a disposed table or index tensor is no longer in the backend's map, in which case the record is ignored (asked
// with has(): get() of a disposed tensor throws inside tfjs rather than answering undefined).
import type { TensorInfo } from "@tensorflow/tfjs";
import { ptr, type WasmBackendLike } from "./wasm-module";

export interface GatherSource {
  table: TensorInfo;
  indices: TensorInfo;
}

const sources = new WeakMap<object, GatherSource>();

const copy = (t: TensorInfo): TensorInfo => ({ dataId: t.dataId, shape: t.shape.slice(), dtype: t.dtype });

export function recordGather(out: TensorInfo, table: TensorInfo, indices: TensorInfo): void {
  if (table.dtype === "float32" && table.shape.length === 2 && indices.dtype === "int32") sources.set(out.dataId, { table: copy(table), indices: copy(indices) });
}

/** The table and ids behind x [B, 1, W, C] when x is a lookup whose table has fewer rows than x; else null. */
export function gatherSource(backend: WasmBackendLike, x: TensorInfo): GatherSource | null {
  const s = sources.get(x.dataId);
  if (!s || !backend.dataIdMap.has(s.table.dataId) || !backend.dataIdMap.has(s.indices.dataId)) return null;
  const [V, C] = s.table.shape;
  const n = s.indices.shape.reduce((a, b) => a * b, 1);
  if (x.shape.length !== 4 || x.shape[3] !== C || n !== x.shape[0] * x.shape[1] * x.shape[2] || V > n) return null;
  // both pointers must resolve; ptr throws otherwise
  ptr(backend, s.table);
  ptr(backend, s.indices);
  return s;
}
