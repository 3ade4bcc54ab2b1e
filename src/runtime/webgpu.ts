// tfjs's WebGPU backend on Dawn (the `webgpu` npm package, which ships dawn.node). Dawn reaches NVIDIA GPUs through
// Vulkan; without a GPU, Dawn's OpenGL ES backend on Mesa's llvmpipe gives a software adapter that runs the same
// shaders (slowly) — that is what CI tests. The object `create()` returns is never kept in a global: while it is
// referenced, node does not exit (the package's README).
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

async function requestAdapter(software: boolean): Promise<Adapter | null> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { create, globals } = require("webgpu");
  Object.assign(globalThis, globals);
  if (software) process.env.EGL_PLATFORM ??= "surfaceless";
  const gpu = create(software ? ["backend=opengles"] : []);
  const adapter = (await gpu.requestAdapter(software ? { featureLevel: "compatibility" } : { powerPreference: "high-performance" })) as Adapter | null;
  return adapter;
}

/** Finds an adapter, registers tfjs's WebGPU backend on it and selects it; null when none can be created. */
export async function initWebGpu(opts: WebGpuOptions = {}): Promise<BackendInfo | null> {
  const want = opts.adapter ?? "any";
  // The backend module registers itself on import when navigator.gpu exists; importing it first, with no
  // navigator.gpu yet, leaves the registration to us (so that we choose the adapter).
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { WebGPUBackend } = require("@tensorflow/tfjs-backend-webgpu");
  let adapter: Adapter | null = null;
  let software = false;
  if (want !== "software") {
    adapter = await requestAdapter(false).catch(() => null);
    if (adapter && SOFTWARE_NAMES.test(adapterName(adapter))) {
      software = true;
      if (want === "gpu") adapter = null;
    }
  }
  if (!adapter && want !== "gpu") {
    adapter = await requestAdapter(true).catch(() => null);
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

/** Whether a hardware GPU adapter exists (for the automatic backend order), without selecting a backend. */
export async function hasHardwareGpu(): Promise<boolean> {
  try {
    const a = await requestAdapter(false);
    return !!a && !SOFTWARE_NAMES.test(adapterName(a));
  } catch {
    return false;
  }
}
