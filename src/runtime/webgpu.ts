// tfjs's WebGPU backend on Dawn (the `webgpu` npm package, which ships dawn.node). Dawn reaches NVIDIA GPUs through
// Vulkan; without a GPU, Dawn's OpenGL ES backend on Mesa's llvmpipe gives a software adapter that runs the same
// shaders (slowly) — that is what CI tests. The object `create()` returns is never kept in a global: while it is
// referenced, node does not exit (the package's README).
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import type { BackendInfo } from "./backend";

export interface WebGpuOptions {
  /** "gpu": a hardware adapter only; "software": the OpenGL ES software adapter only; "any": hardware, else software. */
  adapter?: "gpu" | "software" | "any";
  log?: (line: string) => void;
}

interface Adapter {
  info: { vendor: string; architecture: string; device: string; description: string };
  limits: Record<string, number>;
  features: Set<string>;
  requestDevice(d: unknown): Promise<{ destroy(): void }>;
}

const SOFTWARE_NAMES = /llvmpipe|lavapipe|swiftshader|softpipe|software/i;

export function adapterName(a: Adapter): string {
  const i = a.info;
  return [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(" ").replace(/\s+/g, " ").trim() || "unknown adapter";
}

// The instance that `create()` returns must outlive its devices — when the garbage collector frees it mid-training,
// Dawn aborts — yet while it is reachable node does not exit. So it is held here, not in a global, for as long as
// the backend is in use, and released when the process has nothing else to do.
let instance: { gpu: unknown; device: { destroy(): void } | null } | null = null;

function release(): void {
  if (!instance) return;
  instance.device?.destroy();
  instance = null;
  if (tf.findBackend("webgpu")) tf.removeBackend("webgpu");
}

async function requestAdapter(software: boolean): Promise<{ adapter: Adapter | null; gpu: unknown }> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { create, globals } = require("webgpu");
  Object.assign(globalThis, globals);
  if (software) process.env.EGL_PLATFORM ??= "surfaceless";
  const gpu = create(software ? ["backend=opengles"] : []);
  const adapter = (await gpu.requestAdapter(software ? { featureLevel: "compatibility" } : { powerPreference: "high-performance" })) as Adapter | null;
  return { adapter, gpu };
}

/** Finds an adapter, registers tfjs's WebGPU backend on it and selects it; null when none can be created. */
export async function initWebGpu(opts: WebGpuOptions = {}): Promise<BackendInfo | null> {
  const want = opts.adapter ?? "any";
  // The backend module registers itself on import when navigator.gpu exists; importing it first, with no
  // navigator.gpu yet, leaves the registration to us (so that we choose the adapter).
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { WebGPUBackend } = require("@tensorflow/tfjs-backend-webgpu");
  let adapter: Adapter | null = null;
  let gpu: unknown = null;
  let software = false;
  if (want !== "software" && vulkanLoaderPresent()) {
    ({ adapter, gpu } = await requestAdapter(false).catch(() => ({ adapter: null, gpu: null })));
    if (adapter && SOFTWARE_NAMES.test(adapterName(adapter))) {
      software = true;
      if (want === "gpu") adapter = null;
    }
  }
  if (!adapter && want !== "gpu") {
    ({ adapter, gpu } = await requestAdapter(true).catch(() => ({ adapter: null, gpu: null })));
    software = true;
  }
  if (!adapter) return null;
  const l = adapter.limits;
  const features = ["timestamp-query"].filter((f) => adapter!.features.has(f));
  const device = await adapter.requestDevice({
    requiredFeatures: features,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  });
  release();
  instance = { gpu, device };
  process.once("beforeExit", release);
  const g = globalThis as { navigator?: { gpu?: unknown } };
  const hadNavigator = "navigator" in globalThis;
  // The backend's constructor checks navigator.gpu exists; the check is all it needs it for.
  if (!hadNavigator) g.navigator = {};
  g.navigator!.gpu = {};
  try {
    tf.registerBackend("webgpu", () => new WebGPUBackend(device, adapter!.info), 3);
    if (!(await tf.setBackend("webgpu"))) return null;
  } finally {
    delete g.navigator!.gpu;
    if (!hadNavigator) delete g.navigator;
  }
  const name = adapterName(adapter);
  return { name: "webgpu", detail: `@tensorflow/tfjs-backend-webgpu ${tf.version.tfjs} on ${name}${software ? " (software adapter)" : " (GPU)"}`, adapter: name, software };
}

/**
 * Dawn reaches GPUs through Vulkan; without the Vulkan loader there is nothing to find, and asking anyway makes Dawn
 * print errors on every start. GPU machines have it (Debian's libvulkan1, or the bundle in scripts/gpu-check.sh).
 */
export function vulkanLoaderPresent(): boolean {
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? "").split(":"), "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/usr/local/lib"];
  return dirs.some((d) => d && fs.existsSync(path.join(d, "libvulkan.so.1")));
}
