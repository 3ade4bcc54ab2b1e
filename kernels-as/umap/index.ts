// Entry point of the "umap" kernel (src/runtime/wasm/umap.wasm; build: node scripts/build-kernels.mjs umap).
export { join, probe, scanLists, scanQueries } from "./knn";
export { layoutEpochs } from "./layout";

/** End of this module's static data: callers place their buffers above it. */
export function heapBase(): usize {
  return __heap_base;
}
