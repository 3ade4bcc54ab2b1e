// Replaces a wasm kernel while keeping the stock one for the configurations the replacement does not cover.
import * as tf from "@tensorflow/tfjs";
import type { WasmBackendLike } from "./wasm-module";

export interface KernelArgs {
  // tfjs passes every declared input of a kernel
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackendLike;
  attrs: tf.NamedAttrMap;
}

/** Returns the output(s), or null to hand the call to `stock` (the kernel registered before, if any). */
export type FastKernel = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[] | null;

const calls = new Map<string, { fast: number; stock: number }>();

/** How often each replaced kernel ran its own code and how often it handed over to the stock kernel. */
export function kernelCalls(): Record<string, { fast: number; stock: number }> {
  return Object.fromEntries([...calls].map(([k, v]) => [k, { ...v }]));
}

/** `covers` says what the fast kernel handles, for the error when nothing else can run the call. */
export function overrideKernel(kernelName: string, fast: FastKernel, covers = "the inputs and attributes it was given"): void {
  const count = { fast: 0, stock: 0 };
  calls.set(kernelName, count);
  const stock = tf.getKernel(kernelName, "wasm");
  if (stock) tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({
    kernelName,
    backendName: "wasm",
    // the stock setup binds its C++ entry point when a backend is (re)initialized
    setupFunc: stock?.setupFunc,
    disposeFunc: stock?.disposeFunc,
    kernelFunc: (params) => {
      const out = fast(params as unknown as KernelArgs);
      if (out) {
        count.fast++;
        return out;
      }
      count.stock++;
      if (!stock) throw new Error(`${kernelName} on the wasm backend (jtlab kernels) supports only ${covers}; tfjs-backend-wasm has no kernel of its own`);
      return stock.kernelFunc(params);
    },
  });
}
