// Entry point of src/models/lda/gibbs.wasm (built by scripts/build-lda-kernel.sh).
export { configure, seed } from "./state";
export { sweep } from "./sweep";
