// `jtlab train siamese` stops cleanly: the first Ctrl-C (SIGINT) stops after the current batch, keeps the best weights
// so far and records the run interrupted with the epoch reached (exit 130); a second one stops at once.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/data/paths";
import { readRun } from "../src/experiments/registry";
import { tmpDir } from "./helpers";

/** A small, long Siamese training run (many short epochs) in its own registry. */
function startTraining(runs: string): { child: ReturnType<typeof spawn>; stderr: () => string; exit: Promise<number | null> } {
  const args = ["train", "siamese", "-p", "variant=char", "-p", "positives=6000", "-p", "epochs=200", "-p", "patience=200", "-p", "mineShare=0"];
  const child = spawn(process.execPath, [path.join(projectRoot(), "bin", "jtlab.cjs"), ...args], { cwd: projectRoot(), env: { ...process.env, JTLAB_RUNS_DIR: runs } });
  let err = "";
  child.stderr!.on("data", (b: Buffer) => (err += b));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stderr: () => err, exit };
}

async function waitFor(test: () => boolean, what: string, seconds = 240): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("stopping jtlab train", () => {
  it("SIGINT stops after the current batch, saves the best weights so far, records the run interrupted (exit 130)", async () => {
    const runs = tmpDir("jtlab-runs-");
    const t = startTraining(runs);
    // Two complete epochs, so that there is a best one to keep.
    await waitFor(() => /epoch 3\/200/.test(t.stderr()), "the third epoch");
    t.child.kill("SIGINT");
    expect(await t.exit).toBe(130);
    expect(t.stderr()).toMatch(/SIGINT: stopping at the next safe point/);
    const [id] = fs.readdirSync(runs);
    const r = readRun(path.join(runs, id));
    expect(r.status).toBe("interrupted");
    expect(r.error).toMatch(/^stopped by SIGINT during epoch \d+ of 200, after batch \d+ of \d+; the best weights so far \(epoch \d+\) saved/);
    expect(r.metrics.training!.history!.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(r.files ?? {})).toEqual(expect.arrayContaining(["model/weights.bin", "model/model.json", "encoder.json"]));
    // What was kept loads and classifies.
    const { TrainedSiamese } = await import("../src/models/siamese/trained");
    const trained = await TrainedSiamese.load(path.join(runs, id));
    const [p] = await trained.predictor("siamese").predict(["Registered Nurse"], "role");
    expect(typeof p.label).toBe("string");
    expect(t.stderr()).toMatch(new RegExp(`jtlab train: stopped by SIGINT during epoch`));
  }, 300_000);

  it("a second SIGINT stops at once; the run is still recorded interrupted", async () => {
    const runs = tmpDir("jtlab-runs-");
    const t = startTraining(runs);
    await waitFor(() => /epoch 1\/200/.test(t.stderr()), "the first epoch");
    t.child.kill("SIGINT");
    await waitFor(() => /stopping at the next safe point/.test(t.stderr()), "the first SIGINT's message", 30);
    t.child.kill("SIGINT");
    expect(await t.exit).toBe(130);
    const [id] = fs.readdirSync(runs);
    expect(readRun(path.join(runs, id))).toMatchObject({ status: "interrupted" });
  }, 300_000);
});
