// `jtlab bench --backend B`: the training benchmark on a chosen backend (speed itself is never asserted here).
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers";

describe("jtlab bench --backend", () => {
  it("runs the Siamese training benchmark on the named backend and reports pairs/s", () => {
    const r = runCli(["bench", "--backend", "wasm", "-p", "pairs=64", "-p", "batch=32", "-p", "peer=false", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const [result] = JSON.parse(r.stdout);
    expect(result.name).toBe("siamese-train");
    expect(result.figures.backend).toMatch(/^wasm/);
    expect(result.figures.oursPairsPerSecond).toBeGreaterThan(0);
  }, 300_000);

  it("refuses an unknown backend by name, and a -p backend that disagrees", () => {
    const bad = runCli(["bench", "--backend", "cuda"]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown backend "cuda"/);
    const clash = runCli(["bench", "siamese-train", "--backend", "wasm", "-p", "backend=cpu"]);
    expect(clash.status).not.toBe(0);
    expect(clash.stderr).toMatch(/disagree/);
  }, 120_000);

  it("refuses a parameter the benchmark does not take, naming the ones it does", () => {
    const typo = runCli(["bench", "siamese-train", "-p", "repeat=3"]);
    expect(typo.status).not.toBe(0);
    expect(typo.stderr).toMatch(/unknown parameter "repeat": siamese-train takes backend, pairs, batch, repeats, peer/);
    const wrongBench = runCli(["bench", "lda", "--backend", "webgpu"]);
    expect(wrongBench.status).not.toBe(0);
    expect(wrongBench.stderr).toMatch(/unknown parameter "backend": lda takes/);
    const bad = runCli(["bench", "siamese-train", "-p", "pairs=-5"]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/pairs must be an integer >= 1, got "-5"/);
  }, 120_000);
});
