// The WebGPU backend (Dawn) against wasm: one seeded training step must give the same loss. CI has no GPU; it uses
// Dawn's OpenGL ES backend on Mesa's llvmpipe (a software adapter, .ci/run installs Mesa's EGL/GLES). Where no
// adapter can be created the test is skipped with the reason.
import * as tf from "@tensorflow/tfjs";
import { afterAll, describe, expect, it } from "vitest";
import { buildSiamese, CHAR_CONFIG } from "../src/models/siamese/model";
import { initBackend } from "../src/runtime/backend";
import { initWebGpu } from "../src/runtime/webgpu";

const TINY = { ...CHAR_CONFIG, seqLength: 16, seed: 11 };

async function oneStep(): Promise<number[]> {
  const m = buildSiamese(TINY);
  m.model.compile({ optimizer: tf.train.adam(0.01), loss: "binaryCrossentropy" });
  const n = 64;
  const ids = (seed: number): tf.Tensor => tf.randomUniform([n, TINY.seqLength], 0, TINY.vocabSize, "int32", seed);
  const a = ids(1);
  const b = ids(2);
  const y = tf.cast(tf.randomUniform([n, 1], 0, 2, "int32", 3), "float32");
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) losses.push((await m.model.trainOnBatch([a, b], y)) as number);
  tf.dispose([a, b, y]);
  m.model.dispose();
  return losses;
}

afterAll(() => {
  if (tf.findBackend("webgpu")) tf.removeBackend("webgpu");
});

describe("the WebGPU backend", () => {
  it("gives the same losses as wasm for the same seeded training steps (within 1e-3)", async (ctx) => {
    let adapter: Awaited<ReturnType<typeof initWebGpu>> = null;
    let reason = "no WebGPU adapter could be created (no GPU, and no Mesa EGL/GLES for the software adapter)";
    try {
      adapter = await initWebGpu({ adapter: "any" });
    } catch (e) {
      reason = `WebGPU could not start: ${(e as Error).message}`;
    }
    if (!adapter) {
      console.log(`skipping the WebGPU test: ${reason}`);
      ctx.skip();
      return;
    }
    console.log(`WebGPU adapter: ${adapter.adapter} (${adapter.software ? "software" : "GPU"})`);
    await tf.setBackend("webgpu");
    const gpu = await oneStep();
    await initBackend({ backend: "wasm", log: () => undefined });
    const wasm = await oneStep();
    for (let i = 0; i < gpu.length; i++) expect(Math.abs(gpu[i] - wasm[i]), `step ${i + 1}: webgpu ${gpu[i]} wasm ${wasm[i]}`).toBeLessThan(1e-3);
  });
});
