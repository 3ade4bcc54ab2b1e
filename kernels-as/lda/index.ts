// Entry point of the "lda" kernel (src/runtime/wasm/lda.wasm; build: node scripts/build-kernels.mjs lda).
export { configure, seed } from "./state";
export { sweep } from "./sweep";
