// Chooses the tfjs backend at run time and says which one ran. Order: JTLAB_BACKEND (or the option), else
// "tensorflow" when the user has installed @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node (they cannot be
// installed here: their install script downloads libtensorflow), else "webgpu" when Dawn finds a real GPU adapter,
// else wasm, else the plain JS cpu backend.
// The wasm backend lacks some training kernels; src/runtime/kernels registers fast ones (kernels-as/siamese/).
import * as tf from "@tensorflow/tfjs";
import { registerWasmTrainingKernels } from "./kernels/register";
import { initWebGpu } from "./webgpu";

export type BackendName = "tensorflow" | "webgpu" | "wasm" | "cpu";
export const BACKENDS: readonly BackendName[] = ["tensorflow", "webgpu", "wasm", "cpu"];

export interface BackendInfo {
  name: BackendName;
  /** e.g. "@tensorflow/tfjs-node-gpu 4.22.0" or "wasm (SIMD)". */
  detail: string;
  /** WebGPU only: the adapter's name and whether it is a software rasterizer. */
  adapter?: string;
  software?: boolean;
}

/** A genuine tfjs-node(-gpu): danfojs-node's install aliases @tensorflow/tfjs-node to plain tfjs, which is not. */
export function nativeTensorflowPackage(): string | null {
  for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const meta = require(`${pkg}/package.json`);
      if (meta.name === pkg) return pkg;
    } catch {
      // not installed
    }
  }
  return null;
}

let current: BackendInfo | null = null;

async function tryBackend(name: BackendName, explicit: boolean): Promise<BackendInfo | null> {
  try {
    if (name === "tensorflow") {
      const pkg = nativeTensorflowPackage();
      if (!pkg) return null;
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      require(pkg);
      if (!(await tf.setBackend("tensorflow"))) return null;
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      return { name, detail: `${pkg} ${require(`${pkg}/package.json`).version}` };
    }
    if (name === "wasm") {
      // Backend packages are loaded only when chosen: each is large.
      require("@tensorflow/tfjs-backend-wasm");
      if (!(await tf.setBackend("wasm"))) return null;
      await tf.ready();
      const extra = registerWasmTrainingKernels();
      return { name, detail: `@tensorflow/tfjs-backend-wasm ${tf.version.tfjs}${extra ? `; ${extra}` : ""}` };
    }
    if (name === "webgpu") {
      // Chosen automatically only for a real GPU; asked for explicitly, a software adapter will do.
      return await initWebGpu({ adapter: explicit ? "any" : "gpu" });
    }
    if (!(await tf.setBackend("cpu"))) return null;
    // The cpu backend greets its first tensor with advice to install tfjs-node; the backend line below says
    // what runs and why, so the greeting is switched off.
    (tf.findBackend("cpu") as unknown as { firstUse?: boolean }).firstUse = false;
    return { name: "cpu", detail: `@tensorflow/tfjs-backend-cpu ${tf.version.tfjs} (plain JavaScript, slow for training)` };
  } catch (e) {
    if (process.env.JTLAB_DEBUG) process.stderr.write(`backend ${name} failed: ${(e as Error).stack}\n`);
    return null;
  }
}

/**
 * Selects and initializes the backend once per process. An explicit choice that cannot start is an error, never a
 * silent fallback; the automatic order falls through to the next backend.
 */
export async function initBackend(opts: { backend?: string; log?: (line: string) => void } = {}): Promise<BackendInfo> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const wanted = opts.backend ?? process.env.JTLAB_BACKEND;
  if (current && (!wanted || wanted === current.name)) return current;
  let info: BackendInfo | null = null;
  if (wanted) {
    if (!BACKENDS.includes(wanted as BackendName)) throw new Error(`unknown backend ${JSON.stringify(wanted)} (choose from ${BACKENDS.join(", ")})`);
    info = await tryBackend(wanted as BackendName, true);
    if (!info) {
      const hint =
        wanted === "tensorflow"
          ? "install @tensorflow/tfjs-node-gpu (CUDA 11.2, cuDNN 8.1) or @tensorflow/tfjs-node from a network that can reach its download"
          : wanted === "webgpu"
            ? "no WebGPU adapter could be created (see README: GPU training)"
            : "see JTLAB_DEBUG=1 for the error";
      throw new Error(`backend ${wanted} could not be started: ${hint}`);
    }
  } else {
    for (const name of ["tensorflow", "webgpu", "wasm", "cpu"] as BackendName[]) {
      info = await tryBackend(name, false);
      if (info) break;
    }
    if (!info) throw new Error("no tfjs backend could be started");
  }
  current = info;
  log(`tfjs backend: ${info.name} (${info.detail})`);
  return info;
}

export function currentBackend(): BackendInfo | null {
  return current;
}
