// Entry point of the "siamese" kernel (src/runtime/wasm/siamese.wasm): SIMD kernels that tfjs's wasm backend lacks
// or runs slowly for the Siamese char-CNN. Every function works on byte offsets into the memory it imports (the
// backend's own heap), writes no static data and allocates nothing, so it can share that memory with Emscripten's
// allocator.
export { convForward, convBackpropFilter, convBackpropInput } from "./conv";
export { gatherRows, segmentSum } from "./gather";
export { sumMid, maxMid } from "./reduce";
export { binary3 } from "./binary";
export { embedConvForward, embedConvBackpropFilter } from "./embed-conv";
export { copyRows, castToF32 } from "./copy";
