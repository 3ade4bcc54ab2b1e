// Entry point of src/viz/umap-kernels.wasm (built by scripts/build-umap-kernels.sh).
export { probe, refine, scanLists, scanQueries } from "./knn";
export { layoutEpochs } from "./layout";

/** End of this module's static data: callers place their buffers above it. */
export function heapBase(): usize {
  return __heap_base;
}
