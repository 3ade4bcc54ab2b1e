// The WebGPU backend through Dawn (the `webgpu` npm package). Filled in by the GPU-training issue.
import { BackendInfo } from "./backend";

export async function initWebGpu(): Promise<BackendInfo | null> {
  return null;
}
